"""Overtime: a search on a time limit may run past it while it keeps finding better rosters,
stops once it has gone ``grace`` seconds past the limit without one (and, given a ``reach``,
only once its roster is within it; given ``patience`` too, that long without one before the
limit), and a deterministic budget ignores it so that its search replays identically."""

from __future__ import annotations

import threading
import time

from scheduler.model.builder import BuiltModel, build_model
from scheduler.model.problem import compile_problem
from scheduler.roster import SolveStatus
from scheduler.solve.cpsat import Overtime, _OvertimeWatch, run_cpsat
from tests.builders import make_scenario


class _Solver:
    """Records when the watch stops it."""

    def __init__(self) -> None:
        self.stopped_at: float | None = None
        self.stopped = threading.Event()

    def stop_search(self) -> None:
        self.stopped_at = time.monotonic()
        self.stopped.set()


def _watched(
    limit_in: float, grace: float, reach: float | None = None, patience: float | None = None
) -> tuple[_Solver, _OvertimeWatch, float]:
    solver = _Solver()
    started = time.monotonic()
    overtime = Overtime(started + 60.0, grace, reach, patience)
    watch = _OvertimeWatch(solver, started + limit_in, overtime)  # type: ignore[arg-type]
    return solver, watch, started


def _stopped_at(solver: _Solver) -> float:
    """When the watch stopped ``solver`` (it must, within 5 s)."""
    assert solver.stopped.wait(timeout=5.0)
    assert solver.stopped_at is not None
    return solver.stopped_at


def test_a_search_without_better_rosters_stops_at_its_limit() -> None:
    solver, watch, started = _watched(limit_in=0.3, grace=0.1)
    with watch:
        stopped = _stopped_at(solver)
    assert 0.3 <= stopped - started < 1.0


def test_a_search_still_improving_runs_past_its_limit_until_it_stalls() -> None:
    solver, watch, started = _watched(limit_in=0.2, grace=0.4)
    with watch:
        for _ in range(4):  # a better roster every 0.15 s, to 0.6 s: past the limit
            time.sleep(0.15)
            assert not solver.stopped.is_set()
            watch.improved(100.0)
        last = time.monotonic()
        stopped = _stopped_at(solver)
    assert stopped - last >= 0.4  # the grace after the last better roster
    assert stopped - started >= 0.6


def test_a_search_out_of_reach_runs_on_until_a_roster_within_it_stalls() -> None:
    """With ``reach``, a roster costing more than it never stops the search early, improving
    or not; the first within it does, ``grace`` seconds after the last better roster."""
    solver, watch, started = _watched(limit_in=0.1, grace=0.2, reach=50.0)
    with watch:
        watch.improved(80.0)  # out of reach: stalling past the limit and the grace is no stop
        time.sleep(0.8)
        assert not solver.stopped.is_set()
        watch.improved(50.0)
        within = time.monotonic()
        stopped = _stopped_at(solver)
    assert stopped - within >= 0.2
    assert stopped - started >= 1.0


def test_a_stalled_search_within_reach_runs_out_of_patience_before_its_limit() -> None:
    """With ``patience``, a roster within reach stops the search that long after the last
    better one, long before its limit; a roster out of reach stalls without stopping it."""
    solver, watch, _ = _watched(limit_in=30.0, grace=5.0, reach=50.0, patience=0.3)
    with watch:
        watch.improved(80.0)  # out of reach: patience does not apply
        time.sleep(0.6)
        assert not solver.stopped.is_set()
        watch.improved(50.0)
        within = time.monotonic()
        time.sleep(0.15)
        assert not solver.stopped.is_set()  # improving: patience restarts at each roster
        watch.improved(45.0)
        last = time.monotonic()
        stopped = _stopped_at(solver)
    assert stopped - last >= 0.3
    assert stopped - within < 2.0  # the 30-s limit and the 5-s grace did not hold it


def test_leaving_the_watch_ends_it_without_stopping_the_search() -> None:
    solver, watch, _ = _watched(limit_in=30.0, grace=1.0)
    with watch:
        pass
    assert solver.stopped_at is None


def _built() -> BuiltModel:
    return build_model(compile_problem(make_scenario()))


def test_overtime_extends_the_limit_of_a_search_on_the_clock() -> None:
    until = time.monotonic() + 60.0
    outcome = run_cpsat(
        _built(),
        time_limit=5.0,
        deterministic_time=None,
        seed=0,
        workers=1,
        overtime=Overtime(until, grace=1.0),
    )
    assert outcome.status == SolveStatus.OPTIMAL
    assert outcome.solver.parameters.max_time_in_seconds > 50.0


def test_a_deterministic_budget_ignores_overtime() -> None:
    outcome = run_cpsat(
        _built(),
        time_limit=5.0,
        deterministic_time=10.0,
        seed=0,
        workers=1,
        overtime=Overtime(time.monotonic() + 60.0, grace=1.0),
    )
    assert outcome.status == SolveStatus.OPTIMAL
    assert outcome.solver.parameters.max_time_in_seconds <= 5.0
