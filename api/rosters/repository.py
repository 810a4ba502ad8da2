"""Queries for roster versions, scoped by team. There is no update: versions are immutable."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.db.models import RosterRow


class RosterRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, team_id: int, version: int) -> RosterRow | None:
        return self.session.scalar(
            select(RosterRow).where(RosterRow.team_id == team_id, RosterRow.version == version)
        )

    def page(self, team_id: int, what_if: bool | None, limit: int, offset: int) -> tuple[list[RosterRow], int]:
        query = select(RosterRow).where(RosterRow.team_id == team_id)
        if what_if is not None:
            query = query.where(RosterRow.what_if == what_if)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(query.order_by(RosterRow.version.desc()).limit(limit).offset(offset)).all()
        return list(rows), total
