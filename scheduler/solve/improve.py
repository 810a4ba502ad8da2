"""Improve a first roster: whole-model CP-SAT or LNS and, on rule-heavy teams, turns with the
path search.

Rule-heavy teams (those whose greedy roster needed repair: runs, minimum totals, per-type caps)
alternate: the solver improves the roster for a while, then the path search sweeps and kicks
it (:func:`~scheduler.solve.paths.improve_by_paths`), and the solver goes on from there. The
two find different moves: the solver's trade shifts between agents on a few days, a path
re-plans one agent's whole horizon. Measured at 120 s (``sunshift bench curtois``, one run
each): Curtois Instance 20 13,343 points with the solver alone, 10,532 with one turn each,
9,043 with two; Instance 21 (LNS) 46,738 alone, 34,953 with one turn each. On the 28–42-day
Instances 12, 13 and 15 two turns were within CP-SAT's run-to-run noise of the solver alone
(4,923 / 5,297 / 6,181 against 4,739 / 5,121 / 6,080).

Teams on shift-type demand alone first get column generation
(:mod:`scheduler.solve.columns`) for :data:`COLUMN_SHARE` of the time: it builds rosters from
whole plans priced by an LP and from the whole model narrowed to those plans' shifts, and its
LP bound can prove the roster optimal, which ends the solve. Where the turns after it would be
too short to run the solver, its narrowed model runs on while it improves (overtime).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from scheduler.model.builder import BuiltModel, build_model
from scheduler.model.evaluate import objective_parts, under_staffed_hours
from scheduler.model.problem import Problem
from scheduler.model.solution import Solution
from scheduler.roster import SolveStatus
from scheduler.solve.columns import improve_by_columns
from scheduler.solve.cpsat import Overtime, StopToken, resolve_workers, run_cpsat
from scheduler.solve.hints import complete_hint
from scheduler.solve.lns import run_lns
from scheduler.solve.params import SolveParams
from scheduler.solve.paths import improve_by_paths
from scheduler.solve.progress import Progress, ProgressCallback, meets_bound

#: Share of the time (or work) left that column generation takes before the turns, where the
#: facade asks for it.
#: Since root pricing proves plans cheapest without CP-SAT, roots converge within the step on
#: more instances, and a converged root is what finds the rosters: at 0.5 (root pricing to 0.3
#: of the time) Curtois Instance 14 stopped short of convergence and ended at 1,540 points; at
#: 0.7 its root converged (LP bound 1,278, the best known) and it ended at 1,280; Instance 8
#: 1,502 → 1,407; 7 1,062 (1,058–1,060 in earlier runs at 0.5).
#: At 0.9: on Instance 13 the narrowed whole model was still improving steeply when its share
#: ran out (scratch traces; a 120-s solve at 0.7: from the dive's roster to 2,298 points in
#: its 22 s, then the turns 2,298 → 2,269 in 35 s; with the step at 0.97, a longer root and
#: dive and 33 s narrowed → 1,840).
#: Single 120-s runs (``sunshift bench curtois N --time-limit 120 --seed S``), 0.7 → 0.9:
#: 13 2,186 (seed 0), 2,269 (0, the scratch trace), 2,226 (1) → 2,085 (0), 2,069 (1), 2,081
#: (0, full run); 15 4,042 (0), 3,849 (1) → 3,945, 4,039; 19 3,225 (0), 3,307 (1) → 3,293,
#: 3,392; 16 3,228 (0), 3,322 (1) → 3,322 both; 5–12, 14, 17 and 18 within a few points.
#: Stopping the narrowed model after 15 s without a better roster (scratch, on top of 0.9)
#: showed no gain: 13 2,294, 16 3,322.
COLUMN_SHARE = 0.9
#: Past its share, the column step's narrowed whole model runs on while it keeps finding better
#: rosters (on the clock only: see :class:`~scheduler.solve.cpsat.Overtime`), stopping after
#: this many seconds without one, and at the latest :data:`OVERTIME_RESERVE` seconds before
#: the solve's limit; but only when the turns after the step could not run the solver (see
#: :meth:`Improver._overtime`). On Curtois Instance 13 (39,936 candidate shifts: ~6 s to build
#: the whole model by :data:`BUILD_SECONDS_PER_CANDIDATE`, 3.1 s in a scratch trace) each
#: solver turn's share of a 120-s solve's last 12 s was shorter than that estimate, so both
#: were skipped and the path search had the time and found nothing (scratch trace at 0.9,
#: seed 1: 2,313 points, unchanged by the turns), while the narrowed model was still improving
#: when its share ran out. Overtime on every instance (15603df) ran 13's narrowed model to 115–118 s
#: (scratch traces); its run of Instances 1–19 (seed 0; the full run on c42b7e9, where only 13 gets
#: overtime, in brackets) gave 8 1,497 (1,398), 19 3,614 (3,411), 15 4,140 (4,147), 18 4,474
#: (4,767): one run each shows no gain where the turns can run the solver. Single 120-s runs of 13,
#: a6f87c3 (no overtime) → c42b7e9, the same machine and day: seed 2 2,504 → 2,130, seed 3 2,676 →
#: 2,038, seed 4 1,860 → 1,683.
OVERTIME_GRACE = 5.0
OVERTIME_RESERVE = 2.0
#: Turns of solver then path search on rule-heavy teams.
TURNS = 2
#: Share of each turn the solver takes; the path search has the rest.
SOLVER_SHARE = 0.75
#: Days of agents' horizons the path search plans per unit of deterministic time, which sets
#: its work budget when the solve has one (~5,000 a second here: 28-day plans take ~5 ms).
PLANNED_DAYS_PER_UNIT = 5_000
#: Building the whole model costs about this per candidate shift (Curtois Instance 24: 1.04M
#: candidates, ~150 s): with less time left than that, it is not started (a 120 s limit had run
#: to 252 s there).
BUILD_SECONDS_PER_CANDIDATE = 150e-6
#: Least time (wall-clock limit) and work (deterministic budget) left by the last path search
#: worth one more solver turn.
MIN_LAST_TURN_SECONDS = 2.0
MIN_LAST_TURN_WORK = 0.5

Stats = dict[str, float | int | str | None]


@dataclass(frozen=True)
class Improved:
    status: SolveStatus
    solution: Solution | None
    bound: float | None


@dataclass
class Improver:
    """Runs the solver (``strategy``: "cpsat" or "lns") and the path search on one problem,
    keeping the whole model between turns so it is built once."""

    problem: Problem
    strategy: str
    params: SolveParams
    started: float
    stats: Stats
    progress: ProgressCallback | None = None
    stop: StopToken | None = None
    _built: BuiltModel | None = None
    _bound: float | None = None  # the best bound any turn has proven

    def improve(
        self, first: Solution, first_is_valid: bool, *, turns: int, columns: bool = False
    ) -> Improved:
        """The best roster from ``turns`` turns (one: the solver alone, on the whole limit),
        after column generation (``columns``: see :mod:`scheduler.solve.columns`) has had
        :data:`COLUMN_SHARE` of the time from a valid ``first``."""
        params, limit = self.params, self.params.time_limit
        budget = params.deterministic_time
        current, current_value, status = first, None, SolveStatus.FEASIBLE
        if columns and first_is_valid:
            now = time.monotonic()
            left = None if limit is None else max(0.0, self.started + limit - now)
            current, current_value, spent = self._column_turn(
                current,
                None if left is None else now + COLUMN_SHARE * left,
                None if budget is None else COLUMN_SHARE * budget,
                self._overtime(now, left, turns),
            )
            budget = None if budget is None else max(0.0, budget - spent)
            if self._meets_bound(current_value):
                return Improved(SolveStatus.OPTIMAL, current, self._bound)  # nothing left to find
        if turns == 1:
            deadline = None if limit is None else self.started + limit
            improved = self._solver_turn(
                current, first_is_valid, deadline, budget, first_value=current_value
            )
            return replace(improved, bound=_best_bound(self._bound, improved.bound))
        now = time.monotonic()
        span = None if limit is None else max(0.0, self.started + limit - now) / turns
        work = None if budget is None else budget / turns
        unused_days = 0
        for turn in range(turns):
            solver_end = None if span is None else now + span * (turn + SOLVER_SHARE)
            improved = self._solver_turn(
                current,
                True,
                solver_end,
                None if work is None else SOLVER_SHARE * work,
                first_value=current_value,
            )
            self._bound = _best_bound(self._bound, improved.bound)
            status = improved.status
            if improved.solution is not None:
                current = improved.solution
                current_value = objective_parts(self.problem, current).total
            status = self._proven(status, current_value)
            if status != SolveStatus.FEASIBLE or self._stopped():
                return Improved(status, current, self._bound)  # proven optimal, or told to stop
            days = None if work is None else int(PLANNED_DAYS_PER_UNIT * (1 - SOLVER_SHARE) * work)
            search_end = None if span is None else now + span * (turn + 1)
            current, current_value, planned = self._path_turn(current, search_end, days)
            if self._meets_bound(current_value):
                return Improved(SolveStatus.OPTIMAL, current, self._bound)
            unused_days = 0 if days is None else max(0, days - planned)
        return self._last_turn(current, current_value, status, unused_days)

    def _overtime(self, now: float, left: float | None, turns: int) -> Overtime | None:
        """Overtime to the column step's narrowed model when the turns after it could not run
        the solver: its first turn's share of the ``left`` seconds is shorter than building the
        whole model takes (see :data:`OVERTIME_GRACE`)."""
        if left is None:
            return None
        after = (1 - COLUMN_SHARE) * left / turns
        first_solver_turn = after * (SOLVER_SHARE if turns > 1 else 1.0)
        if first_solver_turn >= self._build_seconds():
            return None
        return Overtime(now + left - OVERTIME_RESERVE, OVERTIME_GRACE)

    def _last_turn(
        self, current: Solution, value: float | None, status: SolveStatus, unused_days: int
    ) -> Improved:
        """Give what the last path search left unused (it stops after a run of kicks without a
        new best: Curtois Instances 2–8 ended 6–11 s early) to one more solver turn."""
        limit, budget = self.params.time_limit, self.params.deterministic_time
        deadline = None if limit is None else self.started + limit
        work = None if budget is None else unused_days / PLANNED_DAYS_PER_UNIT
        enough_time = deadline is None or deadline - time.monotonic() >= MIN_LAST_TURN_SECONDS
        enough_work = work is None or work >= MIN_LAST_TURN_WORK
        if not (enough_time and enough_work):
            return Improved(status, current, self._bound)
        self.stats["last_solver_turn"] = 1
        improved = self._solver_turn(current, True, deadline, work, first_value=value)
        self._bound = _best_bound(self._bound, improved.bound)
        solution = improved.solution or current
        status = self._proven(improved.status, objective_parts(self.problem, solution).total)
        return Improved(status, solution, self._bound)

    def _solver_turn(
        self,
        first: Solution,
        first_is_valid: bool,
        deadline: float | None,
        deterministic_time: float | None,
        *,
        first_value: float | None = None,
    ) -> Improved:
        """One solver turn from ``first`` (whose objective, ``first_value``, the caller may
        know)."""
        params = self.params
        time_limit = None if deadline is None else max(0.01, deadline - time.monotonic())
        if self.strategy == "lns":
            outcome = run_lns(
                self.problem,
                first,
                params.model_copy(update={"deterministic_time": deterministic_time}),
                time_limit,
                progress=None if self.progress is None else self._report,
                started=self.started,
                stop=self.stop,
            )
            _add(self.stats, outcome.stats)
            return Improved(outcome.status, outcome.solution, outcome.bound)
        if self._built is None and not self._time_to_build(deadline):
            # the whole model could not even be built in the time left: keep the roster there is
            self.stats["whole_model_skipped"] = 1
            if not first_is_valid:
                return Improved(SolveStatus.UNKNOWN, None, None)
            return Improved(SolveStatus.FEASIBLE, first, None)
        built_at = time.monotonic()
        first_build = self._built is None
        if self._built is None:
            self._built = build_model(self.problem, incumbent=first)
        complete_hint(self._built, first, seed=params.seed)
        if first_build:  # the model and its first hint, as the benchmark reports it
            self.stats["build_seconds"] = round(time.monotonic() - built_at, 3)
        result = run_cpsat(
            self._built,
            # the limit counts from the call: compiling, greedy and building the model included
            time_limit=None if deadline is None else max(0.01, deadline - time.monotonic()),
            deterministic_time=deterministic_time,
            seed=params.seed,
            workers=params.workers,
            progress=None if self.progress is None else self._report,
            started=self.started,
            stop=self.stop,
            log=params.log,
            stop_at=self._bound,  # the column LP's, when it proved one
        )
        _add(self.stats, {"deterministic_time": result.deterministic_time})
        status, solution = result.status, result.solution
        if (
            status != SolveStatus.INFEASIBLE
            and first_is_valid
            and (
                solution is None
                or objective_parts(self.problem, solution).total
                > (
                    objective_parts(self.problem, first).total
                    if first_value is None
                    else first_value
                )
            )
        ):
            # CP-SAT may stop before it has repaired the hint into a roster as good as the first
            status, solution = SolveStatus.FEASIBLE, first
        return Improved(status, solution, result.bound)

    def _column_turn(
        self,
        solution: Solution,
        deadline: float | None,
        work: float | None,
        overtime: Overtime | None,
    ) -> tuple[Solution, float, float]:
        """``solution`` improved by column generation until ``deadline`` or ``work`` is spent,
        its objective and the work the step did (it may give up early: what it leaves goes on
        to the turns)."""
        problem = self.problem
        before = objective_parts(problem, solution).total
        step_started = time.monotonic()
        searched = improve_by_columns(
            problem,
            solution,
            deadline=deadline,
            work=work,
            days_per_unit=PLANNED_DAYS_PER_UNIT,
            seed=self.params.seed,
            workers=resolve_workers(self.params.workers),
            stop=self.stop,
            overtime=overtime,
        )
        after = objective_parts(problem, searched.solution).total
        self._bound = _best_bound(self._bound, searched.lower_bound)
        self.stats.update(
            {
                "columns_seconds": round(time.monotonic() - step_started, 3),
                "columns": searched.columns,
                "column_rounds": searched.rounds,
                "columns_exact_pricings": searched.exact_calls,
                "columns_lp_bound": searched.lower_bound,
                "columns_tree_nodes": searched.tree_nodes,
                "columns_objective": round(after, 3),
            }
        )
        kept, value = self._better(solution, before, searched.solution, after, "columns")
        return kept, value, searched.work

    def _path_turn(
        self, solution: Solution, deadline: float | None, days: int | None
    ) -> tuple[Solution, float, int]:
        """``solution`` improved by path search until ``deadline`` or ``days`` planned, its
        objective and the days the search planned."""
        problem = self.problem
        before = objective_parts(problem, solution).total
        search_started = time.monotonic()
        searched = improve_by_paths(
            problem,
            solution,
            deadline=deadline,
            day_budget=days,
            kicks=True,
            seed=self.params.seed,
            stop=self.stop,
        )
        after = objective_parts(problem, searched.solution).total
        _add(
            self.stats,
            {
                "path_search_seconds": time.monotonic() - search_started,
                "path_search_kicks": searched.kicks,
            },
        )
        self.stats["path_search_objective"] = round(after, 3)
        kept, value = self._better(solution, before, searched.solution, after, "paths")
        return kept, value, searched.planned_days

    def _better(
        self, old: Solution, before: float, new: Solution, after: float, source: str
    ) -> tuple[Solution, float]:
        """The better of a step's start and result (and its objective), reported as progress
        when the step improved."""
        if after >= before:
            return old, before
        if self.progress is not None:
            hours = under_staffed_hours(self.problem, new)
            self._report(Progress(time.monotonic() - self.started, after, None, source, hours))
        return new, after

    def _time_to_build(self, deadline: float | None) -> bool:
        """Whether the whole model can be built before ``deadline``."""
        return deadline is None or deadline - time.monotonic() >= self._build_seconds()

    def _build_seconds(self) -> float:
        """About how long building the whole model takes."""
        return BUILD_SECONDS_PER_CANDIDATE * len(self.problem.candidates)

    def _report(self, event: Progress) -> None:
        """Progress, with the best bound so far: each solver turn starts its own afresh."""
        if self.progress is not None:
            self.progress(replace(event, bound=_best_bound(self._bound, event.bound)))

    def _meets_bound(self, value: float | None) -> bool:
        """Whether a roster of objective ``value`` is proven optimal by the best bound any step
        has proven (the column LP's is unknown to CP-SAT, which reports such a roster FEASIBLE:
        Curtois Instance 10 met 4,631 in its turns and ran on to the limit)."""
        bound = self._bound
        return value is not None and bound is not None and meets_bound(value, bound)

    def _proven(self, status: SolveStatus, value: float | None) -> SolveStatus:
        """OPTIMAL for a FEASIBLE roster of objective ``value`` that meets the best bound."""
        if status == SolveStatus.FEASIBLE and self._meets_bound(value):
            return SolveStatus.OPTIMAL
        return status

    def _stopped(self) -> bool:
        return self.stop is not None and self.stop.stopped


def _best_bound(bound: float | None, other: float | None) -> float | None:
    if bound is None or other is None:
        return other if bound is None else bound
    return max(bound, other)


def _add(stats: Stats, values: Stats) -> None:
    """Add numeric ``values`` to what earlier turns recorded (others are replaced)."""
    for key, value in values.items():
        earlier = stats.get(key)
        if isinstance(value, int | float) and isinstance(earlier, int | float):
            value = earlier + value
        stats[key] = round(value, 3) if isinstance(value, float) else value
