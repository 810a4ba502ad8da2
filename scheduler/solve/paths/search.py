"""Local search over whole agents' plans: best-response sweeps, and kicks that take them past
the rosters where no single agent's best response improves (an iterated local search).

A sweep re-plans each agent against everyone else and keeps the plan when it lowers the
objective, until a sweep improves nothing. Such a roster is a local optimum for one-agent
moves, while most of what is left needs two agents to trade (one gives a shift up so another
can take it, each move alone a loss). A kick re-plans a few agents against randomly disturbed
costs, committed whatever they cost, and the sweeps that follow settle the roster again; the
best roster is kept and the search goes back to it whenever a kick ends worse.

Only agents on shift-type demand alone take part: their plan's cost is exact there, so the
objective is tracked by the plans' gains without evaluating the roster. Deterministic for a
seed and a plan budget; a wall-clock deadline may end it earlier.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from scheduler.model.problem import Problem
from scheduler.model.solution import Solution
from scheduler.solve.cpsat import StopToken
from scheduler.solve.paths.responder import BestResponder

#: How many agents one kick re-plans (drawn uniformly).
KICK_AGENTS = (1, 2, 3)
#: How hard a kick disturbs those agents' costs: normal noise of this many typical shift costs.
KICK_SHAKE = 1.0
#: Kicks in a row without a new best roster after which the search ends (on small teams it
#: has then usually seen what one-agent moves can reach; its time goes back to the solver).
STALL_KICKS = 150
#: Gains below this many points are rounding, not improvements.
EPSILON = 1e-9


@dataclass(frozen=True)
class PathSearch:
    """The best roster found and how the search went."""

    solution: Solution
    accepted: int  # plans that lowered the objective in sweeps
    kicks: int
    improving_kicks: int  # kicks after which the sweeps found a new best roster
    planned_days: int  # the work done: days of the horizon planned, summed over plans


def improve_by_paths(
    problem: Problem,
    solution: Solution,
    *,
    deadline: float | None,
    day_budget: int | None = None,
    kicks: bool = False,
    seed: int = 0,
    stop: StopToken | None = None,
) -> PathSearch:
    """Sweep ``solution`` to a local optimum; with ``kicks``, kick and sweep again until the
    ``deadline`` or ``day_budget`` (days planned, the deterministic measure of work) runs out
    (one of them is then required) or :data:`STALL_KICKS` kicks in a row found nothing."""
    if kicks and deadline is None and day_budget is None and stop is None:
        raise ValueError("a search with kicks needs a deadline, a day budget or a stop token")
    responder = BestResponder(problem, solution)
    agents = [plan.index for plan in problem.agents if not problem.groups[plan.group]]
    work = _Work(deadline, day_budget, stop, problem.scenario.horizon.days)
    value, accepted = _sweep(responder, agents, work)  # points, relative to the start
    best_value, best_shifts = value, dict(responder.shifts)
    kicked = improving = stalled = 0
    rng = np.random.default_rng(seed)
    while kicks and agents and stalled < STALL_KICKS and not work.spent():
        count = min(len(agents), int(rng.choice(KICK_AGENTS)))
        for agent in rng.choice(agents, size=count, replace=False).tolist():
            plan = responder.plan(agent, shake=KICK_SHAKE, rng=rng)
            work.planned()
            if plan is not None:
                value -= responder.gain(agent, plan)
                responder.commit(agent, plan)
        order = rng.permutation(agents).tolist()
        gained, moves = _sweep(responder, order, work)
        value += gained
        accepted += moves
        kicked += 1
        stalled += 1
        if value < best_value - EPSILON:
            improving += 1
            stalled = 0
            best_value, best_shifts = value, dict(responder.shifts)
        elif value > best_value + EPSILON:
            responder.reset(best_shifts)
            value = best_value
    if value > best_value + EPSILON:
        responder.reset(best_shifts)
    return PathSearch(responder.solution(), accepted, kicked, improving, work.days)


def _sweep(responder: BestResponder, agents: list[int], work: _Work) -> tuple[float, int]:
    """Re-plan each agent in turn while that lowers the objective, until a whole sweep
    improves nothing or the work runs out: (change in points, plans accepted)."""
    change, accepted = 0.0, 0
    improved = True
    while improved:
        improved = False
        for agent in agents:
            if work.spent():
                return change, accepted
            plan = responder.plan(agent)
            work.planned()
            if plan is None:
                continue
            gain = responder.gain(agent, plan)
            if gain > EPSILON:
                responder.commit(agent, plan)
                change -= gain
                accepted += 1
                improved = True
    return change, accepted


@dataclass
class _Work:
    """The search's limits, and the days planned so far."""

    deadline: float | None
    day_budget: int | None
    stop: StopToken | None
    horizon_days: int
    days: int = 0

    def planned(self) -> None:
        self.days += self.horizon_days

    def spent(self) -> bool:
        return (
            (self.deadline is not None and self.deadline <= time.monotonic())
            or (self.day_budget is not None and self.days >= self.day_budget)
            or (self.stop is not None and self.stop.stopped)
        )
