"""At least the contract's number of days off in every week block (out-of-horizon days are off)."""

from __future__ import annotations

from scheduler.model.context import BuildContext
from scheduler.model.rules.weekly_hours import weeks_of
from scheduler.model.variables import Expr, sum_of

KEY = "min_days_off"
LABEL = "minimum days off per week"


def build(ctx: BuildContext) -> Expr:
    for plan in ctx.vars.agents_in_play():
        allowed = 7 - plan.contract.min_days_off_per_week
        for days in weeks_of(ctx, plan.index).values():
            if len(days) > allowed and ctx.vars.has_free_day(plan.index, days):
                ctx.add(
                    KEY, plan.index, sum_of(ctx.vars.works(plan.index, d) for d in days) <= allowed
                )
    return 0
