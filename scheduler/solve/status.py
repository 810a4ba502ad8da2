"""The one place raw CP-SAT statuses become Sunshift's."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.roster import SolveStatus

_STATUS: dict[int, SolveStatus] = {
    int(cp_model.OPTIMAL): SolveStatus.OPTIMAL,
    int(cp_model.FEASIBLE): SolveStatus.FEASIBLE,
    int(cp_model.INFEASIBLE): SolveStatus.INFEASIBLE,
    int(cp_model.MODEL_INVALID): SolveStatus.UNKNOWN,
    int(cp_model.UNKNOWN): SolveStatus.UNKNOWN,
}


def from_cpsat(status: int | cp_model.CpSolverStatus) -> SolveStatus:
    return _STATUS.get(int(status), SolveStatus.UNKNOWN)
