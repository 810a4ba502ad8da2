"""Minimum runs: of working days, and of days off, between two in-horizon boundaries.

A run that touches the first or last day of the horizon is exempt: what happened before and
after the horizon is unknown, so the run may continue there. Each too-short run is forbidden by
one clause: "not (boundary, L days inside, boundary)".
"""

from __future__ import annotations

from scheduler.model.context import BuildContext
from scheduler.model.variables import Expr, sum_of

WORK_KEY = "min_consecutive_days"
WORK_LABEL = "shortest run of consecutive working days"
OFF_KEY = "min_consecutive_days_off"
OFF_LABEL = "shortest run of consecutive days off"


def build(ctx: BuildContext) -> Expr:
    days = ctx.problem.scenario.horizon.days
    for plan in ctx.vars.agents_in_play():
        for key, shortest, working in (
            (WORK_KEY, plan.contract.min_consecutive_days, True),
            (OFF_KEY, plan.contract.min_consecutive_days_off, False),
        ):
            if shortest is None or shortest <= 1:
                continue
            for first in range(1, days - 1):
                for length in range(1, shortest):
                    last = first + length - 1
                    if last + 1 > days - 1:
                        break
                    window = range(first - 1, last + 2)
                    if not ctx.vars.has_free_day(plan.index, window):
                        continue
                    inside = [ctx.vars.works(plan.index, d) for d in range(first, last + 1)]
                    edges = [
                        ctx.vars.works(plan.index, first - 1),
                        ctx.vars.works(plan.index, last + 1),
                    ]
                    if working:  # off, work × length, off  is forbidden
                        ctx.add(key, plan.index, sum_of(inside) - sum_of(edges) <= length - 1)
                    else:  # work, off × length, work  is forbidden
                        ctx.add(key, plan.index, sum_of(edges) - sum_of(inside) <= 1)
    return 0
