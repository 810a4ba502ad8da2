"""Most weekends worked per horizon: a weekend counts once if any of its local days is worked."""

from __future__ import annotations

from collections import defaultdict

from scheduler.model.context import BuildContext
from scheduler.model.problem import Problem
from scheduler.model.variables import Expr, sum_of

KEY = "max_weekends"
LABEL = "most weekends worked per horizon"


def weekend_block(problem: Problem, day: int) -> int | None:
    """Which weekend local day ``day`` belongs to (its calendar week), or None on a weekday."""
    start_weekday = problem.scenario.horizon.start.weekday()
    if (start_weekday + day) % 7 in problem.scenario.policy.weekend_days:
        return (start_weekday + day) // 7
    return None


def weekend_days(ctx: BuildContext, agent: int) -> dict[int, list[int]]:
    """Local day indexes of each weekend (keyed by week block) that the agent could work."""
    weekends: dict[int, list[int]] = defaultdict(list)
    for day in ctx.problem.agents[agent].days:
        block = weekend_block(ctx.problem, day)
        if block is not None:
            weekends[block].append(day)
    return weekends


def build(ctx: BuildContext) -> Expr:
    for plan in ctx.vars.agents_in_play():
        cap = plan.contract.max_weekends
        if cap is None or not ctx.vars.has_free_day(plan.index, plan.days):
            continue
        weekends = weekend_days(ctx, plan.index)
        if len(weekends) <= cap:
            continue
        worked = []
        for key, days in sorted(weekends.items()):
            flag = ctx.model.new_bool_var(f"weekend[{plan.agent.id},{key}]")
            for day in days:
                ctx.add(KEY, plan.index, flag >= ctx.vars.works(plan.index, day))
            worked.append(flag)
        ctx.add(KEY, plan.index, sum_of(worked) <= cap)
    return 0
