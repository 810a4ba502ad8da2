"""How well one queue is served, in agent-slots: the objective's staffing terms and the KPIs.

Live queues (phone, chat) are judged interval by interval. Email is judged on cumulative work:
``A[i]`` arrived and ``D[i]`` done by the end of interval ``i``; work must be done within
``window`` intervals of arriving, so ``max(0, A[i − window] − D[i])`` is overdue at ``i``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scheduler.domain import Queue

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Service:
    """Agent-slot totals of one queue over the horizon.

    ``under_weighted`` and ``over`` feed the objective (live under-staffing already carries its
    1/2/4 segment weights); ``short``, ``excess``, ``met`` and ``due`` feed the KPIs.
    """

    under_weighted: float
    over: float
    short: float
    excess: float
    met: float
    due: float


def live_service(covered: FloatArray, required: IntArray, slots_per_interval: int) -> Service:
    """Interval-by-interval service; a deficit costs 1 per agent-slot for its first interval's
    worth, 2 for the second and 4 beyond (convex, so a gap is spread rather than piled up).

    >>> s = live_service(np.array([2.0, 0.0, 3.0]), np.array([6, 1, 2]), 2)
    >>> s.under_weighted, s.over, s.short, s.met, s.due
    (7.0, 1.0, 5.0, 4.0, 9.0)
    """
    deficit = np.maximum(0.0, required - covered)
    first = np.minimum(deficit, slots_per_interval)
    second = np.minimum(deficit - first, slots_per_interval)
    third = deficit - first - second
    over = float(np.maximum(0.0, covered - required).sum())
    return Service(
        under_weighted=float((first + 2 * second + 4 * third).sum()),
        over=over,
        short=float(deficit.sum()),
        excess=over,
        met=float(np.minimum(covered, required).sum()),
        due=float(required.sum()),
    )


def email_service(done: FloatArray, arriving: IntArray, window: int) -> Service:
    """Backlog service of an email queue with a response window of ``window`` intervals.

    The objective sums the overdue backlog over time and the work done before it arrived. The
    KPIs count late work as the rises of the overdue backlog — the least work that must end up
    late whatever order the done work is taken in — so on-time work is the work due inside the
    horizon minus it, and excess is the rises of the ahead-of-arrival work.

    >>> s = email_service(np.array([0.0, 0.0, 2.0, 2.0, 2.0]), np.array([4, 2, 0, 0, 0]), 1)
    >>> s.under_weighted, s.over, s.short, s.met, s.due
    (10.0, 0.0, 4.0, 2.0, 6.0)
    """
    arrived = np.cumsum(arriving, dtype=np.float64)
    delivered = np.cumsum(done)
    n = len(arrived)
    overdue = np.zeros(n)
    if window < n:
        overdue[window:] = np.maximum(0.0, arrived[: n - window] - delivered[window:])
    early = np.maximum(0.0, delivered - arrived)
    late = float(_rises(overdue))
    due = float(arrived[n - 1 - window]) if window < n else 0.0
    return Service(
        under_weighted=float(overdue.sum()),
        over=float(early.sum()),
        short=late,
        excess=float(_rises(early)),
        met=due - late,
        due=due,
    )


def _rises(series: FloatArray) -> float:
    """Sum of the positive steps of ``series``, starting from 0.

    >>> _rises(np.array([0.0, 4.0, 4.0, 2.0, 3.0]))
    5.0
    """
    steps = np.diff(series, prepend=0.0)
    return float(np.maximum(0.0, steps).sum())


def response_window_intervals(queue: Queue, interval_minutes: int) -> int:
    """Whole intervals inside an email queue's response window.

    >>> from scheduler.domain import Queue
    >>> response_window_intervals(Queue(id="m", language="en", channel="email",
    ...                                 response_window_hours=2.5), 60)
    2
    """
    return math.floor(queue.response_window_hours * 60 / interval_minutes)


def queue_service(
    queue: Queue,
    covered: FloatArray,
    required: IntArray,
    slots_per_interval: int,
    interval_minutes: int,
) -> Service:
    """Service of ``queue`` given agent-slots ``covered`` and ``required`` per interval."""
    if queue.deferred:
        return email_service(covered, required, response_window_intervals(queue, interval_minutes))
    return live_service(covered, required, slots_per_interval)
