"""Each agent's wall clock over the horizon, precomputed per slot (DST-exact, vectorised).

Offsets are sampled at every slot boundary, so a transition at 02:00 or at Lord Howe's half hour
is seen exactly; agents sharing a zone share one computation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import numpy.typing as npt

from scheduler.domain.horizon import Horizon
from scheduler.timeutil import zone

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class LocalClock:
    """For slot boundary ``t`` (0 … n_slots): local day index, minute of day and weekday.

    ``day[t]`` counts local dates from the horizon's start date (−1 west of UTC on the first
    evening); ``weekday[t]`` is 0 = Monday.
    """

    timezone: str
    day: IntArray
    minute: IntArray
    weekday: IntArray
    offset_minutes: IntArray


def local_clock(horizon: Horizon, timezone: str, slot_minutes: int) -> LocalClock:
    """Wall clock of ``timezone`` at every slot boundary of ``horizon``."""
    tz = zone(timezone)
    n_slots = horizon.minutes // slot_minutes
    start = horizon.start_utc
    step = timedelta(minutes=slot_minutes)
    offsets = np.fromiter(
        (
            _offset_minutes((start + t * step).astimezone(tz).utcoffset())
            for t in range(n_slots + 1)
        ),
        dtype=np.int64,
        count=n_slots + 1,
    )
    local_minutes = np.arange(n_slots + 1, dtype=np.int64) * slot_minutes + offsets
    day = np.floor_divide(local_minutes, 1440)
    minute = local_minutes - day * 1440
    weekday = (day + horizon.start.weekday()) % 7
    return LocalClock(timezone, day, minute, weekday, offsets)


def _offset_minutes(offset: timedelta | None) -> int:
    if offset is None:  # pragma: no cover - ZoneInfo always answers for aware datetimes
        raise ValueError("time zone returned no UTC offset")
    return int(offset.total_seconds() // 60)
