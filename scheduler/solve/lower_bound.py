"""Proven lower bounds from the LP relaxation of the model: on under-staffed hours, and on the
whole objective.

The CP-SAT proto is read back as a linear program (every linear, at-most-one and exactly-one
constraint without an enforcement literal; anything else is dropped, which only loosens the
relaxation, so the bound stays valid) and GLOP minimises total shortfall, or the objective. No
roster can do better.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ortools.linear_solver import pywraplp

from scheduler.model.builder import BuiltModel
from scheduler.model.context import SCALE


def under_staffing_lower_bound_hours(
    built: BuiltModel, *, time_limit: float = 60.0
) -> float | None:
    """Minimum under-staffed agent-hours of any roster (live queues).

    None when GLOP does not prove the LP optimum within ``time_limit`` seconds: a bound that is
    not proven is not a bound.
    """
    coverage = built.ctx.coverage
    if coverage is None:
        return 0.0
    names = [variable.name for variable in built.model.proto.variables]
    relaxed = _relaxation(built, lambda constraint: _irrelevant(constraint, names), or_rows=False)
    if relaxed is None:  # pragma: no cover - GLOP ships with OR-Tools
        return None
    lp, columns = relaxed
    objective = lp.Objective()
    for segments in coverage.under.values():
        for var in segments:
            objective.SetCoefficient(columns[var.index], 1.0)
    value = _solve(lp, time_limit)
    return None if value is None else max(0.0, value) * built.ctx.problem.slot / 60


def objective_lower_bound(built: BuiltModel, *, time_limit: float = 60.0) -> float | None:
    """The LP relaxation of the whole model: a lower bound on the objective (points) of every
    roster, tighter than the Lagrangian one (it keeps rest and runs across weeks) but, by
    GLOP's simplex, affordable only on small teams; None when not proven within the limit."""
    relaxed = _relaxation(built, lambda constraint: False, or_rows=True)
    if relaxed is None:  # pragma: no cover - GLOP ships with OR-Tools
        return None
    lp, columns = relaxed
    proto = built.model.proto.objective
    objective = lp.Objective()
    for var, coeff in zip(proto.vars, proto.coeffs, strict=True):
        objective.SetCoefficient(columns[var], objective.GetCoefficient(columns[var]) + coeff)
    value = _solve(lp, time_limit)
    if value is None:
        return None
    scaling = proto.scaling_factor or 1.0
    return (value + proto.offset) * scaling / SCALE


def _relaxation(
    built: BuiltModel, skip: Callable[[Any], bool], *, or_rows: bool
) -> tuple[pywraplp.Solver, list[pywraplp.Variable]] | None:
    """The CP-SAT proto read back as a linear program: every linear, at-most-one and
    exactly-one constraint (and bool-or, with ``or_rows``) without an enforcement literal and
    not ``skip``-ped; dropping the rest only loosens it."""
    proto = built.model.proto
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:
        return None
    infinity = lp.infinity()
    columns = [
        lp.NumVar(float(v.domain[0]), float(v.domain[len(v.domain) - 1]), "")
        for v in proto.variables
    ]
    for constraint in proto.constraints:
        if len(constraint.enforcement_literal) or skip(constraint):
            continue
        if constraint.has_linear():
            domain = constraint.linear.domain
            lo, hi = float(domain[0]), float(domain[len(domain) - 1])
            row = lp.Constraint(-infinity if lo < -1e18 else lo, infinity if hi > 1e18 else hi)
            for var, coeff in zip(constraint.linear.vars, constraint.linear.coeffs, strict=True):
                _add(row, columns, var, coeff)
        elif constraint.has_at_most_one() or constraint.has_exactly_one():
            exact = constraint.has_exactly_one()
            literals = constraint.exactly_one.literals if exact else constraint.at_most_one.literals
            row = lp.Constraint(1.0 if exact else -infinity, 1.0)
            for literal in literals:
                _add_literal(row, columns, literal)
        elif or_rows and constraint.has_bool_or():
            row = lp.Constraint(1.0, infinity)
            for literal in constraint.bool_or.literals:
                _add_literal(row, columns, literal)
    return lp, columns


def _solve(lp: pywraplp.Solver, time_limit: float) -> float | None:
    """The LP's proven minimum, or None."""
    lp.SetTimeLimit(int(time_limit * 1000))
    lp.Objective().SetMinimization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return float(lp.Objective().Value())


#: Rows the bound does not need: dropping a constraint only relaxes the LP, so the bound stays
#: valid, and these (email backlog chains, fairness spreads, weekly-minimum slack) are the ones
#: that make the simplex crawl while never limiting live-queue coverage from below.
_DROPPED_PREFIXES = ("done[", "overdue[", "ahead[", "fair_", "min_hours[")


def _irrelevant(constraint: Any, names: list[str]) -> bool:
    if not constraint.has_linear():
        return False
    return any(names[v].startswith(_DROPPED_PREFIXES) for v in constraint.linear.vars)


def _add(row: pywraplp.Constraint, columns: list[pywraplp.Variable], var: int, coeff: int) -> None:
    if var >= 0:
        row.SetCoefficient(columns[var], row.GetCoefficient(columns[var]) + coeff)
    else:  # a negated reference: coeff·(−v−1)... only literals are negated, handled below
        raise ValueError("negative variable reference in a linear constraint")


def _add_literal(row: pywraplp.Constraint, columns: list[pywraplp.Variable], literal: int) -> None:
    if literal >= 0:
        row.SetCoefficient(columns[literal], row.GetCoefficient(columns[literal]) + 1)
    else:  # ¬x = 1 − x: move the constant into the bounds
        column = columns[-literal - 1]
        row.SetCoefficient(column, row.GetCoefficient(column) - 1)
        row.SetBounds(row.lb() - 1, row.ub() - 1)
