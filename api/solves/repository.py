"""Queries for solve jobs, scoped by team."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.db.models import RosterRow, Solve


class SolveRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, job: Solve) -> Solve:
        self.session.add(job)
        self.session.flush()
        return job

    def get(self, team_id: int, job_id: int, *, lock: bool = False) -> Solve | None:
        query = select(Solve).where(Solve.team_id == team_id, Solve.id == job_id)
        return self.session.scalar(query.with_for_update() if lock else query)

    def page(self, team_id: int, state: str | None, limit: int, offset: int) -> tuple[list[Solve], int]:
        query = select(Solve).where(Solve.team_id == team_id)
        if state is not None:
            query = query.where(Solve.state == state)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(query.order_by(Solve.id.desc()).limit(limit).offset(offset)).all()
        return list(rows), total

    def active(self, team_id: int) -> list[Solve]:
        return list(
            self.session.scalars(
                select(Solve).where(Solve.team_id == team_id, Solve.state.in_(("queued", "running")))
            ).all()
        )

    def roster_versions(self, roster_ids: list[int]) -> dict[int, int]:
        if not roster_ids:
            return {}
        rows = self.session.execute(
            select(RosterRow.id, RosterRow.version).where(RosterRow.id.in_(roster_ids))
        ).all()
        return {rid: version for rid, version in rows}
