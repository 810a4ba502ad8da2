"""``sunshift bench``: the synthetic benchmark still runs as the group's own command, and
``sunshift bench curtois`` runs, checks, writes and reports instances with stable exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scheduler.benchmarks.curtois_run import DATA_ENV, all_instances
from scheduler.cli import bench
from scheduler.cli.app import app
from scheduler.domain import Scenario
from scheduler.roster import SolveStatus
from tests.benchmarks.curtois_builders import (
    DATA_DIR,
    TINY,
    curtois_instance,
    load_fixture,
    squash,
    stand_in_solver,
)
from tests.builders import make_scenario

runner = CliRunner()
OPTIMUM = load_fixture("instance1-optimal-607.json")["assignments"]
FAST = ["--time-limit", "5", "--workers", "1"]


def use_solver(
    monkeypatch: pytest.MonkeyPatch,
    objective: float | None,
    status: SolveStatus = SolveStatus.OPTIMAL,
) -> None:
    """``bench curtois`` answers Instance 1 with its known optimum, claiming ``objective``."""
    instance = curtois_instance("Instance1")
    assignments = OPTIMUM if objective is not None else None
    monkeypatch.setattr(
        bench, "solve", stand_in_solver(instance, assignments, objective=objective, status=status)
    )


def test_bench_without_a_subcommand_runs_the_synthetic_benchmark(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Today's ``sunshift bench --agents …`` keeps its options and its one JSON line."""
    calls: list[tuple[Any, ...]] = []

    def generate_team(
        agents: int, days: int, queues: int, seed: int, *, interval_minutes: int
    ) -> Scenario:
        calls.append((agents, days, queues, seed, interval_minutes))
        return make_scenario()

    monkeypatch.setattr(bench, "generate_team", generate_team)
    args = ["bench", "--agents", "3", "--days", "2", "--queues", "1", "--seed", "4"]
    result = runner.invoke(app, [*args, "--interval-minutes", "60", *FAST])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert (row["agents"], row["days"], row["queues"], row["seed"]) == (3, 2, 1, 4)
    assert row["status"] in {"OPTIMAL", "FEASIBLE"}
    assert calls == [(3, 2, 1, 4, 60)]


def test_bench_help_lists_the_curtois_subcommand() -> None:
    result = runner.invoke(app, ["bench", "--help"])
    assert result.exit_code == 0
    assert "curtois" in result.stdout and "--agents" in result.stdout


@pytest.mark.usefixtures("validator_agrees")
def test_curtois_prints_the_table_and_writes_the_solution(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_solver(monkeypatch, 607)
    result = runner.invoke(app, ["bench", "curtois", "Instance1", "--out", str(tmp_path), *FAST])
    assert result.exit_code == 0, result.output
    for text in ("Instance", "Objective", "Best known", "Gap %", "Best bound", "Status", "Seconds"):
        assert text in result.stdout
    assert "Instance1" in result.stdout and "OPTIMAL" in result.stdout
    assert "DISAGREE" not in result.stdout
    assert squash("Instance1: OPTIMAL objective 607 (best known 607)") in squash(result.stderr)
    written = json.loads((tmp_path / "Instance1.json").read_text(encoding="utf-8"))
    assert written == {"instance": "Instance1", "objective": 607, "assignments": OPTIMUM}


@pytest.mark.usefixtures("validator_agrees")
def test_curtois_json_report(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_solver(monkeypatch, 607)
    args = ["bench", "curtois", "1", "Instance1", "--out", str(tmp_path), "--seed", "3", "--json"]
    result = runner.invoke(app, [*args, *FAST])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert (report["seed"], report["workers"], report["time_limit"]) == (3, 1, 5)
    assert len(report["runs"]) == 1  # "1" and "Instance1" are the same instance
    run = report["runs"][0]
    assert {
        k: run[k] for k in ("instance", "objective", "best_known", "gap_percent", "status")
    } == {
        "instance": "Instance1",
        "objective": 607,
        "best_known": 607,
        "gap_percent": 0,
        "status": "OPTIMAL",
    }
    assert (run["best_bound"], run["evaluator_penalty"], run["problems"]) == (607, 607, [])


@pytest.mark.usefixtures("validator_agrees")
def test_curtois_says_loudly_when_the_checks_disagree(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_solver(monkeypatch, 590)
    result = runner.invoke(app, ["bench", "curtois", "Instance1", "--out", str(tmp_path), *FAST])
    assert result.exit_code == 5
    assert "DISAGREE" in result.stdout
    assert squash("CHECKS DISAGREE on Instance1") in squash(result.stderr)
    assert squash("evaluator penalty 607 ≠ solver objective 590") in squash(result.stderr)


def test_curtois_without_a_roster_exits_4(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_solver(monkeypatch, None, SolveStatus.UNKNOWN)
    result = runner.invoke(app, ["bench", "curtois", "Instance1", "--out", str(tmp_path), *FAST])
    assert result.exit_code == 4
    assert "UNKNOWN" in result.stdout
    assert not (tmp_path / "Instance1.json").exists()


def test_curtois_runs_all_24_in_numeric_order_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[list[str]] = []

    def record(names: list[str], **kwargs: Any) -> Any:
        seen.append(list(names))
        raise SystemExit(0)

    monkeypatch.setattr(bench, "run_curtois", record)
    runner.invoke(app, ["bench", "curtois", "--out", str(tmp_path)])
    assert seen == [all_instances()]
    assert seen[0][9:11] == ["Instance10", "Instance11"]


def test_curtois_refuses_an_unknown_instance(tmp_path: Path) -> None:
    result = runner.invoke(app, ["bench", "curtois", "Instance99", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "[curtois.unknown_instance]" in result.stderr


def test_curtois_names_a_missing_data_folder(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["bench", "curtois", "1", "--out", str(tmp_path), "--data", str(tmp_path / "nowhere")]
    )
    assert result.exit_code == 2
    assert "[curtois.data_missing]" in result.stderr
    assert DATA_ENV in squash(result.stderr)


@pytest.mark.usefixtures("validator_agrees")
def test_curtois_reads_the_data_folder_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    (data / "instances").mkdir(parents=True)
    shutil.copy(DATA_DIR / "instances" / "Instance1.txt", data / "instances")
    monkeypatch.setenv(DATA_ENV, str(data))
    use_solver(monkeypatch, 607)
    result = runner.invoke(
        app, ["bench", "curtois", "1", "--out", str(tmp_path / "out"), "--json", *FAST]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["data_dir"] == str(data)
    assert report["runs"][0]["best_known"] is None  # no best_known.csv there


def test_curtois_names_the_line_of_a_malformed_instance(tmp_path: Path) -> None:
    (tmp_path / "instances").mkdir()
    text = TINY.replace("0,D,1,100,1\n", "0,D,1,100\n")
    (tmp_path / "instances" / "Instance3.txt").write_text(text)
    line = text.splitlines().index("0,D,1,100") + 1
    result = runner.invoke(
        app, ["bench", "curtois", "3", "--out", str(tmp_path / "o"), "--data", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "[curtois.invalid]" in result.stderr
    assert squash(f"Instance3.txt:{line}: expected 5 fields") in squash(result.stderr)
