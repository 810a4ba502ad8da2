"""Progress reports a solve emits as it improves (for progress bars, job records, benchmarks)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    elapsed: float
    objective: float
    bound: float | None
    phase: str
    under_staffed_hours: float | None = None

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


ProgressCallback = Callable[[Progress], None]

#: Relative distance from a proven lower bound within which a roster counts as optimal.
PROVEN_GAP = 1e-9


def meets_bound(value: float, bound: float) -> bool:
    """Whether a roster of objective ``value`` is proven optimal by ``bound`` (up to round-off).

    >>> meets_bound(1055.0, 1055.0 - 1e-7), meets_bound(1056.0, 1055.0)
    (True, False)
    """
    return value <= bound + PROVEN_GAP * max(1.0, abs(bound))


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """``(objective − bound) / |objective|``; 0 when both are 0, None when either is unknown.

    >>> relative_gap(110.0, 100.0)
    0.09090909090909091
    >>> relative_gap(0.0, 0.0)
    0.0
    """
    if objective is None or bound is None:
        return None
    if abs(objective) < 1e-9:
        return 0.0 if abs(bound) < 1e-9 else None
    return max(0.0, (objective - bound) / abs(objective))
