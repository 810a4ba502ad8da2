"""Caps on unsocial (night) shifts per week and weekend days per horizon, in local time."""

from __future__ import annotations

from scheduler.model.context import BuildContext
from scheduler.model.rules.weekly_hours import weeks_of
from scheduler.model.variables import Expr, sum_of

KEY = "max_unsocial_shifts"
LABEL = "maximum unsocial shifts per week"
WEEKEND_KEY = "max_weekend_days"
WEEKEND_LABEL = "maximum weekend days worked per horizon"


def build(ctx: BuildContext) -> Expr:
    for plan in ctx.vars.agents_in_play():
        cap = plan.contract.max_unsocial_shifts_per_week
        if cap is None:
            continue
        for days in weeks_of(ctx, plan.index).values():
            lits = [lit for d in days for c, lit in ctx.vars.options(plan.index, d) if c.unsocial]
            if len(lits) > cap and ctx.vars.has_free_day(plan.index, days):
                ctx.add(KEY, plan.index, sum_of(lits) <= cap)
    return 0


def build_weekend(ctx: BuildContext) -> Expr:
    for plan in ctx.vars.agents_in_play():
        cap = plan.contract.max_weekend_days
        if cap is None:
            continue
        lits = [lit for d in plan.days for c, lit in ctx.vars.options(plan.index, d) if c.weekend]
        if len(lits) > cap and ctx.vars.has_free_day(plan.index, plan.days):
            ctx.add(WEEKEND_KEY, plan.index, sum_of(lits) <= cap)
    return 0
