"""Soft: agents per day and shift type against the ``shift_demand`` rows (linear under/over)."""

from __future__ import annotations

from collections import Counter

from scheduler.domain import ShiftTypeDemand
from scheduler.model.context import SCALE, BuildContext
from scheduler.model.rules.requests import day_index
from scheduler.model.variables import Expr, sum_of

KEY = "shift_type_cover"
LABEL = "agents on each shift type meet its daily requirement"

TypeDay = tuple[int, int]


def build(ctx: BuildContext) -> Expr:
    problem = ctx.problem
    types = {t.id: k for k, t in enumerate(problem.scenario.shift_types)}
    # indexed once, so a neighbourhood's model costs what it frees, not candidates × rows
    fixed: Counter[TypeDay] = Counter()
    for index in ctx.vars.fixed_shifts():
        cand = problem.candidates[index]
        if cand.shift_type is not None:
            fixed[(cand.shift_type, cand.day)] += 1
    free: dict[TypeDay, list[Expr]] = {}
    for cand, var in ctx.vars.free_candidates():
        if cand.shift_type is not None:
            free.setdefault((cand.shift_type, cand.day), []).append(var)
    terms: list[Expr] = []
    for row in problem.scenario.shift_demand:
        key = (types[row.shift_type], day_index(ctx, row.date))
        lits, worked = free.get(key), fixed[key]
        if not lits:  # fixed by the neighbourhood, or nobody can work it: a constant
            terms.append(_row_penalty(row, worked) * SCALE)
            continue
        if len(lits) == 1:  # one free shift: its effect on the row is exactly linear
            terms.append(_row_penalty(row, worked) * SCALE)
            delta = _row_penalty(row, worked + 1) - _row_penalty(row, worked)
            terms.append(delta * SCALE * lits[0])
            continue
        staffed = sum_of(lits) + worked
        label = f"{row.shift_type},{row.date}"
        if row.under_weight:
            under = ctx.model.new_int_var(0, row.required, f"type_under[{label}]")
            ctx.model.add(under >= row.required - staffed)
            terms.append(row.under_weight * SCALE * under)
        if row.over_weight:
            over = ctx.model.new_int_var(0, len(lits) + worked, f"type_over[{label}]")
            ctx.model.add(over >= staffed - row.required)
            terms.append(row.over_weight * SCALE * over)
    return sum_of(terms)


def _row_penalty(row: ShiftTypeDemand, staffed: int) -> int:
    """Points a row costs with ``staffed`` agents on it."""
    under = max(0, row.required - staffed) * row.under_weight
    return under + max(0, staffed - row.required) * row.over_weight
