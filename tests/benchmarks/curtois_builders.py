"""Builders for the Curtois benchmark tests: the shipped data, small instance texts, rosters
made from assignments, and stand-in solvers that return them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from scheduler.benchmarks.curtois import CurtoisInstance, parse_instance
from scheduler.benchmarks.curtois_import import day_date, to_scenario
from scheduler.benchmarks.curtois_run import Solver, default_data_dir, instance_path
from scheduler.domain import Scenario
from scheduler.model.problem import compile_problem
from scheduler.roster import Roster, ShiftOut, SolveStatus
from scheduler.solve.facade import SolveResult
from scheduler.solve.params import SolveParams

FIXTURES = Path(__file__).parent / "fixtures"
DATA_DIR = default_data_dir()

#: A complete small instance; tests break one line of it at a time.
TINY = """\
# a comment before anything
SECTION_HORIZON
# All instances start on a Monday
14

SECTION_SHIFTS
# ShiftID, Length in mins, Shifts which cannot follow this shift | separated
E,480,
D,480,E
L,600,E|D

SECTION_STAFF
# ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends
D,E=14|D=14|L=3,4800,960,5,2,2,1
E,E=14|D=14|L=0,4800,960,5,2,2,1

SECTION_DAYS_OFF
# EmployeeID, DayIndexes (start at zero)
D,0,1,2
E,13

SECTION_SHIFT_ON_REQUESTS
# EmployeeID, Day, ShiftID, Weight
D,3,L,2
E,4,D,3

SECTION_SHIFT_OFF_REQUESTS
# EmployeeID, Day, ShiftID, Weight
E,5,E,1

SECTION_COVER
# Day, ShiftID, Requirement, Weight for under, Weight for over
0,E,1,100,1
0,D,1,100,1
3,L,1,100,1
"""


def squash(text: str) -> str:
    """Text without whitespace: rich wraps long error lines wherever it likes."""
    return "".join(text.split())


def curtois_instance(name: str) -> CurtoisInstance:
    """A shipped instance by name (``Instance1``)."""
    path = instance_path(DATA_DIR, name)
    assert path.is_file(), f"{path} is missing: set SUNSHIFT_CURTOIS_DIR to the Curtois data folder"
    return parse_instance(path)


def load_fixture(name: str) -> dict[str, Any]:
    """A named JSON fixture from ``tests/benchmarks/fixtures``."""
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def roster_from_assignments(
    instance: CurtoisInstance,
    assignments: dict[str, list[str]],
    *,
    objective: float | None,
    status: SolveStatus = SolveStatus.OPTIMAL,
) -> Roster:
    """The roster the imported scenario's solver would return for these assignments."""
    lengths = {s.id: s.minutes for s in instance.shifts}
    shifts = []
    for employee_id, row in assignments.items():
        for day, shift_id in enumerate(row):
            if not shift_id:
                continue
            start = datetime.combine(day_date(day), time(0), tzinfo=UTC)
            end = start + timedelta(minutes=lengths[shift_id])
            shifts.append(
                ShiftOut(
                    agent_id=employee_id,
                    start=start,
                    end=end,
                    local_start=start,
                    local_end=end,
                    timezone="UTC",
                    site="remote",
                    local_date=day_date(day).isoformat(),
                    paid_hours=lengths[shift_id] / 60,
                    shift_type=shift_id,
                    allocation=[],
                    breaks=[],
                )
            )
    return Roster(
        status=status,
        objective=objective,
        best_bound=objective,
        scenario=instance.name,
        shifts=shifts,
    )


def stand_in_solver(
    instance: CurtoisInstance,
    assignments: dict[str, list[str]] | None,
    *,
    objective: float | None,
    status: SolveStatus = SolveStatus.OPTIMAL,
) -> Solver:
    """A solver that answers with the given assignments and claims ``objective``."""

    def solver(scenario: Scenario, params: SolveParams) -> SolveResult:
        del params
        roster = roster_from_assignments(
            instance, assignments or {}, objective=objective, status=status
        )
        return SolveResult(
            status=status,
            objective=objective,
            best_bound=objective,
            gap=0.0 if objective is not None else None,
            wall_time=0.25,
            roster=roster,
            solution=None,
            problem=compile_problem(scenario),
        )

    return solver


def imported(name: str) -> tuple[CurtoisInstance, Scenario]:
    instance = curtois_instance(name)
    return instance, to_scenario(instance)
