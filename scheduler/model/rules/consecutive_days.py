"""No more than the contract's maximum run of consecutive local working days.

Days outside the horizon count as off (there is no history), so only windows inside it matter.
"""

from __future__ import annotations

from scheduler.model.context import BuildContext
from scheduler.model.variables import Expr, sum_of

KEY = "max_consecutive_days"
LABEL = "maximum consecutive working days"


def build(ctx: BuildContext) -> Expr:
    for plan in ctx.vars.agents_in_play():
        limit = plan.contract.max_consecutive_days
        days = plan.days
        if not days:
            continue
        for first in range(days[0], days[-1] - limit + 1):
            window = range(first, first + limit + 1)
            if ctx.vars.has_free_day(plan.index, window):
                ctx.add(
                    KEY, plan.index, sum_of(ctx.vars.works(plan.index, d) for d in window) <= limit
                )
    return 0
