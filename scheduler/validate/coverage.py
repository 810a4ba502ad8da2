"""Coverage rows: per queue and interval, required agents and agents scheduled by the roster.

``scheduled`` is allocated agent-minutes ÷ interval minutes, so an agent on a 30-minute break
in a 60-minute interval counts 0.5 and a multi-skilled agent is split across queues, never
counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from scheduler.domain import Scenario
from scheduler.model.problem import Problem
from scheduler.roster import CoverageRow, ShiftOut
from scheduler.validate.grid import Grid, allocated_minutes, grid_of


def coverage_rows(grid: Grid, shifts: Sequence[ShiftOut]) -> list[CoverageRow]:
    """Coverage of ``shifts`` on ``grid``: one row per queue (scenario order) and interval."""
    horizon = grid.horizon
    scheduled = allocated_minutes(grid, shifts) / horizon.interval_minutes
    return [
        CoverageRow(
            queue=queue.id,
            interval_start=horizon.interval_start(i),
            required=float(grid.required[q, i]),
            scheduled=float(scheduled[q, i]),
        )
        for q, queue in enumerate(grid.queues)
        for i in range(horizon.interval_count)
    ]


def compute_coverage(
    scenario: Scenario, shifts: Sequence[ShiftOut], *, problem: Problem | None = None
) -> list[CoverageRow]:
    """The coverage rows of a roster: the single source of truth the solver and reports use.

    Parameters
    ----------
    scenario:
        The validated scenario the shifts were planned for.
    shifts:
        The roster's shifts; only their allocation spans are read.
    problem:
        The compiled scenario, when the caller already has it (only its slot and requirements
        are read); compiled here otherwise.

    Returns
    -------
    list[CoverageRow]
        One row per queue (in scenario order) and interval (in time order).
    """
    return coverage_rows(grid_of(scenario, problem), shifts)
