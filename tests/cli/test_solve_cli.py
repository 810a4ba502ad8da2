"""``sunshift solve``: the roster JSON contract, --json, CSV, exit codes and reproducibility."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scheduler.cli.app import app
from scheduler.domain import Horizon, Queue, Scenario, TimeOff
from tests.builders import flat_demand, make_agent, make_contract, make_scenario

runner = CliRunner()

TINY_FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "small" / "tiny.json"
#: Fast and reproducible: a deterministic budget on one worker, wall time only as a cap.
FAST = ["--time-limit", "5", "--deterministic-time", "1", "--workers", "1", "--seed", "7"]


def make_tiny_scenario() -> Scenario:
    """Two queues, three agents in three zones, two hourly days."""
    horizon = Horizon(start="2026-03-23", days=2, interval_minutes=60)
    queues = [
        Queue(id="en", language="en", channel="phone"),
        Queue(id="de", language="de", channel="phone"),
    ]
    demand = flat_demand(horizon, "en", 1) + flat_demand(
        horizon, "de", [float(7 <= i % 24 < 15) for i in range(horizon.interval_count)]
    )
    agents = [
        make_agent("ams", timezone="Europe/Amsterdam", skills=["en", "de"], site="ams"),
        make_agent("nyc", timezone="America/New_York", skills=["en"], site="nyc"),
        make_agent("syd", timezone="Australia/Sydney", skills=["en"], site="syd"),
    ]
    return make_scenario(horizon=horizon, queues=queues, demand=demand, agents=agents)


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared tiny fixture when present, else a scenario built here."""
    if TINY_FIXTURE.exists():
        return TINY_FIXTURE
    path = tmp_path_factory.mktemp("scenario") / "tiny.json"
    path.write_text(make_tiny_scenario().model_dump_json(indent=2), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory, scenario_file: Path) -> dict[str, Any]:
    """One --json solve (with a CSV) shared by the contract tests."""
    out = tmp_path_factory.mktemp("solve") / "nested" / "roster.json"
    csv_path = out.parent / "shifts.csv"
    result = runner.invoke(
        app, ["solve", str(scenario_file), "--out", str(out), "--csv", str(csv_path), *FAST,
              "--json"]
    )
    assert result.exit_code == 0, result.output
    return {
        "summary": json.loads(result.stdout),
        "roster": json.loads(out.read_text()),
        "out": out,
        "csv": csv_path,
    }


def test_solve_writes_the_roster_contract(solved: dict[str, Any]) -> None:
    roster = solved["roster"]
    assert roster["status"] in {"OPTIMAL", "FEASIBLE"}
    assert isinstance(roster["objective"], float)
    assert "best_bound" in roster
    assert roster["shifts"], "a staffed scenario gets shifts"
    for shift in roster["shifts"]:
        assert shift["start"].endswith("Z") and shift["end"].endswith("Z")
        assert shift["local_start"][-6] in "+-" and shift["local_end"][-6] in "+-"
        for key in ("agent_id", "timezone", "allocation", "breaks"):
            assert key in shift
        assert all({"queue", "start", "end"} <= set(span) for span in shift["allocation"])
    rows = roster["coverage"]
    assert all({"queue", "interval_start", "required", "scheduled"} <= set(row) for row in rows)
    queues = {row["queue"] for row in rows}
    intervals = {row["interval_start"] for row in rows}
    assert len(rows) == len(queues) * len(intervals), "one row per queue × interval"
    assert {(r["queue"], r["interval_start"]) for r in rows} == {
        (q, i) for q in queues for i in intervals
    }
    kpis = roster["kpis"]
    for key in (
        "under_staffed_hours",
        "over_staffed_hours",
        "under_staffed_lower_bound_hours",
        "coverage_ratio",
        "labour_cost",
        "unsocial_hours",
        "hours_per_agent",
    ):
        assert key in kpis


def test_solve_json_summary(solved: dict[str, Any]) -> None:
    summary, roster = solved["summary"], solved["roster"]
    assert summary["status"] == roster["status"]
    assert summary["objective"] == pytest.approx(roster["objective"])
    assert summary["out"] == str(solved["out"])
    assert "hours_per_agent" not in summary["kpis"]
    assert summary["kpis"]["coverage_ratio"] == roster["kpis"]["coverage_ratio"]
    assert summary["solver"]["workers"] == 1
    assert {"best_bound", "gap"} <= set(summary)


def test_solve_csv_has_one_row_per_shift(solved: dict[str, Any]) -> None:
    with solved["csv"].open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    shifts = solved["roster"]["shifts"]
    assert len(rows) == len(shifts)
    assert [r["agent_id"] for r in rows] == [s["agent_id"] for s in shifts]
    assert rows[0]["start"] == shifts[0]["start"]
    assert set(rows[0]["queues"].split("|")) == {a["queue"] for a in shifts[0]["allocation"]}


def test_solve_prints_a_coverage_summary_for_people(scenario_file: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["solve", str(scenario_file), "--out", str(tmp_path / "r.json"), *FAST]
    )
    assert result.exit_code == 0, result.output
    for text in ("Status", "Coverage ratio", "Labour cost", "Coverage per queue", "Required"):
        assert text in result.stdout


def test_same_seed_and_deterministic_time_give_identical_shifts(
    scenario_file: Path, tmp_path: Path
) -> None:
    """Reproducibility: seed + --deterministic-time + one worker ⇒ the same roster."""
    rosters = []
    for run in ("first", "second"):
        out = tmp_path / f"{run}.json"
        result = runner.invoke(app, ["solve", str(scenario_file), "--out", str(out), *FAST])
        assert result.exit_code == 0, result.output
        rosters.append(json.loads(out.read_text()))
    assert rosters[0]["shifts"] == rosters[1]["shifts"]
    assert rosters[0]["objective"] == rosters[1]["objective"]


def test_invalid_scenario_exits_2_naming_the_problem(tmp_path: Path) -> None:
    """scenario.invalid: an agent on an undefined contract is named, with no traceback."""
    document = json.loads(make_tiny_scenario().model_dump_json())
    document["agents"][0]["contract"] = "no-such-contract"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(app, ["solve", str(path), "--out", str(tmp_path / "r.json"), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "scenario.invalid" in result.stderr
    assert "no-such-contract" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.json").exists()


def test_bad_solver_option_exits_2(scenario_file: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "r.json")
    result = runner.invoke(app, ["solve", str(scenario_file), "--out", out, "--time-limit", "0"])
    assert result.exit_code == 2
    assert "--time-limit" in result.stderr


def test_infeasible_scenario_exits_3_with_its_explanation(tmp_path: Path) -> None:
    """40 guaranteed hours cannot fit in 4 working days of 8 h after a day of leave."""
    contract = make_contract(min_hours_per_week=40, min_hours_hard=True, min_days_off_per_week=3)
    agent = make_agent("maria", time_off=[TimeOff(start="2026-03-23", end="2026-03-23")])
    scenario = make_scenario(
        horizon=Horizon(start="2026-03-23", days=7, interval_minutes=60),
        contracts=[contract],
        agents=[agent],
    )
    path = tmp_path / "infeasible.json"
    path.write_text(scenario.model_dump_json(), encoding="utf-8")
    out = tmp_path / "roster.json"
    result = runner.invoke(app, ["solve", str(path), "--out", str(out), *FAST])
    assert result.exit_code == 3, result.output
    assert "Infeasible" in result.stdout
    assert "maria" in result.stdout
    assert json.loads(out.read_text())["status"] == "INFEASIBLE"
    as_json = runner.invoke(app, ["solve", str(path), "--out", str(out), *FAST, "--json"])
    assert as_json.exit_code == 3
    payload = json.loads(as_json.stdout)
    assert payload["status"] == "INFEASIBLE"
    assert payload["explanation"]["conflicts"]
