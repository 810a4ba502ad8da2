"""The service's one settings class, read from ``SUNSHIFT_*`` environment variables.

Unsafe combinations are refused at start-up rather than discovered in production: binding a
non-loopback address with no API key configured, several server processes on SQLite, limits that
do not fit together.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///sunshift.db"


def _is_loopback(host: str) -> bool:
    if host in {"localhost", "ip6-localhost"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    """Everything the service reads from its environment; one instance per process."""

    model_config = SettingsConfigDict(env_prefix="SUNSHIFT_", extra="forbid", frozen=True)

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL: sqlite:///file.db (default) or postgresql+psycopg://…",
    )
    host: str = Field("127.0.0.1", description="Address `sunshift serve` binds.")
    port: int = Field(8000, ge=1, le=65535)
    server_workers: int = Field(1, ge=1, le=64, description="uvicorn worker processes.")
    allow_public_bind: bool = Field(
        False,
        description="Allow a non-loopback bind address. Requires at least one API key to exist "
        "(checked at start-up) — the API never runs open to a network.",
    )
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    migrate_on_startup: bool = Field(
        True, description="Apply Alembic migrations at start-up (else: sunshift admin migrate)."
    )
    sqlite_busy_timeout_ms: int = Field(5000, ge=0, le=600_000)

    max_body_bytes: int = Field(5 * 1024 * 1024, ge=1024, description="Request body limit (413).")
    page_size_max: int = Field(500, ge=1, le=10_000)

    # solve limits (422 naming the limit when a request exceeds them)
    max_time_limit_seconds: float = Field(300.0, gt=0, le=86_400)
    default_time_limit_seconds: float = Field(60.0, gt=0)
    max_solver_workers: int = Field(2, ge=1, le=64)
    max_horizon_days: int = Field(35, ge=1, le=366)
    max_agents: int = Field(1000, ge=1)
    max_intervals: int = Field(
        50_000, ge=1, description="Queue-intervals per solve (queues × horizon intervals)."
    )
    # jobs
    jobs_enabled: bool = Field(True, description="Run solves in this process's runner pool.")
    max_running_solves: int = Field(1, ge=1, le=64, description="Solver processes at once.")
    max_solves_per_team: int = Field(2, ge=1, description="Queued + running solves per team (429).")
    job_poll_seconds: float = Field(0.25, gt=0, le=10)
    job_heartbeat_seconds: float = Field(2.0, gt=0, le=300)
    job_stale_seconds: float = Field(15.0, gt=0, le=3600)
    reconcile_seconds: float = Field(5.0, gt=0, le=3600)
    job_max_attempts: int = Field(2, ge=1, le=10, description="Runs a job gets before it fails.")
    cancel_grace_seconds: float = Field(5.0, ge=0, le=600)

    # calendar feeds
    feed_token_key: SecretStr | None = Field(
        None,
        description="HMAC key for feed tokens (≥ 32 characters). Unset: one is generated once and "
        "kept in the database, so feed URLs survive restarts and are shared by all processes.",
        min_length=32,
    )
    feed_days_back: int = Field(14, ge=0, le=366, description="Past days a feed still shows.")
    public_url: str = Field(
        "http://127.0.0.1:8000", description="Base URL printed in feed links (no trailing slash)."
    )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Settings:
        problems: list[str] = []
        if not (
            self.database_url.startswith("sqlite:///")
            or self.database_url.startswith("postgresql+psycopg://")
        ):
            problems.append(
                "SUNSHIFT_DATABASE_URL must be sqlite:///PATH or postgresql+psycopg://… "
                "(other drivers are not supported)"
            )
        if self.database_url in {"sqlite://", "sqlite:///:memory:"}:
            problems.append("an in-memory SQLite database cannot be shared with solver processes")
        if not _is_loopback(self.host) and not self.allow_public_bind:
            problems.append(
                f"SUNSHIFT_HOST={self.host} is not a loopback address; set "
                "SUNSHIFT_ALLOW_PUBLIC_BIND=true once an API key exists (sunshift admin create-key)"
            )
        if self.is_sqlite and self.server_workers > 1:
            problems.append(
                "SQLite allows a single writer process: SUNSHIFT_SERVER_WORKERS must be 1 "
                "(use PostgreSQL for several)"
            )
        if self.default_time_limit_seconds > self.max_time_limit_seconds:
            problems.append("SUNSHIFT_DEFAULT_TIME_LIMIT_SECONDS exceeds the maximum")
        if self.job_stale_seconds <= self.job_heartbeat_seconds:
            problems.append("SUNSHIFT_JOB_STALE_SECONDS must exceed the heartbeat interval")
        if problems:
            raise ValueError("unsafe settings: " + "; ".join(problems))
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once from the environment (a FastAPI dependency)."""
    return Settings()

