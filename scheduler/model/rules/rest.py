"""Minimum rest between the end of one shift and the start of the next (and never overlap).

Written as clique constraints: for each start time τ of day d+k, the shifts of day d that end
too late for τ and the shifts of day d+k starting by τ pairwise conflict, so at most one of them
is worked. This is the tightest linear form and needs one constraint per distinct start.
"""

from __future__ import annotations

import math

from scheduler.model.context import BuildContext
from scheduler.model.variables import Expr, sum_of

KEY = "rest"
LABEL = "minimum rest between shifts"


def build(ctx: BuildContext) -> Expr:
    problem, variables = ctx.problem, ctx.vars
    for plan in ctx.vars.agents_in_play():
        rest = math.ceil(plan.contract.min_rest_hours * 60 / problem.slot)
        days = plan.days
        for day in days:
            earlier = variables.options(plan.index, day)
            if not earlier:
                continue
            latest_end = max(c.end for c, _ in earlier) + rest
            for later_day in (day + 1, day + 2, day + 3):
                if later_day not in plan.by_day:
                    continue
                if not (
                    variables.is_free(plan.index, day) or variables.is_free(plan.index, later_day)
                ):
                    continue
                later = variables.options(plan.index, later_day)
                for tau in sorted({c.start for c, _ in later if c.start < latest_end}):
                    ending = [lit for c, lit in earlier if c.end + rest > tau]
                    starting = [lit for c, lit in later if c.start <= tau]
                    if ending and starting:
                        ctx.add(KEY, plan.index, sum_of(ending + starting) <= 1)
    return 0
