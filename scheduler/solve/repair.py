"""Make a roster keep every hard rule by re-planning the agents who break one, one at a time.

Greedy construction leaves the rules that ask for *more* work (shortest runs of working days,
minimum total minutes, hard weekly minimums) to the solver, so on rule-heavy teams its roster is
not valid, and a whole-model CP-SAT solve of a large team may not find any valid roster in its
time. Every hard rule concerns one agent, though: re-planning one agent's whole horizon while
everyone else keeps their shifts is a small model that is feasible exactly when that agent's own
rules are, and its objective (coverage given the others, requests, cost) makes each re-plan a
best response to the roster so far. Each agent is first planned by shortest path
(:mod:`scheduler.solve.paths`: a few hundredths of a second where CP-SAT takes seconds on a
year-long plan); the agents still breaking a rule after that get the CP-SAT model, in index order
with fixed deterministic-time budgets, so the result is reproducible. An agent whose plan does not
come within those budgets is put aside rather than failing the repair: the others go on, and the
agents put aside are tried again at the end with longer budgets, against the roster the others made.
"""

from __future__ import annotations

import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from scheduler.model.builder import BuiltModel, build_model
from scheduler.model.problem import Problem
from scheduler.model.solution import Solution
from scheduler.roster import Roster, SolveStatus
from scheduler.solve.cpsat import CpsatOutcome, StopToken, run_cpsat
from scheduler.solve.greedy import greedy_solution
from scheduler.solve.merge import merge_disjoint
from scheduler.solve.paths import BestResponder
from scheduler.solve.roster_build import build_shifts
from scheduler.validate import validate_roster

#: Deterministic work per agent and whether to stop at the first plan, tried in turn until a
#: plan is found: a good plan when one comes cheaply, else the first legal one (the solve after
#: repair improves it). Curtois Instance 20 (50 agents × 182 days): no agent finds a plan in 0.25
#: units, most find their best one within 1.5 (~2.5 s each); the first plan comes in ~1.2 s.
AGENT_TRIES = ((0.25, False), (1.5, False), (5.0, True))
#: The tries of an agent put aside because :data:`AGENT_TRIES` found no plan, made once every
#: other agent is planned: the odd agent whose first plan is slow (one of Curtois Instance 22
#: took 8.5 s at seed 0 where others of its kind take 1-4) no longer holds up the rest, nor
#: pushes them (see ``first_try`` in :func:`repair`) to first plans only.
SET_ASIDE_TRIES = ((20.0, True), (80.0, True))
#: Wall seconds per agent still to re-plan below which only first plans are sought, so a time
#: limit is spread over every agent rather than spent on the first ones.
HURRY_SECONDS_PER_AGENT = 3.0
#: CP-SAT's linearization level for these models: 2 solved every Instance 20 agent to optimality
#: in ~1 unit of work, where the default left some without a legal plan after 5.
REPAIR_LINEARIZATION = 2


@dataclass
class RepairOutcome:
    """The repaired roster, or None with the agent whose rules could not be met (and why) and
    the roster as far as it got; ``set_aside`` counts the agents planned last (or not at all)
    because no plan came within :data:`AGENT_TRIES`."""

    solution: Solution | None
    replanned: int
    failed_agent: int | None = None
    failure: SolveStatus | None = None
    partial: Solution | None = None
    set_aside: int = 0


def agents_breaking_rules(problem: Problem, solution: Solution) -> list[int]:
    """Indexes of the agents whose shifts break a hard rule, judged by the independent validator."""
    roster = Roster(
        status=SolveStatus.FEASIBLE,
        objective=None,
        best_bound=None,
        scenario=problem.scenario.name,
        shifts=build_shifts(problem, solution),
    )
    violations = validate_roster(problem.scenario, roster, problem=problem)
    by_id = {plan.agent.id: plan.index for plan in problem.agents}
    return sorted({by_id[v.agent_id] for v in violations if v.agent_id in by_id})


def repaired_greedy(problem: Problem, *, seed: int = 0, lanes: int = 1) -> Solution | None:
    """Greedy's roster with every agent who breaks a rule re-planned, without a deadline (the
    solve's own start, for tools and tests that need a legal roster to begin from); None when
    some agent could not be given a legal plan."""
    first = greedy_solution(problem)
    broken = agents_breaking_rules(problem, first)
    if not broken:
        return first
    return repair(problem, first, broken, seed=seed, deadline=None, lanes=lanes).solution


def repair(
    problem: Problem,
    start: Solution,
    agents: list[int],
    *,
    seed: int,
    deadline: float | None,
    lanes: int = 1,
    stop: StopToken | None = None,
) -> RepairOutcome:
    """Re-plan each of ``agents`` (all their days) against the others' shifts in ``start``.

    ``lanes`` agents are re-planned side by side and combined (their shifts are disjoint; see
    :mod:`scheduler.solve.merge`); the next ones are built while they solve, so each is planned
    against the roster as it stood one batch earlier. An agent whose plan does not come within
    :data:`AGENT_TRIES` is set aside and tried again, alone, after all the others, with
    :data:`SET_ASIDE_TRIES`. Returns the repaired roster, or no roster when an agent's rules
    cannot be met on their own (INFEASIBLE: the whole-model solve then explains why) or its plan
    did not come in time (UNKNOWN); ``partial`` then holds every agent re-planned so far, a
    better hint than ``start``. Without a ``deadline`` the result depends only on the inputs;
    with one, a tight deadline switches to first plans (:data:`HURRY_SECONDS_PER_AGENT`).
    """
    current, agents, done = _plan_by_paths(problem, start, agents, deadline, stop)
    queue = deque(agents)
    first_try = 0  # once cheap tries fail, later agents (alike, usually) skip them
    retried: set[int] = set()  # re-planned alone, on the latest roster
    set_aside: list[int] = []  # no plan within AGENT_TRIES: tried again once the rest are planned
    last_round: set[int] = set()
    in_flight: list[_Replan] = []
    with ThreadPoolExecutor(max_workers=max(1, lanes)) as pool:
        while queue or in_flight:
            out_of_time = deadline is not None and deadline <= time.monotonic()
            halted = out_of_time or (stop is not None and stop.stopped)
            # the next batch is built (Python, serial) while the previous one solves (threads)
            launched: list[_Replan] = []
            again = bool(queue) and queue[0] in last_round
            tries = SET_ASIDE_TRIES if again else AGENT_TRIES[first_try:]
            if deadline is not None and queue and not again:
                left = (deadline - time.monotonic()) * lanes / (len(queue) + len(in_flight))
                if left < HURRY_SECONDS_PER_AGENT:
                    tries = AGENT_TRIES[-1:]
            # an agent whose result could not be combined is re-planned alone, on the latest roster
            alone = bool(queue) and queue[0] in retried
            while queue and not halted and len(launched) < lanes and not (alone and in_flight):
                agent = queue.popleft()
                built = build_model(
                    problem,
                    incumbent=current,
                    free=[(agent, day) for day in problem.agents[agent].by_day],
                    hint=False,
                    run_automata=True,
                )
                job = pool.submit(_replan, built, tries, seed, deadline, stop)
                launched.append(_Replan(agent, current, job))
                if alone:
                    break
            for replan in in_flight:
                outcome, used = replan.job.result()
                if outcome.solution is None:
                    slow = outcome.status != SolveStatus.INFEASIBLE
                    if slow and replan.agent not in last_round and not halted:
                        set_aside.append(replan.agent)  # retried alone, once the rest are planned
                        retried.add(replan.agent)
                        continue
                    for other in launched:
                        other.job.cancel()
                    return RepairOutcome(
                        None, done, replan.agent, outcome.status, current, len(last_round)
                    )
                if replan.agent not in last_round:
                    first_try = min(len(AGENT_TRIES) - 1, first_try + used)
                merged = (
                    outcome.solution
                    if current is replan.base
                    else merge_disjoint(replan.base, current, outcome.solution, {replan.agent})
                )
                if merged is None:  # both moved the same shared allocation: redo it alone
                    retried.add(replan.agent)
                    queue.appendleft(replan.agent)
                    continue
                current, done = merged, done + 1
            in_flight = launched
            if not queue and not in_flight and set_aside:
                queue.extend(set_aside)
                last_round.update(set_aside)
                set_aside.clear()
            if halted and not in_flight and queue:
                return RepairOutcome(
                    None, done, queue[0], SolveStatus.UNKNOWN, current, len(last_round)
                )
    return RepairOutcome(current, done, set_aside=len(last_round))


def _plan_by_paths(
    problem: Problem,
    start: Solution,
    agents: list[int],
    deadline: float | None,
    stop: StopToken | None,
) -> tuple[Solution, list[int], int]:
    """Re-plan ``agents`` by shortest paths (:mod:`scheduler.solve.paths`, ~0.05–0.5 s
    an agent where CP-SAT takes seconds); returns the roster, the agents still breaking a rule
    (no path found, or a rule the paths do not model), and how many were re-planned."""
    responder = BestResponder(problem, start)
    planned = 0
    for agent in agents:
        if (deadline is not None and deadline <= time.monotonic()) or (stop and stop.stopped):
            break
        plan = responder.plan(agent)
        if plan is not None:
            responder.commit(agent, plan)
            planned += 1
    if not planned:
        return start, agents, 0
    current = responder.solution()
    left = agents_breaking_rules(problem, current)
    return current, left, len(set(agents) - set(left))


@dataclass(frozen=True)
class _Replan:
    """One agent's re-plan in flight: the roster it was built on, and its solve."""

    agent: int
    base: Solution
    job: Future[tuple[CpsatOutcome, int]]


def _replan(
    built: BuiltModel,
    tries: tuple[tuple[float, bool], ...],
    seed: int,
    deadline: float | None,
    stop: StopToken | None,
) -> tuple[CpsatOutcome, int]:
    """One agent's plan against the rest, and how many ``tries`` failed before it was found."""
    outcome: CpsatOutcome | None = None
    failed = 0
    for work, first_only in tries:
        remaining = None if deadline is None else max(0.01, deadline - time.monotonic())
        outcome = run_cpsat(
            built,
            time_limit=remaining,
            deterministic_time=work,
            seed=seed,
            workers=1,
            stop=stop,
            linearization_level=REPAIR_LINEARIZATION,
            first_solution_only=first_only,
        )
        if outcome.solution is not None or outcome.status == SolveStatus.INFEASIBLE:
            break
        failed += 1
    assert outcome is not None
    return outcome, min(failed, len(tries) - 1)
