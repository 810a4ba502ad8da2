"""Forbidden successions: a type listed in another's ``cannot_follow`` may not be worked on the
next local day (nothing is checked across the horizon edges: there is no history)."""

from __future__ import annotations

from scheduler.model.context import BuildContext
from scheduler.model.variables import Expr

KEY = "forbidden_succession"
LABEL = "shift types that may not follow each other"


def build(ctx: BuildContext) -> Expr:
    types = ctx.problem.scenario.shift_types
    index = {t.id: k for k, t in enumerate(types)}
    forbidden = {(k, index[other]) for k, t in enumerate(types) for other in t.cannot_follow}
    if not forbidden:
        return 0
    for plan in ctx.problem.agents:
        for day in plan.days:
            if day + 1 not in plan.by_day:
                continue
            if not (ctx.vars.is_free(plan.index, day) or ctx.vars.is_free(plan.index, day + 1)):
                continue
            today = ctx.vars.options(plan.index, day)
            tomorrow = ctx.vars.options(plan.index, day + 1)
            for first, lit_first in today:
                for second, lit_second in tomorrow:
                    if (first.shift_type, second.shift_type) in forbidden:
                        ctx.add(KEY, plan.index, lit_first + lit_second <= 1)
    return 0
