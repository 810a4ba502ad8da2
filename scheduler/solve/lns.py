"""Large-neighbourhood search for teams too big for one CP-SAT model.

Each step frees a neighbourhood — a few consecutive days for a sample of agents, or all days of
a few agents sharing skills — keeps every other shift fixed, and lets CP-SAT re-optimise it with
the incumbent as hint. Sub-models only span the freed window, so they build in a fraction of a
second. Steps are accepted when they do not worsen the full objective. Neighbourhoods come from a
seeded RNG and sub-solves are bounded in deterministic time, so a run with a deterministic budget
is reproducible.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from scheduler.model.builder import build_model
from scheduler.model.evaluate import objective_parts, under_staffed_hours
from scheduler.model.problem import Problem
from scheduler.model.solution import Solution
from scheduler.model.variables import AgentDay
from scheduler.roster import SolveStatus
from scheduler.solve.cpsat import StopToken, run_cpsat
from scheduler.solve.hints import complete_hint
from scheduler.solve.params import SolveParams
from scheduler.solve.progress import Progress, ProgressCallback

#: Free agent-days in the first neighbourhood; it grows while sub-problems solve to optimality
#: and shrinks when they time out, so each step stays a fraction of a second.
INITIAL_SIZE = 60
MIN_SIZE, MAX_SIZE = 20, 1200
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
    while True:
        if stop is not None and stop.stopped:
            break
        if params.deterministic_time is not None and spent >= params.deterministic_time:
            break
        if deadline is not None and time.monotonic() >= deadline - 0.05:
            break
        free = _neighbourhood(problem, rng, size)
        built = build_model(problem, incumbent=incumbent, free=free, hint=False)
        complete_hint(built, incumbent, seed=params.seed)
        step_budget = STEP_DETERMINISTIC_TIME
        if params.deterministic_time is not None:
            step_budget = min(step_budget, params.deterministic_time - spent)
        outcome = run_cpsat(
            built,
            time_limit=None if deadline is None else max(0.05, deadline - time.monotonic()),
            deterministic_time=max(0.01, step_budget),
            seed=rng.randrange(1 << 30),
            workers=params.workers,
            stop=stop,
        )
        spent += outcome.deterministic_time
        steps += 1
        if outcome.status == SolveStatus.OPTIMAL:
            size = min(MAX_SIZE, int(size * 1.25) + 1)
        else:
            size = max(MIN_SIZE, int(size * 0.8))
        if outcome.solution is None:
            continue
        value = objective_parts(problem, outcome.solution).total
        if value <= best + 1e-9:
            if value < best - 1e-9 and progress is not None:
                hours = under_staffed_hours(problem, outcome.solution)
                progress(Progress(time.monotonic() - started, value, None, "lns", hours))
            accepted += value < best - 1e-9
            incumbent, best = outcome.solution, value
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


def _neighbourhood(problem: Problem, rng: random.Random, size: int) -> list[AgentDay]:
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
    related = [p for p in problem.agents if skills & set(problem.groups[p.group])]
    others = [p for p in problem.agents if not skills & set(problem.groups[p.group])]
    rng.shuffle(related)
    rng.shuffle(others)
    wanted = max(2, size // width)
    sample = (related + others)[:wanted]
    return [(p.index, d) for p in sample for d in window if d in p.by_day]
