"""The dive benchmark: root and dive run under work budgets, so they repeat, each stage's
roster is no worse than the one it started from, and it prints one JSON line."""

from __future__ import annotations

import json

import pytest

from scheduler.benchmarks.column_dive import main, measure


def test_the_stages_repeat_and_each_keeps_or_improves_the_roster() -> None:
    runs = [
        measure("Instance2", root_work=5.0, dive_work=2.0, narrow_seconds=1.0, workers=2)
        for _ in range(2)
    ]

    first = runs[0]
    repeated = ("root_lp", "root_rounds", "dived", "dive_rounds", "start_objective")
    assert [first[k] for k in repeated] == [runs[1][k] for k in repeated]
    assert isinstance(first["root_lp"], float)
    assert isinstance(first["dived"], float) and isinstance(first["narrowed"], float)
    assert isinstance(first["start_objective"], float)
    # the root of Instance 2 converges within its work: its LP bounds every roster
    assert first["root_lp"] - 1e-6 <= first["narrowed"] <= first["dived"]
    assert first["dived"] <= first["start_objective"]


def test_the_benchmark_prints_one_json_line(capsys: pytest.CaptureFixture[str]) -> None:
    main(["1", "--root-work", "2", "--dive-work", "1", "--narrow-seconds", "0.5", "--workers", "1"])

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    measured = json.loads(lines[0])
    assert measured["instance"] == "Instance1" and measured["root_rounds"] >= 1
