"""Queries for the publication row, published shift revisions and the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from api.db.models import Publication, PublishAudit, PublishedShift


class PublishRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def publication(self, team_id: int) -> Publication | None:
        return self.session.get(Publication, team_id)

    def claim(self, team_id: int, expected_seq: int, version: int, now: datetime) -> bool:
        """Compare-and-set: move the team from ``expected_seq`` to the next; False if it moved."""
        if expected_seq == 0 and self.publication(team_id) is None:
            self.session.add(Publication(team_id=team_id, seq=1, version=version, published_at=now))
            self.session.flush()  # a concurrent first publish fails here on the primary key
            return True
        result = self.session.execute(
            update(Publication)
            .where(Publication.team_id == team_id, Publication.seq == expected_seq)
            .values(seq=expected_seq + 1, version=version, published_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    def shifts(self, team_id: int) -> list[PublishedShift]:
        return list(self.session.scalars(select(PublishedShift).where(PublishedShift.team_id == team_id)))

    def audit_page(self, team_id: int, limit: int, offset: int) -> tuple[list[PublishAudit], int]:
        query = select(PublishAudit).where(PublishAudit.team_id == team_id)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(
            query.order_by(PublishAudit.id.desc()).limit(limit).offset(offset)
        ).all()
        return list(rows), total
