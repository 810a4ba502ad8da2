"""``solve(scenario, params) -> SolveResult``: the one entry point to the scheduler core.

Compile → construct a first roster (repaired agent by agent where greedy broke a rule) →
improve it (CP-SAT on the whole model, or large-neighbourhood search for big teams; on
rule-heavy teams in turns with a path search, :mod:`scheduler.solve.improve`) → read it back
as a roster with coverage, KPIs, a lower bound and, when there is no roster at all, an
explanation. ``scheduler`` never imports the service layer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from scheduler.domain import Scenario
from scheduler.model.evaluate import objective_parts, under_staffed_hours
from scheduler.model.problem import Problem, compile_problem
from scheduler.model.solution import Solution
from scheduler.roster import Roster, SolveStatus
from scheduler.solve.bounds import BOUND_MIN_SECONDS, Bounds, lower_bounds
from scheduler.solve.bounds_aside import BoundsAside
from scheduler.solve.cpsat import StopToken, resolve_workers
from scheduler.solve.explain import explain_infeasibility
from scheduler.solve.forked_pricing import can_fork
from scheduler.solve.greedy import greedy_solution
from scheduler.solve.improve import TURNS, Improver
from scheduler.solve.moves import improve_by_moves
from scheduler.solve.params import SolveParams
from scheduler.solve.paths import improve_by_paths
from scheduler.solve.progress import Progress, ProgressCallback, relative_gap
from scheduler.solve.repair import agents_breaking_rules, repair
from scheduler.solve.roster_build import build_shifts
from scheduler.validate import compute_coverage, compute_kpis

#: Above this many candidate shifts the whole-model CP-SAT solve is replaced by LNS. Measured
#: (30 s, 2 cores): CP-SAT wins at 2.3k candidates (104k vs 111k points), they tie at 4.4k
#: (87k vs 86k), and at 7.6k (the 45-agent fixture) CP-SAT does not improve on greedy (179k)
#: while LNS reaches 149k.
LNS_THRESHOLD = 4_000
#: The same threshold for teams whose greedy roster needed repair (runs, minimum totals: the
#: Curtois instances). LNS's short windows are pinned by the run rules there: at 60 s, CP-SAT
#: from the repaired roster reached 5,506 / 6,688 points on Instances 12 / 15 (10k / 7k
#: candidates) where LNS reached 6,417–6,825 / 6,890–7,588. Above this size the whole model takes
#: too long to build (~150 µs a candidate) and LNS from the repaired roster goes on instead.
REPAIRED_LNS_THRESHOLD = 50_000
#: Seconds the bounds may search (they stop earlier once converged) when the solve has no
#: wall-clock limit: after the roster, or alongside the solve from its start.
LAGRANGIAN_SECONDS = 10.0
#: Share of a wall-clock limit kept for the lower bounds when they run after the roster, at
#: most :data:`BOUND_MAX_SECONDS`: the limit caps the whole call, bounds included, so a
#: 20-second solve returns in 20 seconds. At 200 agents × 14 days the objective bound converges
#: in ~10 s (300.5k points after 2 s, 303.0k after 5 s), the moves in ~12 s. Run alongside the
#: solve (:mod:`scheduler.solve.bounds_aside`), they need no share of their own.
BOUND_SHARE = 0.25
BOUND_MAX_SECONDS = 20.0
#: Share of the time limit that repairing an invalid first roster may take; past it, what time
#: is left goes to the whole-model solve. Small teams repair in seconds; on large ones (Curtois
#: Instance 21: 100 agents × 182 days, ~100 s) the repair is what finds a legal roster at all.
REPAIR_SHARE = 0.9
#: Share of the time limit (from the call) up to which best-response sweeps may improve a
#: repaired roster before the solver takes its first turn (they usually converge well before).
SWEEP_SHARE = 0.5
#: The same for teams going on to LNS, whose short windows improve little on these rosters:
#: at 0.5 Curtois Instance 24 (150 agents × 364 days) ended at 157,566 points, at 0.9 at 119,802.
LNS_SWEEP_SHARE = 0.9
#: Share of the time limit by which agent-day moves stop improving a greedy roster. They gain
#: more per second than LNS until they converge (200 agents × 14 days: 444k → 328k points in
#: ~12 s; LNS alone reached 347k in 300 s), and a sweep of 500 × 28 takes ~20 s: at 120 s,
#: 0.3 ended at 1.643M points, 0.6 at 1.631M; at 20 s on 200 × 14, 0.6 stopped them a sweep
#: short (331.0k against 328.1k).
MOVES_SHARE = 0.85
#: Share of the time limit kept after LNS or CP-SAT for one more descent by moves, gaps first:
#: a neighbourhood re-optimised with the other agents fixed can leave a gap that an agent
#: outside it could fill (on a 200 × 14 roster after 150 s the gap pass alone took 323.6k →
#: 322.0k points, under-staffing 2.5 h → 0.5 h, in 0.06 s; sweeps alone took it to 322.4k).
POLISH_SHARE = 0.1


@dataclass(frozen=True)
class SolveResult:
    """Status, objective (points), best bound, gap and the roster, plus how the solve went."""

    status: SolveStatus
    objective: float | None
    best_bound: float | None
    gap: float | None
    wall_time: float
    roster: Roster
    solution: Solution | None
    problem: Problem
    stats: dict[str, float | int | str | None] = field(default_factory=dict)


def solve(
    scenario: Scenario,
    params: SolveParams | None = None,
    *,
    progress: ProgressCallback | None = None,
    stop: StopToken | None = None,
) -> SolveResult:
    """Find the best roster for ``scenario`` within ``params``' limits.

    Parameters
    ----------
    scenario:
        A validated scenario (loading it is where bad input is rejected).
    params:
        Limits, seed and workers; the defaults give a 60-second solve on all cores.
    progress:
        Called with every improving roster (elapsed, objective, bound).
    stop:
        Lets another thread end the solve early; the best roster so far is returned.

    Returns
    -------
    SolveResult
        Never raises for an infeasible scenario: the roster then carries an explanation.
    """
    params = params or SolveParams()
    started = time.monotonic()
    call_ends = None if params.time_limit is None else started + params.time_limit
    stats: dict[str, float | int | str | None] = {}
    problem = compile_problem(scenario)
    stats["compile_seconds"] = round(time.monotonic() - started, 3)
    bounds_aside = _searches_bounds_aside(params, problem)
    bound_reserve = 0.0 if bounds_aside else _bound_reserve(params, problem)
    if params.time_limit is not None and bound_reserve:
        # every phase before the bounds works to the limit less the bounds' share
        params = params.model_copy(update={"time_limit": params.time_limit - bound_reserve})
    stats["candidate_shifts"] = len(problem.candidates)

    first = greedy_solution(problem)
    first.objective = first_value = objective_parts(problem, first).total
    stats["greedy_objective"] = round(first_value, 3)
    stats["first_solution_seconds"] = round(time.monotonic() - started, 3)
    bounds_search = None
    if bounds_aside:  # on the second core from now, aimed at greedy's roster
        bounds_end = time.monotonic() + LAGRANGIAN_SECONDS if call_ends is None else call_ends
        live_short = under_staffed_hours(problem, first, live_only=True)
        bounds_search = BoundsAside(problem, first_value, live_short, bounds_end)
    # greedy leaves lower-bound rules (shortest runs, hard minimums) to the solver: such a roster
    # may neither be returned nor seed LNS, which only improves a valid roster, so the agents
    # who break a rule are re-planned one by one until it is valid
    broken = agents_breaking_rules(problem, first)
    stats["greedy_valid"] = int(not broken)
    first_is_valid = not broken
    if broken:
        repair_started = time.monotonic()
        repaired = repair(
            problem,
            first,
            broken,
            seed=params.seed,
            deadline=_share_of(started, params.time_limit, REPAIR_SHARE),
            lanes=resolve_workers(params.workers),
            stop=stop,
        )
        stats["repaired_agents"] = repaired.replanned
        stats["repair_set_aside"] = repaired.set_aside
        stats["repair_seconds"] = round(time.monotonic() - repair_started, 3)
        if repaired.solution is not None:
            first = repaired.solution
            first.objective = first_value = objective_parts(problem, first).total
            stats["repaired_objective"] = round(first_value, 3)
            first_is_valid = True
        elif repaired.partial is not None:  # still breaks a rule, but hints CP-SAT better
            first = repaired.partial
            first.objective = first_value = objective_parts(problem, first).total
        if repaired.failed_agent is not None:  # whose rules could not be met, or not in time
            stats["repair_failed_agent"] = problem.agents[repaired.failed_agent].agent.id
            stats["repair_failure"] = str(repaired.failure)
    strategy = params.strategy
    if strategy == "auto":
        # rule-heavy teams (those greedy could not roster legally) stay with CP-SAT for longer
        threshold = REPAIRED_LNS_THRESHOLD if broken else LNS_THRESHOLD
        strategy = "lns" if len(problem.candidates) > threshold else "cpsat"
    if strategy == "lns" and not first_is_valid:
        strategy = "cpsat"
    stats["strategy"] = strategy
    report = _reporter(problem, started, progress)
    polishing = False  # whether the moves apply to this team, and so may polish the end
    if not broken:
        report(first, first_value, "greedy")
        moves_started = time.monotonic()
        moved = improve_by_moves(
            problem,
            first,
            seed=params.seed,
            deadline=_share_of(started, params.time_limit, MOVES_SHARE),
            stop=stop,
            on_better=lambda solution, value: report(solution, value, "moves"),
        )
        first, first_value = moved.solution, moved.objective
        polishing = moved.sweeps > 0
        stats["moves"] = moved.moves
        stats["moves_seconds"] = round(time.monotonic() - moves_started, 3)
        stats["moved_objective"] = round(first_value, 3)
    if broken and first_is_valid:
        # rule-heavy teams: LNS windows and CP-SAT's moves barely shift runs of days, while a
        # whole agent re-planned by shortest path does (Curtois Instance 20: 46,963 points
        # after repair → 15,846 in 8 s of sweeps, better than 120 s of CP-SAT had reached)
        sweep_started = time.monotonic()
        swept = improve_by_paths(
            problem,
            first,
            deadline=_share_of(
                started, params.time_limit, LNS_SWEEP_SHARE if strategy == "lns" else SWEEP_SHARE
            ),
            stop=stop,
        )
        first = swept.solution
        first.objective = first_value = objective_parts(problem, first).total
        stats["sweep_accepted_plans"] = swept.accepted
        stats["sweep_seconds"] = round(time.monotonic() - sweep_started, 3)
        stats["swept_objective"] = round(first_value, 3)
    if broken and first_is_valid:
        report(first, first_value, "repair")

    solver_params = params
    if polishing and params.time_limit is not None:
        solver_params = params.model_copy(
            update={"time_limit": params.time_limit * (1 - POLISH_SHARE)}
        )
    improver = Improver(problem, strategy, solver_params, started, stats, progress, stop)
    # rule-heavy teams: the solver and the path search take turns (see scheduler.solve.improve)
    turns = TURNS if broken and first_is_valid else 1
    columns = strategy == "cpsat" and bool(broken) and _shift_type_team(problem)
    stats["column_generation"] = int(columns)
    improved = improver.improve(first, first_is_valid, turns=turns, columns=columns)
    status, solution, bound = improved.status, improved.solution, improved.bound
    if polishing and status == SolveStatus.FEASIBLE and solution is not None:
        solution = _polish(problem, solution, params, started, stop, report, stats)
    stats["workers"] = resolve_workers(params.workers)

    if status == SolveStatus.INFEASIBLE or solution is None:
        # no roster: proven impossible (explained), or none found within the limits (UNKNOWN)
        proven = status == SolveStatus.INFEASIBLE
        explanation = (
            explain_infeasibility(problem, seed=params.seed)
            if proven and params.explain_infeasible
            else None
        )
        final = SolveStatus.INFEASIBLE if proven else SolveStatus.UNKNOWN
        if bounds_search is not None:
            bounds_search.close()
        roster = Roster(
            status=final,
            objective=None,
            best_bound=None,
            scenario=scenario.name,
            explanation=explanation,
            solver=stats,
        )
        wall = time.monotonic() - started
        return SolveResult(final, None, None, None, wall, roster, None, problem, stats)

    objective = objective_parts(problem, solution).total
    lower_bound = None
    if params.lower_bound:
        lb_started = time.monotonic()
        # a proven optimum is its own bound: the search aside need only say what it has
        hurry = status == SolveStatus.OPTIMAL or (stop is not None and stop.stopped)
        found = _lower_bounds(
            problem, solution, objective, bounds_search, call_ends, hurry, stats
        )
        stats["lower_bound_seconds"] = round(time.monotonic() - lb_started, 3)
        lower_bound = found.hours
        bound = found.objective if bound is None else max(bound, found.objective)
    shifts = build_shifts(problem, solution)
    coverage = compute_coverage(scenario, shifts, problem=problem)
    kpis = compute_kpis(scenario, shifts, lower_bound, problem=problem)
    gap = relative_gap(objective, bound)
    wall = time.monotonic() - started
    stats["wall_seconds"] = round(wall, 3)
    roster = Roster(
        status=status,
        objective=round(objective, 6),
        best_bound=None if bound is None else round(bound, 6),
        gap=gap,
        scenario=scenario.name,
        shifts=shifts,
        coverage=coverage,
        kpis=kpis,
        solver=stats,
    )
    return SolveResult(status, objective, bound, gap, wall, roster, solution, problem, stats)


def _polish(
    problem: Problem,
    solution: Solution,
    params: SolveParams,
    started: float,
    stop: StopToken | None,
    report: Callable[[Solution, float, str], None],
    stats: dict[str, float | int | str | None],
) -> Solution:
    """The solver's roster after one more descent by moves, up to the limit (never worse)."""
    polish_started = time.monotonic()
    polished = improve_by_moves(
        problem,
        solution,
        seed=params.seed,
        deadline=None if params.time_limit is None else started + params.time_limit,
        stop=stop,
        on_better=lambda better, value: report(better, value, "polish"),
        gaps_first=True,
    )
    stats["polish_moves"] = polished.moves
    stats["polish_seconds"] = round(time.monotonic() - polish_started, 3)
    return polished.solution


def _lower_bounds(
    problem: Problem,
    solution: Solution,
    objective: float,
    aside: BoundsAside | None,
    call_ends: float | None,
    hurry: bool,
    stats: dict[str, float | int | str | None],
) -> Bounds:
    """The bounds searched alongside the solve (the best so far when in a ``hurry``), or
    (without them) searched now, aimed at the solve's roster, in the time left (or
    :data:`LAGRANGIAN_SECONDS`)."""
    if aside is not None:
        found = aside.result(now=hurry)
        if isinstance(found, Bounds):
            return found
        stats["bounds_aside_failure"] = found  # searched here instead, in what time is left
    now = time.monotonic()
    seconds = LAGRANGIAN_SECONDS if call_ends is None else max(BOUND_MIN_SECONDS, call_ends - now)
    live_short = under_staffed_hours(problem, solution, live_only=True)
    return lower_bounds(problem, objective, live_short, seconds)


def _searches_bounds_aside(params: SolveParams, problem: Problem) -> bool:
    """Whether the bounds search on the second core while the solve runs: when the solve may
    use two cores, can fork, and has interval queues (shift-type teams' bounds take well
    under a second, and their column step already forks a pricing helper)."""
    return (
        params.lower_bound
        and bool(problem.queues)
        and resolve_workers(params.workers) >= 2
        and can_fork()
    )


def _bound_reserve(params: SolveParams, problem: Problem) -> float:
    """Seconds of the wall-clock limit kept for the lower bounds (0: none to keep).

    A team without interval queues (shift-type demand only) keeps the least: the Lagrangian
    bounds price interval cover and have nothing to search there, while its real bounds (CP-SAT's,
    the column LP's) come from the solve itself. Keeping a quarter had cost Curtois Instance 14
    20 of its 120 s for bounds that took 0.8 s.
    """
    if not params.lower_bound or params.time_limit is None:
        return 0.0
    if not problem.queues:
        return BOUND_MIN_SECONDS
    return min(BOUND_MAX_SECONDS, BOUND_SHARE * params.time_limit)


def _reporter(
    problem: Problem, started: float, progress: ProgressCallback | None
) -> Callable[[Solution, float, str], None]:
    """Reports a roster of a phase before the solver's (which reports its own)."""

    def report(solution: Solution, value: float, phase: str) -> None:
        if progress is not None:
            hours = under_staffed_hours(problem, solution)
            progress(Progress(time.monotonic() - started, value, None, phase, hours))

    return report


def _shift_type_team(problem: Problem) -> bool:
    """Whether every agent covers shift-type demand alone (no interval queues): the teams
    whose rosters column generation builds from whole plans."""
    return bool(problem.scenario.shift_demand) and not any(
        problem.groups[plan.group] for plan in problem.agents
    )


def _share_of(started: float, time_limit: float | None, share: float) -> float | None:
    """The moment ``share`` of a time limit counted from ``started`` is used up (None: no limit)."""
    return None if time_limit is None else started + share * time_limit
