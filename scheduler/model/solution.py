"""A roster in candidate form: the incumbent that heuristics, LNS and the model exchange."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


@dataclass
class Solution:
    """``shifts[(agent, day)]`` is a candidate index; ``breaks[candidate]`` holds one start slot per
    break of the candidate (in ``Candidate.breaks`` order); ``allocation[group, queue, interval]``
    is agent-slots a multi-skill group gives each queue (single-skill groups need none)."""

    shifts: dict[tuple[int, int], int]
    breaks: dict[int, tuple[int, ...]]
    allocation: IntArray
    objective: float | None = None
    meta: dict[str, float] = field(default_factory=dict)

    def chosen(self) -> list[int]:
        return sorted(self.shifts.values())

    def copy(self) -> Solution:
        return Solution(
            dict(self.shifts),
            dict(self.breaks),
            self.allocation.copy(),
            self.objective,
            dict(self.meta),
        )
