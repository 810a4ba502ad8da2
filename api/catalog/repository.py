"""Queries for team documents (queues, contracts, agents): all scoped by team."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from api.db.models import AgentRow, ContractRow, QueueRow, utcnow

Row = TypeVar("Row", QueueRow, ContractRow, AgentRow)


class DocumentRepository(Generic[Row]):
    def __init__(self, session: Session, model: type[Row]) -> None:
        self.session = session
        self.model: type[Row] = model

    def get(self, team_id: int, key: str) -> Row | None:
        return self.session.scalar(
            select(self.model).where(self.model.team_id == team_id, self.model.key == key)
        )

    def page(self, team_id: int, limit: int, offset: int) -> tuple[list[Row], int]:
        where = self.model.team_id == team_id
        total = self.session.scalar(select(func.count()).select_from(self.model).where(where)) or 0
        rows = self.session.scalars(
            select(self.model).where(where).order_by(self.model.key).limit(limit).offset(offset)
        ).all()
        return list(rows), total

    def all(self, team_id: int) -> list[Row]:
        return list(
            self.session.scalars(
                select(self.model).where(self.model.team_id == team_id).order_by(self.model.key)
            ).all()
        )

    def named(self, team_id: int, keys: Iterable[str]) -> list[Row]:
        """Only the documents with these keys (a feed needs its own agents, not the team's)."""
        wanted = sorted(set(keys))
        if not wanted:
            return []
        return list(
            self.session.scalars(
                select(self.model).where(self.model.team_id == team_id, self.model.key.in_(wanted))
            ).all()
        )

    def keys(self, team_id: int) -> set[str]:
        return set(
            self.session.scalars(select(self.model.key).where(self.model.team_id == team_id)).all()
        )

    def upsert(self, team_id: int, key: str, data: dict[str, Any]) -> tuple[Row, bool]:
        """Insert or replace; returns the row and whether it was created."""
        row = self.get(team_id, key)
        if row is None:
            row = self.model(team_id=team_id, key=key, data=data)
            self.session.add(row)
            self.session.flush()
            return row, True
        row.data = data
        row.updated_at = utcnow()
        self.session.flush()
        return row, False

    def upsert_many(self, team_id: int, items: Iterable[tuple[str, dict[str, Any]]]) -> tuple[int, int]:
        existing = {r.key: r for r in self.all(team_id)}
        created = updated = 0
        now = utcnow()
        for key, data in items:
            row = existing.get(key)
            if row is None:
                self.session.add(self.model(team_id=team_id, key=key, data=data))
                created += 1
            else:
                row.data = data
                row.updated_at = now
                updated += 1
        self.session.flush()
        return created, updated

    def delete(self, team_id: int, key: str) -> bool:
        result = self.session.execute(
            delete(self.model).where(self.model.team_id == team_id, self.model.key == key)
        )
        return bool(getattr(result, "rowcount", 0))
