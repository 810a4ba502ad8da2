"""Paid hours per week block: at most the contract maximum (hard), at least its minimum."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import timedelta

from scheduler.model.context import BuildContext
from scheduler.model.problem import AgentPlan, Problem
from scheduler.model.variables import Expr, sum_of

KEY = "max_weekly_hours"
LABEL = "paid hours per week within the contract maximum"
MIN_KEY = "min_weekly_hours"
MIN_LABEL = "paid hours per week reach the contract minimum"


def weeks_of(ctx: BuildContext, agent: int) -> dict[int, list[int]]:
    weeks: dict[int, list[int]] = defaultdict(list)
    for day in ctx.problem.agents[agent].days:
        weeks[ctx.problem.week_of(day)].append(day)
    return weeks


def paid_slots(ctx: BuildContext, agent: int, days: list[int]) -> Expr:
    slot = ctx.problem.slot
    return sum_of(
        (c.paid_minutes // slot) * lit for day in days for c, lit in ctx.vars.options(agent, day)
    )


def build(ctx: BuildContext) -> Expr:
    slot = ctx.problem.slot
    for plan in ctx.vars.agents_in_play():
        cap = int(plan.contract.max_hours_per_week * 60 // slot)
        for days in weeks_of(ctx, plan.index).values():
            if ctx.vars.has_free_day(plan.index, days):
                ctx.add(KEY, plan.index, paid_slots(ctx, plan.index, days) <= cap)
    return 0


def build_minimum(ctx: BuildContext) -> Expr:
    """Soft: shortfall under the weekly minimum, prorated by the week's days that are inside the
    horizon and not time off (a holiday week does not count as a shortfall)."""
    problem = ctx.problem
    horizon_days = problem.scenario.horizon.days
    weight = ctx.per_slot(problem.scenario.policy.weights.min_hours_shortfall)
    terms: list[Expr] = []
    for plan in ctx.vars.agents_in_play():
        if weight == 0 and not plan.contract.min_hours_hard:
            continue
        weeks = weeks_of(ctx, plan.index)
        for week, target in weekly_min_targets(problem, plan).items():
            days = [d for d in weeks.get(week, []) if 0 <= d < horizon_days]
            if plan.contract.min_hours_hard:
                if not days or ctx.vars.has_free_day(plan.index, days):
                    ctx.add(MIN_KEY, plan.index, paid_slots(ctx, plan.index, days) >= target)
                continue
            if not days:
                terms.append(weight * target)  # nothing can be worked: the shortfall is fixed
                continue
            if not ctx.vars.has_free_day(plan.index, days):
                continue
            short = ctx.model.new_int_var(0, target, f"min_hours[{plan.agent.id},week{week}]")
            ctx.model.add(short >= target - paid_slots(ctx, plan.index, days))
            terms.append(weight * short)
    return sum_of(terms)


def weekly_min_targets(problem: Problem, plan: AgentPlan) -> dict[int, int]:
    """The agent's weekly minimum in paid slots, per week of the horizon that has one."""
    minimum = plan.contract.min_hours_per_week
    if minimum <= 0:
        return {}
    horizon = problem.scenario.horizon
    targets: dict[int, int] = {}
    for week in range(math.ceil(horizon.days / 7)):
        inside = [
            d
            for d in range(week * 7, min(week * 7 + 7, horizon.days))
            if not plan.agent.is_off(horizon.start + timedelta(days=d))
        ]
        target = min_hours_target_slots(minimum, len(inside), slot=problem.slot)
        if target > 0:
            targets[week] = target
    return targets


def min_hours_target_slots(min_hours_per_week: float, days_inside: int, *, slot: int) -> int:
    """Weekly minimum in slots, prorated by the share of the week inside the horizon.

    >>> min_hours_target_slots(32, 7, slot=15), min_hours_target_slots(32, 3, slot=15)
    (128, 55)
    """
    return math.ceil(min_hours_per_week * 60 * days_inside / 7 / slot - 1e-9)
