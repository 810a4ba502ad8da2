"""Tables. The database, not any process, is the record of teams, data, jobs and rosters.

A constraint naming convention keeps Alembic's batch migrations (SQLite table rebuilds) able to
find constraints by name.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JsonDoc = JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on SQLite (naive storage) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    policy: Mapped[dict[str, Any]] = mapped_column(JsonDoc, default=dict)
    roster_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class _TeamDocument:
    """A team-owned object addressed by its domain id (``key``), stored as its validated JSON."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(128))
    data: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class QueueRow(_TeamDocument, Base):
    __tablename__ = "queues"
    __table_args__ = (UniqueConstraint("team_id", "key"),)


class ContractRow(_TeamDocument, Base):
    __tablename__ = "contracts"
    __table_args__ = (UniqueConstraint("team_id", "key"),)


class AgentRow(_TeamDocument, Base):
    __tablename__ = "agents"
    __table_args__ = (UniqueConstraint("team_id", "key"),)


class Forecast(Base):
    __tablename__ = "forecasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    horizon: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc)
    staffing: Mapped[list[dict[str, Any]]] = mapped_column(JsonDoc)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Solve(Base):
    """A solve job. ``attempt`` grows with every claim; writes carry it to fence out stale runners."""

    __tablename__ = "solves"
    __table_args__ = (Index("ix_solves_state_created", "state", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    forecast_id: Mapped[int | None] = mapped_column(
        ForeignKey("forecasts.id", ondelete="SET NULL"), nullable=True
    )
    state: Mapped[str] = mapped_column(String(16), default="queued")
    what_if: Mapped[bool] = mapped_column(Boolean, default=False)
    label: Mapped[str] = mapped_column(String(200), default="")
    scenario: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    params: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    lost_runs: Mapped[int] = mapped_column(Integer, default=0)
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    solver_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    cancel_requested_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    progress_elapsed: Mapped[float | None] = mapped_column(Float, nullable=True)
    progress_objective: Mapped[float | None] = mapped_column(Float, nullable=True)
    progress_bound: Mapped[float | None] = mapped_column(Float, nullable=True)
    progress_gap: Mapped[float | None] = mapped_column(Float, nullable=True)
    progress_phase: Mapped[str | None] = mapped_column(String(32), nullable=True)
    result_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error_detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    explanation: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc, nullable=True)
    roster_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(16), default="solve", server_default="solve")
    # what-if comparisons: the variants' overlays in, the comparison (and hiring advice) out
    variants: Mapped[list[dict[str, Any]] | None] = mapped_column(JsonDoc, nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JsonDoc, nullable=True)


class RosterRow(Base):
    """An immutable roster version: written once by the solve that produced it."""

    __tablename__ = "rosters"
    __table_args__ = (UniqueConstraint("team_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    solve_id: Mapped[int] = mapped_column(ForeignKey("solves.id", ondelete="CASCADE"), index=True)
    what_if: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))
    objective: Mapped[float | None] = mapped_column(Float, nullable=True)
    best_bound: Mapped[float | None] = mapped_column(Float, nullable=True)
    gap: Mapped[float | None] = mapped_column(Float, nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Publication(Base):
    """A team's published roster: ``seq`` grows with every publish (the compare-and-set token)."""

    __tablename__ = "publications"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class PublishAudit(Base):
    """Who published which version over which, and how many shifts that changed."""

    __tablename__ = "publish_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    key_id: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    from_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    to_version: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    removed: Mapped[int] = mapped_column(Integer)
    moved: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)


class PublishedShift(Base):
    """The latest published revision of one shift identity (team, agent, local date, ordinal).

    Feeds read only this table: ``sequence`` grows whenever the shift changes, ``revised_at``
    is when that revision was published, and a removed shift stays as ``cancelled``.
    """

    __tablename__ = "published_shifts"
    __table_args__ = (
        UniqueConstraint("team_id", "agent", "local_date", "ordinal"),
        Index("ix_published_shifts_team_end", "team_id", "end"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    agent: Mapped[str] = mapped_column(String(128))
    local_date: Mapped[str] = mapped_column(String(10))
    ordinal: Mapped[int] = mapped_column(Integer)
    site: Mapped[str] = mapped_column(String(128))
    queues: Mapped[str] = mapped_column(String(1000), default="")  # " q1 q2 " for LIKE filters
    start: Mapped[datetime] = mapped_column(UtcDateTime)
    end: Mapped[datetime] = mapped_column(UtcDateTime)
    content_hash: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]] = mapped_column(JsonDoc)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    revised_at: Mapped[datetime] = mapped_column(UtcDateTime)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


class FeedToken(Base):
    """A calendar feed's credential: only an HMAC of the token is kept; ``token_id`` finds it."""

    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    token_id: Mapped[str] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(128), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    replaced_by: Mapped[str | None] = mapped_column(String(32), nullable=True)


class ServerSecret(Base):
    """Secrets the service generates once and shares between its processes (e.g. feed HMAC)."""

    __tablename__ = "server_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

