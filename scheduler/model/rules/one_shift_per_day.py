"""At most one shift per agent per local day."""

from __future__ import annotations

from scheduler.model.context import BuildContext
from scheduler.model.variables import Expr

KEY = "one_shift_per_day"
LABEL = "at most one shift per local day"


def build(ctx: BuildContext) -> Expr:
    for plan in ctx.vars.agents_in_play():
        for day in plan.by_day:
            if ctx.vars.is_free(plan.index, day):
                ctx.add(KEY, plan.index, ctx.vars.works(plan.index, day) <= 1)
    return 0
