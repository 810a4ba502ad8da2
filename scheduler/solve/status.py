"""The one place raw CP-SAT statuses become Sunshift's."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.roster import SolveStatus

_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.MODEL_INVALID: SolveStatus.UNKNOWN,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
}


def from_cpsat(status: int) -> SolveStatus:
    return _STATUS.get(status, SolveStatus.UNKNOWN)  # type: ignore[call-overload]
