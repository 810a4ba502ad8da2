"""Queries for teams and keys."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api.db.models import ApiKey, Team


class TeamRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_slug(self, slug: str) -> Team | None:
        return self.session.scalar(select(Team).where(Team.slug == slug))

    def add(self, team: Team) -> Team:
        self.session.add(team)
        self.session.flush()
        return team

    def lock(self, team_id: int) -> Team:
        """The team row, locked until commit (serialises per-team admission on PostgreSQL)."""
        return self.session.get_one(Team, team_id, with_for_update=True, populate_existing=True)

    def next_roster_version(self, team_id: int) -> int:
        version = self.session.scalar(
            update(Team)
            .where(Team.id == team_id)
            .values(roster_seq=Team.roster_seq + 1)
            .returning(Team.roster_seq)
        )
        assert version is not None
        return int(version)


class KeyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, key: ApiKey) -> ApiKey:
        self.session.add(key)
        self.session.flush()
        return key

    def list(self, team_id: int, limit: int, offset: int) -> tuple[list[ApiKey], int]:
        query = select(ApiKey).where(ApiKey.team_id == team_id)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(query.order_by(ApiKey.id).limit(limit).offset(offset)).all()
        return list(rows), total

    def get(self, team_id: int, key_id: str) -> ApiKey | None:
        return self.session.scalar(
            select(ApiKey).where(ApiKey.team_id == team_id, ApiKey.key_id == key_id)
        )

    def count_active(self) -> int:
        return self.session.scalar(
            select(func.count()).select_from(ApiKey).where(ApiKey.revoked_at.is_(None))
        ) or 0
