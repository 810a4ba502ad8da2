"""The CP-SAT runner's stop on a stalled search (``patience``)."""

from __future__ import annotations

import threading
import time

import pytest
from ortools.sat.python import cp_model

from scheduler.model.builder import BuiltModel, build_model
from scheduler.model.problem import compile_problem
from scheduler.solve import cpsat
from scheduler.solve.cpsat import _Patience
from tests.builders import make_scenario


class _Solver:
    """Records when it was told to stop, as CpSolver.stop_search would be called."""

    def __init__(self) -> None:
        self.stopped_at: float | None = None
        self.told = threading.Event()

    def stop_search(self) -> None:
        self.stopped_at = time.monotonic()
        self.told.set()


def test_a_search_without_a_better_roster_is_stopped_after_its_patience() -> None:
    solver = _Solver()
    began = time.monotonic()
    with _Patience(solver, 0.3):  # type: ignore[arg-type]
        assert solver.told.wait(timeout=5.0)
    assert solver.stopped_at is not None
    assert 0.3 <= solver.stopped_at - began < 2.0


def test_each_better_roster_restarts_the_wait() -> None:
    solver = _Solver()
    began = time.monotonic()
    with _Patience(solver, 0.4) as waiting:  # type: ignore[arg-type]
        for _ in range(4):  # improvements every 0.2 s keep it going for 0.8 s
            time.sleep(0.2)
            assert not solver.told.is_set()
            waiting.improved()
        assert solver.told.wait(timeout=5.0)
    assert solver.stopped_at is not None
    assert solver.stopped_at - began >= 0.8 + 0.4


def test_a_search_that_ends_first_is_never_stopped() -> None:
    solver = _Solver()
    with _Patience(solver, 0.3):  # type: ignore[arg-type]
        pass
    time.sleep(0.5)
    assert solver.stopped_at is None


def _built() -> BuiltModel:
    """A small real model for ``run_cpsat``: the builders' default two-day team."""
    return build_model(compile_problem(make_scenario()))


@pytest.mark.parametrize(("budget", "watched"), [(None, True), (5.0, False)])
def test_patience_applies_under_a_time_limit_only(
    monkeypatch: pytest.MonkeyPatch, budget: float | None, watched: bool
) -> None:
    made: list[float] = []
    real = cpsat._Patience

    def recording(solver: cp_model.CpSolver, seconds: float) -> _Patience:
        made.append(seconds)
        return real(solver, seconds)

    monkeypatch.setattr(cpsat, "_Patience", recording)
    outcome = cpsat.run_cpsat(
        _built(),
        time_limit=10.0,
        deterministic_time=budget,
        seed=0,
        workers=1,
        patience=3.0,
    )
    assert outcome.solution is not None
    assert made == ([3.0] if watched else [])
