"""Soft: agents' requests to work (or not work) a shift type on a date; each unmet one costs its
weight. An "on" request is unmet by a day off or by another type."""

from __future__ import annotations

from datetime import date

from scheduler.model.context import SCALE, BuildContext
from scheduler.model.variables import Expr, sum_of

KEY = "shift_requests"
LABEL = "agents' shift-on and shift-off requests"


def day_index(ctx: BuildContext, local_date: date) -> int:
    return (local_date - ctx.problem.scenario.horizon.start).days


def build(ctx: BuildContext) -> Expr:
    types = {t.id: k for k, t in enumerate(ctx.problem.scenario.shift_types)}
    terms: list[Expr] = []
    for plan in ctx.vars.agents_in_play():
        for request in plan.agent.shift_requests:
            day = day_index(ctx, request.date)
            if not ctx.vars.is_free(plan.index, day) or request.weight == 0:
                continue
            worked = sum_of(
                lit
                for cand, lit in ctx.vars.options(plan.index, day)
                if cand.shift_type == types[request.shift_type]
            )
            weight = request.weight * SCALE
            terms.append(weight * (1 - worked) if request.kind == "on" else weight * worked)
    return sum_of(terms)
