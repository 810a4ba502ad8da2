"""Run CP-SAT on a built model: limits, seed, workers, progress callbacks, cooperative stop."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.model.builder import BuiltModel
from scheduler.model.context import SCALE
from scheduler.model.extract import extract_solution
from scheduler.model.solution import Solution
from scheduler.roster import SolveStatus
from scheduler.solve.progress import Progress, ProgressCallback, meets_bound
from scheduler.solve.sound_cpsat import sound_solver
from scheduler.solve.status import from_cpsat

#: How often a search in overtime whose best roster is out of its ``reach`` is looked at again.
REACH_POLL_SECONDS = 0.25


class StopToken:
    """Lets another thread end a running solve early; the best roster so far is kept."""

    def __init__(self) -> None:
        self._stopped = threading.Event()
        self._solvers: set[cp_model.CpSolver] = set()  # several when LNS solves in parallel
        self._lock = threading.Lock()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def stop(self) -> None:
        with self._lock:
            self._stopped.set()
            for solver in self._solvers:
                solver.stop_search()

    def attach(self, solver: cp_model.CpSolver) -> None:
        with self._lock:
            self._solvers.add(solver)
            if self._stopped.is_set():
                solver.stop_search()

    def detach(self, solver: cp_model.CpSolver) -> None:
        with self._lock:
            self._solvers.discard(solver)


@dataclass(frozen=True)
class Overtime:
    """Lets a search on a time limit run past it, up to ``until`` (``time.monotonic()``), for as
    long as it keeps finding better rosters: it stops once ``grace`` seconds pass past its limit
    without one. With ``reach`` (points), only a search whose best roster costs at most that
    stops before ``until``: one above it runs on, improving or not. With ``patience``
    (seconds), a search within reach (any, without ``reach``) stops after that long without a
    better roster even before its limit."""

    until: float
    grace: float
    reach: float | None = None
    patience: float | None = None


@dataclass
class CpsatOutcome:
    status: SolveStatus
    solution: Solution | None
    objective: float | None
    bound: float | None
    wall_time: float
    deterministic_time: float
    solver: cp_model.CpSolver


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Reports each roster CP-SAT finds, and stops the search at one that meets ``stop_at``."""

    def __init__(
        self,
        progress: ProgressCallback | None,
        phase: str,
        started: float,
        built: BuiltModel,
        stop_at: float | None = None,
        watch: _OvertimeWatch | None = None,
    ) -> None:
        super().__init__()
        self._progress, self._phase, self._started = progress, phase, started
        self._stop_at = stop_at
        self._watch = watch
        coverage = built.ctx.coverage
        # live-queue shortfall variables, read per solution for the progress report
        self._under = [v for segs in coverage.under.values() for v in segs] if coverage else []
        self._hours_per_unit = built.ctx.problem.slot / 60

    def on_solution_callback(self) -> None:
        if self._watch is not None:
            self._watch.improved(self.objective_value / SCALE)
        if self._stop_at is not None and meets_bound(self.objective_value / SCALE, self._stop_at):
            self.stop_search()  # no roster is better: the rest of the limit would be wasted
        if self._progress is not None:
            self._progress(
                Progress(
                    elapsed=time.monotonic() - self._started,
                    objective=self.objective_value / SCALE,
                    bound=self.best_objective_bound / SCALE,
                    phase=self._phase,
                    under_staffed_hours=sum(self.value(v) for v in self._under)
                    * self._hours_per_unit,
                )
            )


class _OvertimeWatch:
    """Stops a search once it is past ``limit`` (``time.monotonic()``) and has found no better
    roster for ``grace`` seconds (``patience`` seconds before ``limit``), its best within
    ``reach`` when given (see :class:`Overtime`)."""

    def __init__(self, solver: cp_model.CpSolver, limit: float, overtime: Overtime) -> None:
        self._solver, self._limit, self._grace = solver, limit, overtime.grace
        self._reach, self._patience = overtime.reach, overtime.patience
        self._last = time.monotonic()
        self._best: float | None = None
        self._done = threading.Event()
        self._watcher = threading.Thread(target=self._watch, daemon=True)

    def improved(self, objective: float) -> None:
        self._last = time.monotonic()
        self._best = objective

    def __enter__(self) -> _OvertimeWatch:
        self._watcher.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._watcher.join()

    def _watch(self) -> None:
        while True:
            now = time.monotonic()
            stop_at = max(self._limit, self._last + self._grace)
            if self._patience is not None:
                stop_at = min(stop_at, self._last + self._patience)
            if self._out_of_reach():  # runs on: look again once it may have come within reach
                stop_at = max(stop_at, now + REACH_POLL_SECONDS)
            elif now >= stop_at:
                self._solver.stop_search()
                return
            if self._done.wait(timeout=stop_at - now):
                return

    def _out_of_reach(self) -> bool:
        best = self._best
        return self._reach is not None and (best is None or best > self._reach + 1e-9)


def resolve_workers(workers: int) -> int:
    return workers if workers > 0 else max(1, os.cpu_count() or 1)


def run_cpsat(
    built: BuiltModel,
    *,
    time_limit: float | None,
    deterministic_time: float | None,
    seed: int,
    workers: int,
    progress: ProgressCallback | None = None,
    phase: str = "cp-sat",
    started: float | None = None,
    stop: StopToken | None = None,
    log: bool = False,
    linearization_level: int | None = None,
    first_solution_only: bool = False,
    lns_only: bool = False,
    stop_at: float | None = None,
    overtime: Overtime | None = None,
) -> CpsatOutcome:
    """Solve ``built`` and read the roster back (None when no solution was found).

    ``linearization_level`` passes through to CP-SAT (its default is 1; 2 adds the LP
    relaxation of more constraints, which pays on tight single-agent plans);
    ``first_solution_only`` stops at the first roster found; ``lns_only`` runs only CP-SAT's
    neighbourhood searches, which improve the hint and prove nothing (see
    :func:`scheduler.solve.columns._narrowed_roster` for where that pays); ``stop_at`` (points)
    ends the search at the first roster that meets it: a lower bound proven elsewhere (the
    column LP's), which CP-SAT's own search would not know to stop at; ``overtime`` lets a
    search under ``time_limit`` alone run on while it improves (a deterministic budget ignores
    it: a wall-clock stop would make its search differ run to run).
    """
    solver = sound_solver()
    params = solver.parameters
    limit_at = None if time_limit is None else time.monotonic() + max(0.01, time_limit)
    if deterministic_time is not None or limit_at is None or overtime is None:
        overtime = None
    if limit_at is not None:
        end = limit_at if overtime is None else max(limit_at, overtime.until)
        params.max_time_in_seconds = max(0.01, end - time.monotonic())
    params.num_workers = resolve_workers(workers)
    if deterministic_time is not None:
        params.max_deterministic_time = max(0.001, deterministic_time)
        # parallel workers only replay identically when their search is interleaved
        params.interleave_search = params.num_workers > 1
    params.random_seed = seed
    params.log_search_progress = log
    if linearization_level is not None:
        params.linearization_level = linearization_level
    params.stop_after_first_solution = first_solution_only
    params.use_lns_only = lns_only
    if stop is not None:
        stop.attach(solver)
    try:
        # stopping from the callback of an interleaved search aborts the process (OR-Tools
        # 9.15: "Check failed: solution->size() == postsolve_mapping.size()"), so such a
        # search runs on to its budget
        interleaved = params.interleave_search and params.num_workers > 1
        watching = (
            contextlib.nullcontext(None)
            if overtime is None or limit_at is None
            else _OvertimeWatch(solver, limit_at, overtime)
        )
        with watching as watch:
            reporter = _Reporter(
                progress,
                phase,
                started or time.monotonic(),
                built,
                None if interleaved else stop_at,
                watch,
            )
            status = solver.solve(built.model, reporter)
    finally:
        if stop is not None:
            stop.detach(solver)
    mapped = from_cpsat(status)
    has_solution = mapped in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    return CpsatOutcome(
        status=mapped,
        solution=extract_solution(built, solver) if has_solution else None,
        objective=solver.objective_value / SCALE if has_solution else None,
        bound=solver.best_objective_bound / SCALE if has_solution else None,
        wall_time=solver.wall_time,
        deterministic_time=solver.deterministic_time,
        solver=solver,
    )
