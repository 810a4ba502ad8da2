"""Soft: agents per day and shift type against the ``shift_demand`` rows (linear under/over)."""

from __future__ import annotations

from scheduler.model.context import SCALE, BuildContext
from scheduler.model.rules.requests import day_index
from scheduler.model.variables import Expr, sum_of

KEY = "shift_type_cover"
LABEL = "agents on each shift type meet its daily requirement"


def build(ctx: BuildContext) -> Expr:
    problem = ctx.problem
    types = {t.id: k for k, t in enumerate(problem.scenario.shift_types)}
    terms: list[Expr] = []
    for row in problem.scenario.shift_demand:
        day, type_index = day_index(ctx, row.date), types[row.shift_type]
        indexes = problem.by_type_day.get((type_index, day), [])
        lits = [
            lit
            for index in indexes
            for cand, lit in ctx.vars.options(problem.candidates[index].agent, day)
            if cand.index == index
        ]
        if not lits:  # nobody can work it: the whole requirement is short, a constant
            terms.append(row.required * row.under_weight * SCALE)
            continue
        if all(isinstance(lit, int) for lit in lits):
            continue  # fixed by the neighbourhood: a constant the model cannot change
        staffed = sum_of(lits)
        label = f"{row.shift_type},{row.date}"
        if row.under_weight:
            under = ctx.model.new_int_var(0, row.required, f"type_under[{label}]")
            ctx.model.add(under >= row.required - staffed)
            terms.append(row.under_weight * SCALE * under)
        if row.over_weight:
            over = ctx.model.new_int_var(0, len(lits), f"type_over[{label}]")
            ctx.model.add(over >= staffed - row.required)
            terms.append(row.over_weight * SCALE * over)
    return sum_of(terms)
