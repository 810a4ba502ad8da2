"""The column search's master LP, kept from one solve to the next.

Between pricing rounds the master changes only by new columns (and, in a dive, by columns
closed or reopened), so it is kept in one GLOP solver and re-solved from its last basis:
new columns enter at zero and the old basis stays feasible, where a fresh LP started from
nothing each round (Curtois Instance 13 after 30 s of pricing: 0.56-0.74 s a re-solve, 1.44 s
for a fresh LP over the same 2,274 columns). Presolve is off so that the LP GLOP re-solves
is the one it solved last plus the new columns; on a random LP of this size it warm-started
with presolve on too, so this is a choice, not a requirement.

New columns leave the last basis primal feasible, so those re-solves run the primal simplex. A
dive's closed columns change bounds instead, which can leave the basis primal infeasible but
keeps it dual feasible: the re-solve after a column is closed or reopened runs the dual
simplex. Replaying the LP calls of one dive (``python -m scheduler.benchmarks.column_dive 13
--root-work 20 --dive-work 20 --narrow-seconds 1``, recorded and replayed by a scratch script
while another job shared the machine) took the 31 re-solves after closings from 31,077
iterations and 4.19 s to 15,855 and 2.89 s, and left the 79 after new columns alone at 15.0 s.
The dual simplex picks other optima than the primal among the LP's many, so the dive takes
another path; see the README for runs.

GLOP's defaults are kept: none of its other options re-solved more than 4 % faster. Replaying
the LP calls of 30 s of ``python -m scheduler.benchmarks.column_root 13 --seconds 30`` (42
re-solves, 17.3 s and ~35,000 iterations by default; a scratch script, while other runs shared
the machine): a refactorization period of 200 16.7 s, looser tolerances 17.1 s, no transposed
matrix or Devex feasibility pricing 17.2 s, no strong optimality guarantee 18.6 s, no dynamic
refactorization 19.0 s, no reoptimization 23.7 s, the dual simplex with perturbed costs 75.7 s,
no middle-product update 5,053 s. Devex or Dantzig optimality pricing, or the dual simplex, in
place of the defaults gave 25–28 rounds of root pricing in 30 s against ~41. Each iteration
costs more as columns accrue (the same scratch timing: 0.14 ms at ~2,000 columns, 0.85 ms at
~5,600): the simplex itself, not the model's extraction (a re-solve with nothing to do takes
14–26 ms), is what grows.

Nor did another LP solver re-solve faster. Root pricing of Instance 13 for 30 s (``column_root
13 --seconds 30``, the backend swapped by a scratch script on an idle machine) ran 34–36 rounds
with GLOP (15.0–15.4 s in the LP), 28 with CLP through ``pywraplp`` (18.6 s), and 21–29 with
HiGHS 1.16 through ``highspy``, kept incremental like this class (18.8 s re-solving by its
primal simplex after new columns, 23.0–24.4 s by its dual or by its own choice).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from scheduler.model.problem import FloatArray

#: How far above the true LP value GLOP's may lie (its tolerances are far tighter): a bound
#: read off the LP is taken this much lower before it is rounded or compared.
LP_ROUND_OFF = 1e-6


@dataclass(frozen=True)
class MasterSolution:
    """The LP's value, each cover row's and agent row's dual, each column's value."""

    value: float
    cover_duals: FloatArray  # by cover row
    agent_duals: dict[int, float]
    values: dict[int, list[float]]


class MasterLP:
    """min Σ column costs + under/over-cover penalties, one unit of columns per agent, each
    cover row met by columns, shortfall or excess. Columns are appended, never removed."""

    def __init__(
        self, targets: FloatArray, under: FloatArray, over: FloatArray, agents: list[int]
    ) -> None:
        solver = pywraplp.Solver.CreateSolver("GLOP")
        if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
            raise RuntimeError("OR-Tools has no GLOP solver")
        self._solver = solver
        self._params = pywraplp.MPSolverParameters()
        self._params.SetIntegerParam(
            pywraplp.MPSolverParameters.PRESOLVE, pywraplp.MPSolverParameters.PRESOLVE_OFF
        )
        self._bounds_changed = False  # since the last solve: its basis may be primal infeasible
        self._objective = solver.Objective()
        self._objective.SetMinimization()
        infinity = solver.infinity()
        self._cover_rows = []
        for target, under_weight, over_weight in zip(targets, under, over, strict=True):
            row = solver.Constraint(float(target), float(target))
            short = solver.NumVar(0.0, infinity, "")
            excess = solver.NumVar(0.0, infinity, "")
            row.SetCoefficient(short, 1.0)
            row.SetCoefficient(excess, -1.0)
            self._objective.SetCoefficient(short, float(under_weight))
            self._objective.SetCoefficient(excess, float(over_weight))
            self._cover_rows.append(row)
        self._agent_rows = {agent: solver.Constraint(1.0, 1.0) for agent in agents}
        self._columns: dict[int, list[pywraplp.Variable]] = {agent: [] for agent in agents}

    def add_column(self, agent: int, cost: float, rows: list[int]) -> None:
        """Append a column of ``agent`` costing ``cost`` that meets each of the cover ``rows``
        once (distinct: a plan has one shift a day)."""
        x = self._solver.NumVar(0.0, self._solver.infinity(), "")
        self._agent_rows[agent].SetCoefficient(x, 1.0)
        self._objective.SetCoefficient(x, cost)
        for r in rows:
            self._cover_rows[r].SetCoefficient(x, 1.0)
        self._columns[agent].append(x)

    def set_open(self, agent: int, column: int, is_open: bool) -> None:
        """Let the column take a value, or hold it at 0 (a dive's forced days break it)."""
        x = self._columns[agent][column]
        top = self._solver.infinity() if is_open else 0.0
        if x.ub() != top:  # an unchanged bound leaves GLOP nothing to redo
            x.SetUb(top)
            self._bounds_changed = True

    def solve(self) -> MasterSolution | None:
        """The LP's optimum, from the last solve's basis; None unless GLOP proves one."""
        # the basis is kept whichever simplex runs
        dual = "true" if self._bounds_changed else "false"
        if not self._solver.SetSolverSpecificParametersAsString(f"use_dual_simplex: {dual}"):
            raise RuntimeError("GLOP refused the use_dual_simplex option")  # pragma: no cover
        self._bounds_changed = False
        if self._solver.Solve(self._params) != pywraplp.Solver.OPTIMAL:
            return None
        return MasterSolution(
            value=float(self._objective.Value()),
            cover_duals=np.array([row.dual_value() for row in self._cover_rows]),
            agent_duals={agent: row.dual_value() for agent, row in self._agent_rows.items()},
            values={agent: [x.solution_value() for x in xs] for agent, xs in self._columns.items()},
        )
