"""Fairness: among agents on the same contract, a small spread of paid hours, weekend shifts and
unsocial shifts (max − min, which is linear and exact for two or more agents)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from scheduler.model.context import SCALE, BuildContext
from scheduler.model.problem import Candidate
from scheduler.model.variables import Expr, sum_of

KEY = "fairness"
LABEL = "fair spread of hours, weekend and unsocial shifts"

Measure = Callable[[Candidate], int]


def _paid_minutes(c: Candidate) -> int:
    return c.paid_minutes


def _weekend(c: Candidate) -> int:
    return int(c.weekend)


def _unsocial(c: Candidate) -> int:
    return int(c.unsocial)


def build(ctx: BuildContext) -> Expr:
    problem = ctx.problem
    weight = problem.scenario.policy.weights.fairness
    if weight == 0:
        return 0
    peers: dict[str, list[int]] = defaultdict(list)
    for plan in problem.agents:
        peers[plan.contract.id].append(plan.index)
    # hours are counted in minutes, so weight/60 per minute, times SCALE = weight per minute
    measures: tuple[tuple[str, Measure, int], ...] = (
        ("hours", _paid_minutes, weight),
        ("weekends", _weekend, weight * SCALE),
        ("unsocial", _unsocial, weight * SCALE),
    )
    terms: list[Expr] = []
    for contract_id, agents in sorted(peers.items()):
        if len(agents) < 2:
            continue
        for name, measure, coefficient in measures:
            upper = max(_most(ctx, agent, measure) for agent in agents)
            if upper == 0:
                continue
            high = ctx.model.new_int_var(0, upper, f"fair_{name}_max[{contract_id}]")
            low = ctx.model.new_int_var(0, upper, f"fair_{name}_min[{contract_id}]")
            for agent in agents:
                total = _total(ctx, agent, measure)
                ctx.model.add(high >= total)
                ctx.model.add(low <= total)
            terms.append(coefficient * (high - low))
    return sum_of(terms)


def _total(ctx: BuildContext, agent: int, measure: Measure) -> Expr:
    return sum_of(
        measure(c) * lit
        for day in ctx.problem.agents[agent].days
        for c, lit in ctx.vars.options(agent, day)
    )


def _most(ctx: BuildContext, agent: int, measure: Measure) -> int:
    """The most the agent's total can reach in this model: a fixed day counts its own shift
    (so a neighbourhood model looks only at its free days' options, not at every candidate)."""
    return sum(
        max((measure(c) for c, _ in ctx.vars.options(agent, day)), default=0)
        for day in ctx.problem.agents[agent].by_day
    )
