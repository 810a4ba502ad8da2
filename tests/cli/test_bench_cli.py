"""``sunshift bench``: one JSON line on stdout with the benchmark's keys."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from scheduler.cli.app import app

runner = CliRunner()

KEYS = {
    "agents",
    "days",
    "queues",
    "seed",
    "time_limit",
    "build_seconds",
    "first_feasible_seconds",
    "objective_at_10s",
    "objective_at_30s",
    "objective_at_60s",
    "gap_at_10s",
    "gap_at_30s",
    "gap_at_60s",
    "objective",
    "best_bound",
    "gap",
    "lower_bound_hours",
    "under_staffed_hours_end",
    "coverage_ratio",
    "status",
    "wall_seconds",
    "peak_memory_mib",
    "strategy",
    "solver",
    "checks",
}


def test_bench_prints_one_json_line_with_every_key() -> None:
    args = ["bench", "--agents", "12", "--days", "2", "--queues", "2", "--time-limit", "5"]
    result = runner.invoke(app, [*args, "--workers", "2"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert not KEYS - set(row), KEYS - set(row)
    assert (row["agents"], row["days"], row["queues"], row["seed"]) == (12, 2, 2, 1)
    assert row["status"] in {"OPTIMAL", "FEASIBLE"}
    assert row["checks"] == "ok"  # the validator agrees with the solver
    assert row["first_feasible_seconds"] == row["solver"]["first_solution_seconds"]
    assert row["peak_memory_mib"] > 0
    # A run that ended before a checkpoint reports its final objective there.
    if row["wall_seconds"] <= 10:
        assert row["objective_at_10s"] == row["objective"]
    assert row["objective_at_60s"] == row["objective"]


def test_bench_exits_5_when_the_validator_disagrees_with_the_solver(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scheduler.cli import bench as bench_cli

    real_solve = bench_cli.solve

    def misreporting(scenario, params, **kwargs):  # type: ignore[no-untyped-def]
        result = real_solve(scenario, params, **kwargs)
        return replace(result, objective=result.objective - 1.0)  # one point too good

    monkeypatch.setattr(bench_cli, "solve", misreporting)
    args = ["bench", "--agents", "8", "--days", "2", "--queues", "2", "--time-limit", "3"]
    result = runner.invoke(app, [*args, "--workers", "1"])

    assert result.exit_code == 5
    row = json.loads(result.stdout.splitlines()[0])  # the line is still printed
    assert "validator objective" in row["checks"][0]
