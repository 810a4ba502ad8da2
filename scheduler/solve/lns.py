"""Large-neighbourhood search for teams too big for one CP-SAT model.

Each step frees a neighbourhood — a few consecutive days for a sample of agents, or all days of
a few agents sharing skills — keeps every other shift fixed, and lets CP-SAT re-optimise it with
the incumbent as hint. Sub-models only span the freed window, so they build in a fraction of a
second. Steps are accepted when they do not worsen the full objective.

With several workers, each round solves one neighbourhood per worker side by side (single-worker
CP-SAT in threads: its search releases the GIL), on disjoint agents, and combines the results
(:mod:`scheduler.solve.merge`): a sub-problem gains little from a second CP-SAT worker, while a
second neighbourhood doubles the search. Neighbourhoods come from a seeded RNG, sub-solves are
bounded in deterministic time and results are combined in a fixed order, so a run with a
deterministic budget is reproducible.
"""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from scheduler.model.builder import BuiltModel, build_model
from scheduler.model.evaluate import objective_parts, under_staffed_hours
from scheduler.model.problem import Problem
from scheduler.model.solution import Solution
from scheduler.model.variables import AgentDay
from scheduler.roster import SolveStatus
from scheduler.solve.cpsat import CpsatOutcome, StopToken, resolve_workers, run_cpsat
from scheduler.solve.hints import complete_hint
from scheduler.solve.merge import merge_disjoint
from scheduler.solve.params import SolveParams
from scheduler.solve.progress import Progress, ProgressCallback

#: Free agent-days in the first neighbourhood; it grows while sub-problems solve to optimality
#: and shrinks when they time out, so each step stays a fraction of a second.
INITIAL_SIZE = 60
MIN_SIZE, MAX_SIZE = 20, 1200
#: Work per sub-solve. Each step also builds a sub-model and completes its hint (~1 s). With
#: the LP at level 2 (below) most sub-problems are proven optimal well inside it; 200×14 (team
#: seed 1), 60 s: 391k points with 0.5 (a solve() call), 397k with 1.0 (``sunshift bench``).
STEP_DETERMINISTIC_TIME = 0.5


@dataclass
class LnsOutcome:
    status: SolveStatus
    solution: Solution
    bound: float | None
    stats: dict[str, float | int | str | None] = field(default_factory=dict)


def run_lns(
    problem: Problem,
    first: Solution,
    params: SolveParams,
    time_limit: float | None,
    *,
    progress: ProgressCallback | None = None,
    started: float | None = None,
    stop: StopToken | None = None,
) -> LnsOutcome:
    started = started or time.monotonic()
    deadline = None if time_limit is None else time.monotonic() + time_limit
    rng = random.Random(params.seed)
    incumbent = first
    best = objective_parts(problem, incumbent).total
    spent = 0.0
    steps = accepted = 0
    size = INITIAL_SIZE
    lanes = resolve_workers(params.workers)
    with ThreadPoolExecutor(max_workers=lanes) as pool:
        while True:
            if stop is not None and stop.stopped:
                break
            if params.deterministic_time is not None and spent >= params.deterministic_time:
                break
            if deadline is not None and time.monotonic() >= deadline - 0.05:
                break
            hoods = _disjoint_neighbourhoods(problem, rng, size, lanes)
            if not hoods:
                break  # nobody has a shift to re-plan
            budget = STEP_DETERMINISTIC_TIME
            if params.deterministic_time is not None:
                budget = min(budget, (params.deterministic_time - spent) / len(hoods))
            jobs = [
                _SubSolve(
                    built=build_model(problem, incumbent=incumbent, free=free, hint=False),
                    incumbent=incumbent,
                    hint_seed=params.seed,
                    seed=rng.randrange(1 << 30),
                    work=max(0.01, budget),
                    deadline=deadline,
                    stop=stop,
                )
                for free in hoods
            ]
            outcomes = list(pool.map(_solve, jobs))
            spent += sum(outcome.deterministic_time for outcome in outcomes)
            steps += len(outcomes)
            for outcome in outcomes:
                if outcome.status == SolveStatus.OPTIMAL:
                    size = min(MAX_SIZE, int(size * 1.25) + 1)
                else:
                    size = max(MIN_SIZE, int(size * 0.8))
            combined, value = _combine(problem, incumbent, best, hoods, outcomes)
            if value < best - 1e-9:
                accepted += 1
                if progress is not None:
                    hours = under_staffed_hours(problem, combined)
                    progress(Progress(time.monotonic() - started, value, None, "lns", hours))
            incumbent, best = combined, value
    incumbent.objective = best
    return LnsOutcome(
        status=SolveStatus.FEASIBLE,
        solution=incumbent,
        bound=None,
        stats={
            "lns_steps": steps,
            "lns_improvements": accepted,
            "deterministic_time": round(spent, 3),
        },
    )


@dataclass(frozen=True)
class _SubSolve:
    """One neighbourhood's sub-model and how to solve it (on one CP-SAT worker)."""

    built: BuiltModel
    incumbent: Solution
    hint_seed: int
    seed: int
    work: float
    deadline: float | None
    stop: StopToken | None


def _solve(job: _SubSolve) -> CpsatOutcome:
    complete_hint(job.built, job.incumbent, seed=job.hint_seed)
    remaining = None if job.deadline is None else max(0.05, job.deadline - time.monotonic())
    return run_cpsat(
        job.built,
        time_limit=remaining,
        deterministic_time=job.work,
        seed=job.seed,
        workers=1,
        stop=job.stop,
        # the LP of every constraint proves a freed window optimal where level 1 wanders: five
        # 200×14 windows, 3 s each, all optimal in 1.3–2.7 s at level 2, none at level 1
        linearization_level=2,
    )


def _combine(
    problem: Problem,
    base: Solution,
    base_value: float,
    hoods: list[list[AgentDay]],
    outcomes: list[CpsatOutcome],
) -> tuple[Solution, float]:
    """The best roster from one round: each result in turn, added when it does not worsen."""
    current, value = base, base_value
    for hood, outcome in zip(hoods, outcomes, strict=True):
        if outcome.solution is None:
            continue
        proposal = (
            outcome.solution
            if current is base
            else merge_disjoint(base, current, outcome.solution, {agent for agent, _ in hood})
        )
        if proposal is None:
            continue
        proposal_value = objective_parts(problem, proposal).total
        if proposal_value <= value + 1e-9:
            current, value = proposal, proposal_value
    return current, value


def _disjoint_neighbourhoods(
    problem: Problem, rng: random.Random, size: int, count: int
) -> list[list[AgentDay]]:
    """``count`` neighbourhoods without an agent in common (so their results combine)."""
    hoods: list[list[AgentDay]] = []
    taken: set[int] = set()
    for _ in range(count):
        hood = _neighbourhood(problem, rng, size, exclude=taken)
        if hood:
            hoods.append(hood)
            taken |= {agent for agent, _ in hood}
    return hoods


def _neighbourhood(
    problem: Problem, rng: random.Random, size: int, exclude: set[int] | None = None
) -> list[AgentDay]:
    """A window of one to three consecutive local days for a sample of agents.

    Windows keep the sub-model's coverage part small (only the freed days are modelled); the
    sample prefers agents who share a skill with a randomly chosen agent, so freed shifts can
    actually trade coverage with each other.
    """
    days = problem.scenario.horizon.days
    width = rng.choice((1, 2, 3))
    first = rng.randrange(-1, max(0, days - width) + 1)
    window = range(first, first + width)
    anchor = rng.choice(problem.agents)
    skills = set(problem.groups[anchor.group])
    exclude = exclude or set()
    agents = [p for p in problem.agents if p.index not in exclude]
    related = [p for p in agents if skills & set(problem.groups[p.group])]
    others = [p for p in agents if not skills & set(problem.groups[p.group])]
    rng.shuffle(related)
    rng.shuffle(others)
    wanted = max(2, size // width)
    sample = (related + others)[:wanted]
    return [(p.index, d) for p in sample for d in window if d in p.by_day]
