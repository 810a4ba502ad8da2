"""The root-pricing benchmark: smoothing the duals changes the way to the root LP's optimum,
never the optimum itself, and the benchmark prints one JSON line with what it measured."""

from __future__ import annotations

import json

import pytest

from scheduler.benchmarks.column_root import main, measure


@pytest.mark.parametrize("instance", ["Instance1", "Instance2"])
def test_smoothed_and_plain_pricing_converge_to_the_same_root_lp(instance: str) -> None:
    plain = measure(instance, seconds=60, smoothing=0.0, workers=2)
    smoothed = measure(instance, seconds=60, smoothing=0.5, workers=2)

    assert plain["converged"] and smoothed["converged"]
    assert smoothed["lp_value"] == pytest.approx(plain["lp_value"], abs=1e-3)
    assert smoothed["start_objective"] == plain["start_objective"]


def test_the_benchmark_prints_one_json_line(capsys: pytest.CaptureFixture[str]) -> None:
    main(["1", "--seconds", "30", "--workers", "1"])

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    measured = json.loads(lines[0])
    assert measured["instance"] == "Instance1" and measured["converged"] is True
    assert measured["rounds"] >= 1 and measured["columns"] >= 1
    # in objective points the converged LP bounds every roster: Instance 1's optimum is 607,
    # and the LP over every plan (a unique value, whatever the path to it) is 558
    assert measured["lp_objective"] == pytest.approx(558.0, abs=1e-3)
    assert measured["lp_objective"] > measured["lp_value"]  # the shift-on requests' constant
