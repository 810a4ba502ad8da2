"""Queries for feed tokens and the published shifts a feed shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Connection, bindparam, func, select
from sqlalchemy.orm import Session

from api.db.models import FeedToken, Publication, PublishedShift, ServerSecret


@dataclass(frozen=True)
class FeedKey:
    """What serving a feed needs to know about its token, and the team's publication counter."""

    token_id: str
    team_id: int
    token_hash: str
    scope: str
    target: str
    revoked: bool
    seq: int


# built once: the statement of every calendar poll (SQLAlchemy still caches its compiled form)
_FEED_KEY = (
    select(
        FeedToken.team_id, FeedToken.token_hash, FeedToken.scope, FeedToken.target,
        FeedToken.revoked_at.is_not(None), func.coalesce(Publication.seq, 0),
    )
    .outerjoin(Publication, Publication.team_id == FeedToken.team_id)
    .where(FeedToken.token_id == bindparam("token_id"))
)


def feed_key(executor: Connection | Session, token_id: str) -> FeedKey | None:
    """The token and its team's publication counter: one indexed query of plain columns, no
    ORM identity map (the hot path of every calendar poll)."""
    row = executor.execute(_FEED_KEY, {"token_id": token_id}).first()
    if row is None:
        return None
    team_id, token_hash, scope, target, revoked, seq = row
    return FeedKey(token_id, team_id, token_hash, scope, target, bool(revoked), int(seq))


class FeedRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def token(self, team_id: int, token_id: str) -> FeedToken | None:
        return self.session.scalar(
            select(FeedToken).where(FeedToken.team_id == team_id, FeedToken.token_id == token_id)
        )

    def tokens_page(self, team_id: int, limit: int, offset: int) -> tuple[list[FeedToken], int]:
        query = select(FeedToken).where(FeedToken.team_id == team_id)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(query.order_by(FeedToken.id).limit(limit).offset(offset)).all()
        return list(rows), total

    def shifts_since(
        self, team_id: int, scope: ColumnElement[bool], since: datetime
    ) -> list[PublishedShift]:
        query = select(PublishedShift).where(
            PublishedShift.team_id == team_id, PublishedShift.end > since, scope
        )
        return list(self.session.scalars(query))

    def last_departure(
        self, team_id: int, scope: ColumnElement[bool], now: datetime, days_back: timedelta
    ) -> datetime | None:
        """When the latest shift left this feed: confirmed ones ``days_back`` after their end,
        cancelled ones at their end (each no earlier than its own revision)."""
        moments: list[datetime] = []
        for cancelled, cutoff, delay in ((False, now - days_back, days_back), (True, now, timedelta())):
            query = select(
                func.max(PublishedShift.end), func.max(PublishedShift.revised_at)
            ).where(
                PublishedShift.team_id == team_id,
                PublishedShift.cancelled == cancelled,
                PublishedShift.end <= cutoff,
                scope,
            )
            found = self.session.execute(query).one()
            last_end, last_revision = found[0], found[1]
            if last_end is not None:
                moments.append(_aware(last_end) + delay)
            if last_revision is not None:
                moments.append(_aware(last_revision))
        return max(moments, default=None)

    def secret(self, name: str) -> str | None:
        row = self.session.get(ServerSecret, name)
        return None if row is None else row.value

    def add_secret(self, name: str, value: str) -> None:
        self.session.add(ServerSecret(name=name, value=value))
        self.session.flush()


def _aware(moment: datetime) -> datetime:
    """Aggregates may bypass the column type: SQLite can hand back naive UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
