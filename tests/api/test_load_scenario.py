"""``sunshift admin load-scenario``: a scenario file becomes a team the API serves, with a roster.

Each test gets a fresh SQLite file (the demo's embedded default); solves run through the real
job path (process runner) on a deterministic budget, so they are quick and reproducible.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from typer.testing import CliRunner

from api.app import create_app
from api.db.models import Base
from scheduler.cli.app import app
from tests.api.conftest import auth, make_settings

runner = CliRunner()

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TINY = FIXTURES / "small" / "tiny.json"
FAST = ["--time-limit", "10", "--deterministic-time", "0.5", "--workers", "1", "--seed", "1"]


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'sunshift.db'}"


def load(database_url: str, *args: str, scenario: Path = TINY, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(
        app,
        ["admin", "load-scenario", str(scenario), "--team", "tiny", "--database-url", database_url, *args],
        env=env,
    )


def load_json(database_url: str, *args: str) -> dict[str, Any]:
    result = load(database_url, *FAST, "--json", *args)
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def viewer_key(database_url: str) -> str:
    result = runner.invoke(
        app,
        ["admin", "create-key", "--team", "tiny", "--role", "viewer", "--database-url", database_url, "--json"],
    )
    assert result.exit_code == 0, result.output
    key: str = json.loads(result.stdout)["key"]
    return key


def table_rows(database_url: str) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, to prove a rejected load stored nothing."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return {
                table.name: sorted(tuple(str(v) for v in row) for row in connection.execute(table.select()))
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def test_loaded_team_and_roster_are_served(database_url: str) -> None:
    report = load_json(database_url)
    assert report["loaded"]["agents_created"] == 3 and not report["loaded"]["forecast_reused"]
    assert report["solve"]["state"] == "succeeded" and report["solve"]["attempt"] == 1
    assert report["roster"]["version"] == 1 and report["roster"]["shifts"] > 0

    headers = auth(viewer_key(database_url))
    with TestClient(create_app(make_settings(database_url)), raise_server_exceptions=False) as client:
        agents = client.get("/v1/teams/tiny/agents", headers=headers).json()
        assert {a["id"] for a in agents["items"]} == {"cph01", "cph02", "cph03"}
        queues = client.get("/v1/teams/tiny/queues", headers=headers).json()
        assert [q["id"] for q in queues["items"]] == ["da-phone"]
        rosters = client.get("/v1/teams/tiny/rosters", headers=headers).json()
        assert [r["version"] for r in rosters["items"]] == [1]
        coverage = client.get("/v1/teams/tiny/rosters/1/coverage", headers=headers)
        assert coverage.status_code == 200, coverage.text
        (queue,) = coverage.json()["queues"]
        assert queue["queue"] == "da-phone" and len(queue["intervals"]) == 48  # one day of 30 min
        assert queue["scheduled_agent_hours"] > 0


def test_rerunning_upserts_and_adds_a_roster_version(database_url: str) -> None:
    """The demo runs on the same database every time: data is upserted, not duplicated."""
    load_json(database_url)
    again = load_json(database_url)
    assert again["loaded"]["agents_created"] == 0 and again["loaded"]["agents_updated"] == 3
    assert again["loaded"]["forecast_reused"]
    assert again["roster"]["version"] == 2 and again["solve"]["forecast_id"] == 1
    rows = table_rows(database_url)
    assert len(rows["agents"]) == 3 and len(rows["forecasts"]) == 1
    assert len(rows["solves"]) == 2 and len(rows["rosters"]) == 2


def test_no_solve_only_loads(database_url: str) -> None:
    result = load(database_url, "--no-solve")
    assert result.exit_code == 0, result.output
    rows = table_rows(database_url)
    assert len(rows["agents"]) == 3 and rows["solves"] == [] and rows["rosters"] == []


@pytest.mark.parametrize("bad", ["malformed.json", "undefined_queue.json"])
def test_an_invalid_scenario_exits_2_and_stores_nothing(database_url: str, bad: str) -> None:
    assert load(database_url, "--no-solve").exit_code == 0
    before = table_rows(database_url)
    result = load(database_url, *FAST, scenario=FIXTURES / "invalid" / bad)
    assert result.exit_code == 2
    assert "[scenario.invalid]" in result.stderr
    assert table_rows(database_url) == before


def test_a_scenario_over_the_service_limits_stores_nothing(database_url: str) -> None:
    """The load and the job row share one transaction: a refusal half-way rolls back the rest."""
    assert load(database_url, "--no-solve").exit_code == 0
    before = table_rows(database_url)
    result = load(database_url, *FAST, env={"SUNSHIFT_MAX_AGENTS": "2"})
    assert result.exit_code == 2, result.output
    message = " ".join(result.stderr.split())  # rich wraps long lines
    assert "[scenario.invalid]" in message and "the limit is 2" in message
    assert table_rows(database_url) == before


def test_published_demo_team_serves_the_feed_url_the_cli_prints(database_url: str) -> None:
    report = load_json(database_url)
    published = runner.invoke(app, ["admin", "publish", "--team", "tiny", "--database-url", database_url, "--json"])
    assert published.exit_code == 0, published.output
    assert json.loads(published.stdout)["added"] == report["roster"]["shifts"]

    created = runner.invoke(
        app, ["admin", "feed-token", "--team", "tiny", "--agent", "cph01", "--database-url", database_url]
    )
    assert created.exit_code == 0, created.output
    url = created.stdout.strip().splitlines()[-1]  # one line, never wrapped
    assert url.startswith("http://127.0.0.1:8000/v1/feeds/ssf_") and url.endswith(".ics")

    with TestClient(create_app(make_settings(database_url)), raise_server_exceptions=False) as client:
        response = client.get(url.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"X-WR-TIMEZONE:Europe/Copenhagen" in response.content
    again = runner.invoke(app, ["admin", "feed-token", "--team", "tiny", "--database-url", database_url])
    assert again.exit_code == 2 and "exactly one of" in again.stderr
