"""API test fixtures: every test runs on SQLite and on the local PostgreSQL over a real connection.

PostgreSQL is at ``SUNSHIFT_TEST_POSTGRES_URL`` (default: the local server's ``test`` database);
each test session gets its own schema. When the server is unreachable the PostgreSQL pass is
skipped locally and FAILS under ``CI=true``.

``api`` fixtures run each test inside a transaction that is rolled back (the app's sessions join
it through savepoints). ``live`` fixtures commit for real, because solve jobs cross process
boundaries; their tables are emptied before each test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.orm import Session

from api.app import create_app
from api.auth.keys import Role
from api.db.engine import make_engine
from api.db.migrate import upgrade
from api.db.models import Base
from api.deps import get_reads, get_session
from api.settings import Settings
from tests.api.builders import make_key

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_URL = os.environ.get("SUNSHIFT_TEST_POSTGRES_URL", DEFAULT_PG)


def _postgres_reachable() -> str | None:
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as error:
        return f"{type(error).__name__}: {error}"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        path = Path(tmp_path_factory.mktemp("db")) / "sunshift.db"
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    problem = _postgres_reachable()
    if problem is not None:
        message = f"PostgreSQL at {PG_URL} is unreachable ({problem})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; CI must run the PostgreSQL pass")
        pytest.skip(message)
    schema = f"sunshift_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "jobs_enabled": False,
        "migrate_on_startup": False,  # the session fixture migrated once
        "max_body_bytes": 256 * 1024,
        "max_time_limit_seconds": 60,
        "default_time_limit_seconds": 20,
        "max_solver_workers": 1,
        "job_poll_seconds": 0.05,
        "job_heartbeat_seconds": 0.2,
        "job_stale_seconds": 1.0,
        "reconcile_seconds": 0.3,
        "cancel_grace_seconds": 1.0,
        **overrides,
    }
    return Settings(**values)


@dataclass
class Keys:
    admin: str
    scheduler: str
    planner: str
    viewer: str
    other_admin: str  # admin of another team

    def of(self, role: Role) -> str:
        return str(getattr(self, role.value))


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _make_keys(session: Session) -> Keys:
    return Keys(
        admin=make_key(session, "acme", Role.admin),
        scheduler=make_key(session, "acme", Role.scheduler),
        planner=make_key(session, "acme", Role.planner),
        viewer=make_key(session, "acme", Role.viewer),
        other_admin=make_key(session, "globex", Role.admin),
    )


@dataclass
class ApiEnv:
    client: TestClient
    session: Session  # bound to the test's outer transaction: sees what requests wrote
    connection: Connection
    keys: Keys

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, to prove a rejected request stored nothing."""
        self.session.expire_all()
        return {
            table.name: sorted(
                (tuple(str(v) for v in row) for row in self.connection.execute(table.select())),
            )
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture
def api(engine: Engine, database_url: str) -> Iterator[ApiEnv]:
    """A client whose requests run inside one rolled-back transaction (jobs disabled)."""
    connection = engine.connect()
    outer = connection.begin()
    setup = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)

    def session_override() -> Iterator[Session]:
        with Session(bind=connection, join_transaction_mode="create_savepoint",
                     expire_on_commit=False) as session, session.begin():
            yield session

    class TransactionReads:
        """Routes that read on their own read inside the test's transaction too."""

        single_reads = reading = staticmethod(contextmanager(session_override))

    app = create_app(make_settings(database_url))
    app.dependency_overrides[get_session] = session_override
    app.dependency_overrides[get_reads] = TransactionReads
    with setup.begin():
        keys = _make_keys(setup)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield ApiEnv(client=client, session=setup, connection=connection, keys=keys)
    setup.close()
    outer.rollback()
    connection.close()


def empty_tables(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@dataclass
class LiveEnv:
    client: TestClient
    keys: Keys
    engine: Engine
    settings: Settings


class LiveApps:
    """Starts and stops apps that share one real database (a stop is a server shutdown)."""

    def __init__(self, engine: Engine, database_url: str, keys: Keys) -> None:
        self.engine, self.database_url, self.keys = engine, database_url, keys
        self.opened: list[TestClient] = []

    def start(self, **overrides: Any) -> LiveEnv:
        settings = make_settings(self.database_url, **{"jobs_enabled": True, **overrides})
        client = TestClient(create_app(settings), raise_server_exceptions=False)
        client.__enter__()
        self.opened.append(client)
        return LiveEnv(client=client, keys=self.keys, engine=self.engine, settings=settings)

    def stop(self, env: LiveEnv) -> None:
        self.opened.remove(env.client)
        env.client.__exit__(None, None, None)

    def close(self) -> None:
        for client in self.opened:
            client.__exit__(None, None, None)
        self.opened.clear()


@pytest.fixture
def live(engine: Engine, database_url: str) -> Iterator[LiveApps]:
    """Apps with real commits and the process runner; tables are emptied before and after."""
    empty_tables(engine)
    with Session(engine) as session, session.begin():
        keys = _make_keys(session)
    apps = LiveApps(engine, database_url, keys)
    yield apps
    apps.close()
    empty_tables(engine)


@dataclass
class World:
    forecast_id: int
    solve_id: int
    versions: tuple[int, int]
    other_forecast_id: int
    admin_key_id: str


@pytest.fixture
def world(api: ApiEnv) -> World:
    """Team acme with a queue, a contract, two agents, a forecast, a solve and two rosters;
    team globex with a forecast of its own."""
    from api.catalog import service as catalog
    from api.forecasts import service as forecasts
    from api.forecasts.schemas import ForecastIn
    from api.teams.repository import TeamRepository
    from scheduler.domain import Agent, Contract, Queue
    from tests.api.builders import (
        make_agent,
        make_contract,
        make_forecast,
        make_queue,
        make_stored_roster,
        solved_roster,
    )

    settings = make_settings("sqlite:///unused.db")
    session = api.session
    with session.begin():
        teams = TeamRepository(session)
        acme = teams.by_slug("acme")
        globex = teams.by_slug("globex")
        assert acme is not None and globex is not None
        for team in (acme, globex):
            catalog.put(session, team, catalog.QUEUES, "en", Queue(**make_queue()), settings)
            catalog.put(session, team, catalog.CONTRACTS, "ft", Contract(**make_contract()), settings)
        for agent_id in ("a1", "a2"):
            catalog.put(session, acme, catalog.AGENTS, agent_id, Agent(**make_agent(agent_id)), settings)
        forecast = forecasts.create(session, acme, ForecastIn(**make_forecast()), settings)
        other = forecasts.create(session, globex, ForecastIn(**make_forecast()), settings)
        first = make_stored_roster(session, acme, 1)
        data = solved_roster()
        shifts = data["shifts"]
        moved = dict(shifts[-1])
        moved["start"], moved["end"] = shifts[-1]["end"], shifts[-1]["end"]  # a different time
        second = make_stored_roster(session, acme, 2, {**data, "shifts": [*shifts[1:-1], moved]})
        admin_key_id = api.keys.admin.split("_")[1]
    return World(
        forecast_id=forecast.id, solve_id=first.solve_id, versions=(first.version, second.version),
        other_forecast_id=other.id, admin_key_id=admin_key_id,
    )
