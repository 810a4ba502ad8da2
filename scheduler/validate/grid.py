"""The time grid and demand a roster is judged against, and the work its allocation delivers.

Slot length, required agents and required agent-slots come from :func:`compile_problem` so the
validator measures with exactly the solver's ruler; everything else is read from the roster.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from scheduler.domain import Horizon, Queue, Scenario
from scheduler.model.problem import Problem, compile_problem
from scheduler.roster import ShiftOut

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Grid:
    """Demand on the solver's grid.

    ``required[q, i]`` is agents and ``required_units[q, i]`` agent-slots per queue and interval.
    """

    horizon: Horizon
    slot: int
    slots_per_interval: int
    queues: tuple[Queue, ...]
    required: FloatArray
    required_units: IntArray

    @property
    def interval_minutes(self) -> int:
        return self.horizon.interval_minutes

    @property
    def queue_index(self) -> dict[str, int]:
        return {queue.id: q for q, queue in enumerate(self.queues)}


def grid_of(scenario: Scenario, problem: Problem | None = None) -> Grid:
    """The grid of ``scenario``: only the slot and requirements of the compiled problem are used,
    never its candidate shifts, so a roster is judged on its own terms.

    Pass ``problem`` when the caller has already compiled ``scenario`` (compiling is the costly
    part).

    Raises
    ------
    ValueError
        When ``problem`` was compiled from a different scenario.
    """
    if problem is None:
        problem = compile_problem(scenario)
    elif problem.scenario is not scenario and problem.scenario != scenario:
        raise ValueError(f"the compiled problem given is not scenario '{scenario.name}'")
    return Grid(
        horizon=scenario.horizon,
        slot=problem.slot,
        slots_per_interval=problem.slots_per_interval,
        queues=tuple(problem.queues),
        required=problem.required,
        required_units=problem.required_units,
    )


def is_aware(moment: datetime) -> bool:
    """Whether ``moment`` carries a UTC offset (a naive time cannot be placed on the grid)."""
    return moment.tzinfo is not None and moment.utcoffset() is not None


def shift_is_aware(shift: ShiftOut) -> bool:
    """Whether every instant of ``shift`` (its bounds, allocation and breaks) is aware."""
    spans = [*shift.allocation, *shift.breaks]
    moments = [shift.start, shift.end, *(s.start for s in spans), *(s.end for s in spans)]
    return all(is_aware(moment) for moment in moments)


def allocated_minutes(grid: Grid, shifts: Iterable[ShiftOut]) -> FloatArray:
    """Agent-minutes allocated to each ``[queue, interval]``, spans split at interval boundaries.

    Spans of unknown queues and time outside the horizon deliver nothing; shifts with naive
    times are skipped (they are reported by the ``shift_fields`` rule instead).
    """
    horizon = grid.horizon
    length = horizon.interval_minutes
    out = np.zeros((len(grid.queues), horizon.interval_count))
    index = grid.queue_index
    for shift in shifts:
        if not shift_is_aware(shift):
            continue
        for span in shift.allocation:
            q = index.get(span.queue)
            if q is None:
                continue
            first = max((span.start - horizon.start_utc) / _MINUTE, 0.0)
            last = min((span.end - horizon.start_utc) / _MINUTE, float(horizon.minutes))
            while first < last:
                i = int(first // length)
                boundary = float((i + 1) * length)
                out[q, i] += min(last, boundary) - first
                first = boundary
    return out
