"""Large-neighbourhood search for teams too big for one CP-SAT model.

Each step frees a neighbourhood — a few consecutive days for a sample of agents, or all days of
a few agents sharing skills — keeps every other shift fixed, and lets CP-SAT re-optimise it with
the incumbent as hint. Sub-models only span the freed window, so they build in a fraction of a
second. Steps are accepted when they do not worsen the full objective.

While the incumbent leaves a live queue under-staffed, one neighbourhood a round is aimed at
the costliest such stretch of intervals instead: the queue's agents (first those with a shift
that could cover it) over the days of those shifts and the day after them when the stretch lies
late in them, else the day before, which is what filling it usually takes. A random window
rarely frees them together, and the moves' one agent-day at a time cannot make the chain
(someone takes the late shift, someone else the hours they leave, rest between days kept): on
a 200 × 14 team (seed 1), two hours short of Arabic chat after a 20-s solve were filled by
freeing its 23 agents over days 7–8 (326.8k → 324.7k points; over days 6–7, or with half the
work, it stayed short).
A side searched to optimality without filling the stretch, or twice, is not aimed at again.

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

import numpy as np
import numpy.typing as npt

from scheduler.model.builder import BuiltModel, build_model
from scheduler.model.evaluate import objective_parts, queue_coverage, under_staffed_hours
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
#: An aimed neighbourhood's work, in steps' work: filling the 200 × 14 gap in the module
#: docstring took CP-SAT 1.0 deterministic seconds; 0.5 did not find it.
AIMED_WORK_FACTOR = 2.0
#: Searches of one side of an under-staffed stretch that time out before it is given up.
TRIES_PER_GAP = 2


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
    gaps = _GapTargets(problem)
    with ThreadPoolExecutor(max_workers=lanes) as pool:
        while True:
            if stop is not None and stop.stopped:
                break
            if params.deterministic_time is not None and spent >= params.deterministic_time:
                break
            if deadline is not None and time.monotonic() >= deadline - 0.05:
                break
            aimed = gaps.neighbourhood(incumbent, rng, size)
            hoods = ([aimed.free] if aimed else []) + _disjoint_neighbourhoods(
                problem,
                rng,
                size,
                lanes - bool(aimed),
                exclude={agent for agent, _ in aimed.free} if aimed else None,
            )
            if not hoods:
                break  # nobody has a shift to re-plan
            budget = STEP_DETERMINISTIC_TIME
            if params.deterministic_time is not None:
                budget = min(budget, (params.deterministic_time - spent) / len(hoods))
            works = [budget] * len(hoods)
            if aimed is not None:  # a chain across two days takes longer to find
                works[0] = budget * AIMED_WORK_FACTOR
                if params.deterministic_time is not None:
                    works[0] = min(works[0], params.deterministic_time - spent - sum(works[1:]))
            jobs = [
                _SubSolve(
                    built=build_model(problem, incumbent=incumbent, free=free, hint=False),
                    incumbent=incumbent,
                    hint_seed=params.seed,
                    seed=rng.randrange(1 << 30),
                    work=max(0.01, work),
                    deadline=deadline,
                    stop=stop,
                )
                for free, work in zip(hoods, works, strict=True)
            ]
            outcomes = list(pool.map(_solve, jobs))
            if aimed is not None:
                gaps.searched(aimed, proven=outcomes[0].status == SolveStatus.OPTIMAL)
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
    problem: Problem,
    rng: random.Random,
    size: int,
    count: int,
    exclude: set[int] | None = None,
) -> list[list[AgentDay]]:
    """``count`` neighbourhoods without an agent in common (so their results combine), none of
    them with an agent in ``exclude``."""
    hoods: list[list[AgentDay]] = []
    taken: set[int] = set(exclude or ())
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


#: An under-staffed stretch of a live queue: (queue, first interval, last interval).
Gap = tuple[int, int, int]


@dataclass(frozen=True)
class _AimedHood:
    """A neighbourhood aimed at one under-staffed stretch, and which side of its day it also
    frees (-1: the day before, +1: the day after)."""

    gap: Gap
    side: int
    free: list[AgentDay]


class _GapTargets:
    """Under-staffed live intervals to aim neighbourhoods at, and the ones already searched."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.live = [q for q, queue in enumerate(problem.queues) if not queue.deferred]
        self.priority = np.array([queue.priority for queue in problem.queues])
        self.tries: dict[tuple[Gap, int], int] = {}  # per (stretch, side)
        self.reach: dict[Gap, tuple[dict[int, set[int]], list[int], int]] = {}

    def neighbourhood(
        self, incumbent: Solution, rng: random.Random, size: int
    ) -> _AimedHood | None:
        """A neighbourhood around the costliest of ``incumbent``'s under-staffed stretches not
        yet searched on both sides; ``None`` when there is none (no random draw is made then)."""
        if not self.live:
            return None
        cover = queue_coverage(self.problem, incumbent)
        need = self.problem.required_units
        short = np.maximum(need - cover, 0) * self.priority[:, None]
        open_gaps = [
            (float(short[gap[0], gap[1] : gap[2] + 1].sum()), gap)
            for q in self.live
            for gap in _stretches(q, np.flatnonzero(short[q] > 0))
            if any(self.tries.get((gap, side), 0) < TRIES_PER_GAP for side in (-1, 1))
        ]
        for _, gap in sorted(open_gaps, reverse=True):  # the costliest first, by priority
            if gap not in self.reach:  # the same stretch is aimed at round after round
                reaching, others = self._agents(gap)
                self.reach[gap] = reaching, others, self._side(gap, reaching)
            reaching, others, side = self.reach[gap]
            if not reaching:  # no shift of anyone's covers it: nothing to aim at
                self.tries.update({(gap, -1): TRIES_PER_GAP, (gap, 1): TRIES_PER_GAP})
                continue
            if self.tries.get((gap, side), 0) >= TRIES_PER_GAP:
                side = -side
            return _AimedHood(gap, side, self._free(reaching, others, side, rng, size))
        return None

    def searched(self, hood: _AimedHood, *, proven: bool) -> None:
        """Count a search of ``hood``; one ``proven`` optimal leaves nothing better on that
        side of that interval with those agents freed, so it is not aimed at again."""
        key = (hood.gap, hood.side)
        self.tries[key] = TRIES_PER_GAP if proven else self.tries.get(key, 0) + 1

    def _agents(self, gap: Gap) -> tuple[dict[int, set[int]], list[int]]:
        """The queue's agents with a shift that could cover part of ``gap`` (with those
        shifts' local days), and its other agents."""
        problem = self.problem
        queue, first, last = gap
        start = first * problem.slots_per_interval
        end = (last + 1) * problem.slots_per_interval
        reaching: dict[int, set[int]] = {}
        others: list[int] = []
        for plan in problem.agents:
            if queue not in problem.groups[plan.group]:
                continue
            days = {
                day
                for day, options in plan.by_day.items()
                for index in options
                if problem.candidates[index].start < end and problem.candidates[index].end > start
            }
            if days:
                reaching[plan.index] = days
            else:
                others.append(plan.index)
        return reaching, others

    def _side(self, gap: Gap, reaching: dict[int, set[int]]) -> int:
        """+1 (the day after) when ``gap`` lies past the middle of the shifts of the days
        that could cover it, late in those agents' days, whose rest then reaches into the next
        day; -1 when it lies early in them."""
        problem = self.problem
        centre = (gap[1] + gap[2] + 1) * problem.slots_per_interval / 2
        middles = [
            (problem.candidates[index].start + problem.candidates[index].end) / 2
            for agent, days in reaching.items()
            for day in days
            for index in problem.agents[agent].by_day[day]
        ]
        return 1 if middles and centre >= sum(middles) / len(middles) else -1

    def _free(
        self,
        reaching: dict[int, set[int]],
        others: list[int],
        side: int,
        rng: random.Random,
        size: int,
    ) -> list[AgentDay]:
        """Up to half of ``size`` agents, those who could cover the stretch first, each over
        the days of those shifts (the others over the first such day) and the day on ``side``."""
        near, rest = sorted(reaching), list(others)
        rng.shuffle(near)
        rng.shuffle(rest)
        first_day = min(d for days in reaching.values() for d in days)
        free: list[AgentDay] = []
        for agent in (near + rest)[: max(size // 2, 2)]:
            days = reaching.get(agent, {first_day})
            by_day = self.problem.agents[agent].by_day
            wanted = days | {day + side for day in days}
            free.extend((agent, day) for day in sorted(wanted) if day in by_day)
        return free


def _stretches(queue: int, intervals: npt.NDArray[np.int64]) -> list[Gap]:
    """Runs of consecutive intervals, as (queue, first, last)."""
    if not len(intervals):
        return []
    breaks = np.flatnonzero(np.diff(intervals) > 1)
    firsts = np.concatenate(([intervals[0]], intervals[breaks + 1]))
    lasts = np.concatenate((intervals[breaks], [intervals[-1]]))
    return [(queue, int(a), int(b)) for a, b in zip(firsts, lasts, strict=True)]
