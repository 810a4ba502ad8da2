"""``sunshift report``: per-queue coverage that adds up to the roster's, validation, bad files."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scheduler.cli.app import app
from tests.cli.test_solve_cli import FAST, TINY_FIXTURE, make_tiny_scenario

runner = CliRunner()


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if TINY_FIXTURE.exists():
        return TINY_FIXTURE
    path = tmp_path_factory.mktemp("scenario") / "tiny.json"
    path.write_text(make_tiny_scenario().model_dump_json(indent=2), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def roster_file(tmp_path_factory: pytest.TempPathFactory, scenario_file: Path) -> Path:
    out = tmp_path_factory.mktemp("report") / "roster.json"
    result = runner.invoke(app, ["solve", str(scenario_file), "--out", str(out), *FAST])
    assert result.exit_code == 0, result.output
    return out


def _interval_hours(coverage: list[dict[str, object]]) -> float:
    starts = sorted({str(row["interval_start"]) for row in coverage})
    first, second = (datetime.fromisoformat(s.replace("Z", "+00:00")) for s in starts[:2])
    return (second - first).total_seconds() / 3600


def test_report_json_matches_the_roster_coverage_sums(roster_file: Path) -> None:
    roster = json.loads(roster_file.read_text())
    hours = _interval_hours(roster["coverage"])
    required: dict[str, float] = defaultdict(float)
    scheduled: dict[str, float] = defaultdict(float)
    for row in roster["coverage"]:
        required[row["queue"]] += row["required"] * hours
        scheduled[row["queue"]] += row["scheduled"] * hours

    result = runner.invoke(app, ["report", str(roster_file), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {q["queue"] for q in report["queues"]} == set(required)
    for queue in report["queues"]:
        assert queue["required_hours"] == pytest.approx(required[queue["queue"]])
        assert queue["scheduled_hours"] == pytest.approx(scheduled[queue["queue"]])
        assert 0.0 <= queue["coverage"] <= 1.0
    by_day: dict[str, float] = defaultdict(float)
    for row in report["queue_days"]:
        by_day[row["queue"]] += row["required_hours"]
    assert by_day == pytest.approx(dict(required))
    paid = sum(shift["paid_hours"] for shift in roster["shifts"])
    assert sum(site["paid_hours"] for site in report["sites"]) == pytest.approx(paid)
    assert report["kpis"]["coverage_ratio"] == roster["kpis"]["coverage_ratio"]
    assert "hours_per_agent" not in report["kpis"]
    assert report["violations"] is None


def test_report_tables_show_per_queue_numbers(roster_file: Path) -> None:
    report = json.loads(runner.invoke(app, ["report", str(roster_file), "--json"]).stdout)
    result = runner.invoke(app, ["report", str(roster_file)])
    assert result.exit_code == 0, result.output
    assert "Coverage per queue and UTC day" in result.stdout
    assert "Hours per site" in result.stdout
    for queue in report["queues"]:
        assert queue["queue"] in result.stdout
        assert f"{queue['required_hours']:,.1f}" in result.stdout


def test_report_with_scenario_lists_no_violations(roster_file: Path, scenario_file: Path) -> None:
    result = runner.invoke(
        app, ["report", str(roster_file), "--scenario", str(scenario_file), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["violations"] == []


def test_report_exits_5_when_the_roster_breaks_a_hard_rule(
    roster_file: Path, scenario_file: Path, tmp_path: Path
) -> None:
    """A shift worked twice by the same agent overlaps itself: the validator must say so."""
    roster = json.loads(roster_file.read_text())
    roster["shifts"].append(roster["shifts"][0])
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(roster), encoding="utf-8")
    result = runner.invoke(app, ["report", str(tampered), "--scenario", str(scenario_file)])
    assert result.exit_code == 5, result.output
    assert "violations" in result.stdout
    payload = runner.invoke(
        app, ["report", str(tampered), "--scenario", str(scenario_file), "--json"]
    )
    assert payload.exit_code == 5
    assert json.loads(payload.stdout)["violations"]


def test_report_rejects_a_file_that_is_not_a_roster(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    path.write_text('{"shifts": "many"}', encoding="utf-8")
    result = runner.invoke(app, ["report", str(path), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "roster.invalid" in result.stderr
    assert "status" in result.stderr
    assert "Traceback" not in result.output
