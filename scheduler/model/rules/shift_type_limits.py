"""Per-agent limits over the horizon: most shifts of each type, and total worked minutes."""

from __future__ import annotations

from scheduler.model.context import BuildContext
from scheduler.model.variables import Expr, sum_of

KEY = "max_shifts_per_type"
LABEL = "most shifts of each type per horizon"
TOTAL_KEY = "total_minutes"
TOTAL_LABEL = "total worked minutes within the contract's range"


def build(ctx: BuildContext) -> Expr:
    types = ctx.problem.scenario.shift_types
    for plan in ctx.vars.agents_in_play():
        limits = plan.contract.max_shifts_per_type
        if not limits or not ctx.vars.has_free_day(plan.index, plan.days):
            continue
        for type_index, shift_type in enumerate(types):
            cap = limits.get(shift_type.id)
            if cap is None:
                continue
            lits = [
                lit
                for day in plan.days
                for cand, lit in ctx.vars.options(plan.index, day)
                if cand.shift_type == type_index
            ]
            if len(lits) > cap:
                ctx.add(KEY, plan.index, sum_of(lits) <= cap)
    return 0


def build_total(ctx: BuildContext) -> Expr:
    for plan in ctx.vars.agents_in_play():
        low, high = plan.contract.min_total_minutes, plan.contract.max_total_minutes
        if low is None and high is None:
            continue
        if plan.days and not ctx.vars.has_free_day(plan.index, plan.days):
            continue  # fixed in this neighbourhood
        total = sum_of(
            cand.paid_minutes * lit
            for day in plan.days
            for cand, lit in ctx.vars.options(plan.index, day)
        )
        if low is not None and low > 0:
            ctx.add(TOTAL_KEY, plan.index, total >= low)
        if high is not None:
            ctx.add(TOTAL_KEY, plan.index, total <= high)
    return 0
