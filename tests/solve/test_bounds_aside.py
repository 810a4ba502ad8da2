"""The bounds searched on the second core: the same bounds as in the solve's own process, the
best so far when hurried, and a failed or overdue search reported, never waited on forever."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from scheduler.domain import Horizon
from scheduler.model.problem import Problem, compile_problem
from scheduler.solve import bounds_aside, facade
from scheduler.solve.bounds import Bounds, lower_bounds
from scheduler.solve.bounds_aside import BoundsAside
from scheduler.solve.facade import solve
from scheduler.solve.forked_pricing import can_fork
from scheduler.solve.params import SolveParams
from tests.builders import make_agent, make_scenario, unserved_language_scenario

pytestmark = pytest.mark.skipif(not can_fork(), reason="no fork on this platform")

HORIZON = Horizon(start=date(2026, 3, 23), days=2, interval_minutes=60)


def _unskilled_team() -> Problem:
    return compile_problem(unserved_language_scenario(HORIZON))


def test_the_search_aside_finds_the_bounds_found_in_process() -> None:
    problem = _unskilled_team()
    here = lower_bounds(problem, 10.0**9, 48.0, 20.0)

    aside = BoundsAside(problem, 10.0**9, 48.0, time.monotonic() + 20.0)

    assert aside.result() == here
    assert here.hours == pytest.approx(48.0, rel=1e-6)


def _searching_until_told(
    problem: Problem,
    target: float,
    target_hours: float,
    seconds: float,
    stop: Callable[[], bool] | None = None,
) -> Bounds:
    while stop is None or not stop():
        time.sleep(0.01)
    return Bounds(1.0, 2.0)


def test_a_hurried_search_answers_with_its_bounds_so_far(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bounds_aside, "lower_bounds", _searching_until_told)
    started = time.monotonic()
    aside = BoundsAside(_unskilled_team(), 1.0, 0.0, started + 60.0)

    assert aside.result(now=True) == Bounds(1.0, 2.0)
    assert time.monotonic() - started < 30.0  # not at its deadline


def test_a_failed_search_names_its_cause(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*args: object, **kwargs: object) -> Bounds:
        raise ValueError("no prices")

    monkeypatch.setattr(bounds_aside, "lower_bounds", failing)
    aside = BoundsAside(_unskilled_team(), 1.0, 0.0, time.monotonic() + 60.0)

    assert aside.result() == "ValueError: no prices"
    assert not aside._process.is_alive()


def test_a_search_past_its_deadline_is_given_up_and_ended(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def deaf(*args: object, **kwargs: object) -> Bounds:
        time.sleep(600)  # hears no hurry
        return Bounds(0.0, 0.0)

    monkeypatch.setattr(bounds_aside, "lower_bounds", deaf)
    monkeypatch.setattr(bounds_aside, "ANSWER_GRACE", 0.2)
    aside = BoundsAside(_unskilled_team(), 1.0, 0.0, time.monotonic() + 0.2)

    assert aside.result() == "no answer in time"
    assert not aside._process.is_alive()


def test_a_two_core_solve_searches_its_bounds_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[float] = []

    class Recorded(BoundsAside):
        def __init__(self, *args: object) -> None:
            started.append(time.monotonic())
            super().__init__(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(facade, "BoundsAside", Recorded)
    scenario = make_scenario(
        horizon=HORIZON, agents=[make_agent("a1"), make_agent("a2", cost_per_hour=30)]
    )

    result = solve(scenario, SolveParams(time_limit=10, workers=2))

    assert len(started) == 1 and "bounds_aside_failure" not in result.stats
    assert result.objective is not None and result.best_bound is not None
    assert 0 < result.best_bound <= result.objective + 1e-6
    assert result.roster.kpis is not None
    assert result.roster.kpis.under_staffed_lower_bound_hours is not None


def test_a_failed_search_aside_is_reported_and_searched_after_the_roster(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing(*args: object, **kwargs: object) -> Bounds:
        raise ValueError("no prices")

    monkeypatch.setattr(bounds_aside, "lower_bounds", failing)
    scenario = make_scenario(
        horizon=HORIZON, agents=[make_agent("a1"), make_agent("a2", cost_per_hour=30)]
    )

    result = solve(scenario, SolveParams(time_limit=10, workers=2))

    assert result.stats["bounds_aside_failure"] == "ValueError: no prices"
    assert result.objective is not None and result.best_bound is not None
    assert 0 < result.best_bound <= result.objective + 1e-6


def test_a_search_whose_solve_was_killed_ends(tmp_path: Path) -> None:
    """A solve process killed mid-search (a server killed under its job) leaves no search
    running on to its deadline, an hour away here."""
    script = f"""
import os, sys, time
sys.path.insert(0, {str(Path(__file__).parents[2])!r})
from scheduler.solve import bounds_aside
from tests.solve.test_bounds_aside import _searching_until_told, _unskilled_team
bounds_aside.lower_bounds = _searching_until_told
aside = bounds_aside.BoundsAside(_unskilled_team(), 1.0, 0.0, time.monotonic() + 3600.0)
print(aside._process.pid, flush=True)
os._exit(0)  # no clean-up: as if killed
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    search = int(done.stdout.split()[0])

    ends = time.monotonic() + 20.0
    while _running(search) and time.monotonic() < ends:
        time.sleep(0.05)
    left_running = _running(search)
    if left_running:  # end it here, or it runs on for the hour
        os.kill(search, signal.SIGKILL)
    assert not left_running


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
