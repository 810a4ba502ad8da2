"""Shortest runs of working days and of days off, judged only between in-horizon boundaries.

A run touching the first or last local day of the horizon is exempt: it may continue before or
after the horizon, which the roster does not show. Only local days ``0 … days − 1`` are read; a
shift on the local day before or after the horizon neither starts nor extends a run.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from scheduler.roster import Violation
from scheduler.validate.facts import RosterView

MIN_CONSECUTIVE_DAYS = "min_consecutive_days"
MIN_CONSECUTIVE_DAYS_OFF = "min_consecutive_days_off"


def interior_runs(worked: set[int], days: int, *, working: bool) -> Iterator[tuple[int, int]]:
    """First and last day of each maximal run of working (or off) days among ``0 … days − 1``
    that touches neither end.

    >>> list(interior_runs({0, 2, 3, 6}, 7, working=True))
    [(2, 3)]
    >>> list(interior_runs({0, 2, 3, 6}, 7, working=False))
    [(1, 1), (4, 5)]
    >>> list(interior_runs(set(), 7, working=False))
    []
    """
    first = 0
    for day in range(1, days + 1):
        if day == days or (day in worked) != (first in worked):
            if (first in worked) == working and first > 0 and day < days:
                yield first, day - 1
            first = day


def _short_runs(view: RosterView, *, working: bool) -> list[Violation]:
    """Bounded runs of working days (or days off) shorter than the contract's minimum, reported
    at each short run's first day."""
    horizon = view.scenario.horizon
    key, what = (
        (MIN_CONSECUTIVE_DAYS, "working days")
        if working
        else (MIN_CONSECUTIVE_DAYS_OFF, "days off")
    )
    found: list[Violation] = []
    for agent_id, facts in view.by_agent().items():
        contract = facts[0].contract
        shortest = contract.min_consecutive_days if working else contract.min_consecutive_days_off
        if shortest is None:
            continue
        worked = {f.day for f in facts if 0 <= f.day < horizon.days}
        for first, last in interior_runs(worked, horizon.days, working=working):
            length = last - first + 1
            if length >= shortest:
                continue
            start, end = (horizon.start + timedelta(days=d) for d in (first, last))
            found.append(
                Violation(
                    rule=key,
                    label=f"at least {shortest} consecutive {what}",
                    agent_id=agent_id,
                    when=start.isoformat(),
                    detail=f"only {length} consecutive {what}, {start.isoformat()} to "
                    f"{end.isoformat()}",
                )
            )
    return found


def check_min_consecutive_days(view: RosterView) -> list[Violation]:
    """Runs of working days bounded by days off inside the horizon last at least the contract's
    ``min_consecutive_days``."""
    return _short_runs(view, working=True)


def check_min_consecutive_days_off(view: RosterView) -> list[Violation]:
    """Runs of days off bounded by working days inside the horizon last at least the contract's
    ``min_consecutive_days_off``."""
    return _short_runs(view, working=False)
