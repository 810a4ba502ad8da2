"""Engines and sessions. Created by the app's lifespan (or a CLI command), never at import.

SQLite is configured for one writer process: WAL, a busy timeout, foreign keys on, and
``BEGIN IMMEDIATE`` for write transactions so a writer takes the lock up front instead of failing
half-way on an upgrade. Read transactions stay deferred so readers never wait on writers.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger("sunshift.db")

#: SQLite 3.51.3 fixed a WAL-reset corruption bug that concurrent writers can trigger.
SQLITE_WAL_FIX = (3, 51, 3)
_WRITE_OPTION = "sunshift_write"
#: anyio's default worker-thread limit, which bounds how many sessions are open at once
SQLITE_POOL_SIZE = 40
#: connections per process to a database server (PostgreSQL allows 100 by default)
SERVER_POOL_SIZE = 12


def sqlite_version_warning(version: tuple[int, ...] | None = None) -> str | None:
    """The start-up warning for SQLite libraries older than the WAL fix, or None.

    >>> sqlite_version_warning((3, 51, 3)) is None
    True
    >>> "3.40.1" in (sqlite_version_warning((3, 40, 1)) or "")
    True
    """
    found = version or sqlite3.sqlite_version_info
    if tuple(found) >= SQLITE_WAL_FIX:
        return None
    shown = ".".join(map(str, found))
    return (
        f"SQLite {shown} predates 3.51.3, which fixed a WAL corruption bug with concurrent "
        "writers; Sunshift keeps a single writer process, but use PostgreSQL for production"
    )


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return  # single-statement reads (Database.single_reads) run outside a transaction
        connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(_WRITE_OPTION, False) else "BEGIN")


def make_engine(url: str, *, busy_timeout_ms: int = 5000, **kwargs: Any) -> Engine:
    """An engine for ``url`` with Sunshift's SQLite discipline applied when it is SQLite."""
    if url.startswith("sqlite"):
        if "poolclass" not in kwargs and ":memory:" not in url and url != "sqlite://":
            # a pool as wide as the worker-thread pool: past pool_size every checkout would open
            # a new connection (and run the pragmas) and close it again, under exactly the load
            # that can least afford it
            kwargs = {"pool_size": SQLITE_POOL_SIZE, "max_overflow": 8, **kwargs}
        engine = create_engine(
            url, connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
            **kwargs,
        )
        _configure_sqlite(engine, busy_timeout_ms)
        return engine
    if "poolclass" not in kwargs:
        # a fixed pool: an overflow connection is a new server backend (milliseconds) opened
        # and closed per checkout under load; waiting for a pooled one is far cheaper
        kwargs = {"pool_size": SERVER_POOL_SIZE, "max_overflow": 0, **kwargs}
    return create_engine(url, pool_pre_ping=True, **kwargs)


@dataclass
class Database:
    """One engine and the two session factories built on it: reads and writes."""

    engine: Engine

    def __post_init__(self) -> None:
        writer = self.engine.execution_options(**{_WRITE_OPTION: True})
        self.read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.write_sessions = sessionmaker(writer, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with self.write_sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.read_sessions() as session, session.begin():
            yield session

    @contextmanager
    def single_reads(self) -> Iterator[Connection]:
        """A connection whose statements each run on their own, outside any transaction: one
        round trip per read instead of BEGIN, read, COMMIT. Only for reads that need no
        snapshot shared with another read (a hot path's single lookup)."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            yield connection

    def dispose(self) -> None:
        self.engine.dispose()
