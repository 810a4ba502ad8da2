"""``sunshift bench``: one JSON line on stdout with the benchmark's keys."""

from __future__ import annotations

import json

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
    assert row["first_feasible_seconds"] == row["solver"]["first_solution_seconds"]
    assert row["peak_memory_mib"] > 0
    # A run that ended before a checkpoint reports its final objective there.
    if row["wall_seconds"] <= 10:
        assert row["objective_at_10s"] == row["objective"]
    assert row["objective_at_60s"] == row["objective"]
