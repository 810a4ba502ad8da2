"""Roster summaries for people and machines: coverage per queue and UTC day, hours per site.

Pure functions of a :class:`~scheduler.roster.Roster` (no scenario needed), so ``sunshift report``
can summarise any roster file. Agent-hours are coverage rows × interval length; the interval
length is read off the coverage grid itself.

Under-staffed hours here are the interval-level shortfall ``max(0, required − scheduled)`` of live
queues and email alike; the roster's KPIs hold the objective's own measure (slot-level, email
judged on late work), which is what ``kpis.under_staffed_hours`` reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from pydantic import BaseModel, ConfigDict

from scheduler.roster import CoverageRow, Kpis, Roster, ShiftOut, utc

#: Interval length assumed when a roster's coverage has a single interval start (or none).
DEFAULT_INTERVAL_MINUTES = 30


class CoverageSummary(BaseModel):
    """Required against scheduled agent-hours for one queue, over one UTC day or the horizon.

    ``day`` is None for a whole-horizon total; ``coverage`` is required agent-hours met ÷ required
    agent-hours (1.0 when nothing is required), so over-staffing one interval cannot hide a gap
    in another.
    """

    model_config = ConfigDict(frozen=True)

    queue: str
    day: date | None = None
    required_hours: float
    scheduled_hours: float
    met_hours: float
    under_staffed_hours: float
    coverage: float


class SiteHours(BaseModel):
    """Paid hours worked at one site."""

    model_config = ConfigDict(frozen=True)

    site: str
    agents: int
    shifts: int
    paid_hours: float


class RosterReport(BaseModel):
    """Everything ``sunshift report`` shows, as one JSON document."""

    status: str
    objective: float | None
    best_bound: float | None
    gap: float | None
    scenario: str
    interval_minutes: int
    queues: list[CoverageSummary]
    queue_days: list[CoverageSummary]
    sites: list[SiteHours]
    kpis: dict[str, Any] | None


def interval_minutes_of(rows: Sequence[CoverageRow]) -> int:
    """The coverage grid's interval length: the smallest step between interval starts.

    >>> from datetime import UTC, datetime
    >>> t = datetime(2026, 3, 23, tzinfo=UTC)
    >>> rows = [CoverageRow(queue="en", interval_start=t + timedelta(minutes=m),
    ...                     required=1, scheduled=1) for m in (0, 30, 60)]
    >>> interval_minutes_of(rows)
    30
    """
    starts = sorted({row.interval_start for row in rows})
    steps = [later - earlier for earlier, later in pairwise(starts)]
    if not steps:
        return DEFAULT_INTERVAL_MINUTES
    return int(min(steps) // timedelta(minutes=1))


def _summarise(
    queue: str, day: date | None, rows: Iterable[CoverageRow], hours: float
) -> CoverageSummary:
    required = scheduled = met = 0.0
    for row in rows:
        required += row.required * hours
        scheduled += row.scheduled * hours
        met += min(row.required, row.scheduled) * hours
    return CoverageSummary(
        queue=queue,
        day=day,
        required_hours=round(required, 6),
        scheduled_hours=round(scheduled, 6),
        met_hours=round(met, 6),
        under_staffed_hours=round(required - met, 6),
        coverage=round(met / required, 6) if required > 0 else 1.0,
    )


def coverage_by_queue_day(roster: Roster) -> list[CoverageSummary]:
    """One summary per queue (in roster order) and UTC day (in time order)."""
    hours = interval_minutes_of(roster.coverage) / 60
    groups: dict[tuple[str, date], list[CoverageRow]] = defaultdict(list)
    for row in roster.coverage:
        groups[row.queue, utc(row.interval_start).date()].append(row)
    order = {queue: i for i, queue in enumerate(_queues(roster.coverage))}
    keys = sorted(groups, key=lambda key: (order[key[0]], key[1]))
    return [_summarise(queue, day, groups[queue, day], hours) for queue, day in keys]


def coverage_by_queue(roster: Roster) -> list[CoverageSummary]:
    """One whole-horizon summary per queue, in roster order."""
    hours = interval_minutes_of(roster.coverage) / 60
    groups: dict[str, list[CoverageRow]] = defaultdict(list)
    for row in roster.coverage:
        groups[row.queue].append(row)
    return [_summarise(queue, None, groups[queue], hours) for queue in _queues(roster.coverage)]


def hours_by_site(shifts: Sequence[ShiftOut]) -> list[SiteHours]:
    """Agents, shifts and paid hours per site, sites in alphabetical order.

    >>> hours_by_site([])
    []
    """
    agents: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    paid: dict[str, float] = defaultdict(float)
    for shift in shifts:
        agents[shift.site].add(shift.agent_id)
        counts[shift.site] += 1
        paid[shift.site] += shift.paid_hours
    return [
        SiteHours(
            site=site,
            agents=len(agents[site]),
            shifts=counts[site],
            paid_hours=round(paid[site], 6),
        )
        for site in sorted(counts)
    ]


def kpi_summary(kpis: Kpis | None) -> dict[str, Any] | None:
    """The roster's KPIs without the per-agent rows (too long for a summary)."""
    return None if kpis is None else kpis.model_dump(mode="json", exclude={"hours_per_agent"})


def roster_report(roster: Roster) -> RosterReport:
    """The full summary ``sunshift report`` prints (and emits with ``--json``)."""
    return RosterReport(
        status=str(roster.status),
        objective=roster.objective,
        best_bound=roster.best_bound,
        gap=roster.gap,
        scenario=roster.scenario,
        interval_minutes=interval_minutes_of(roster.coverage),
        queues=coverage_by_queue(roster),
        queue_days=coverage_by_queue_day(roster),
        sites=hours_by_site(roster.shifts),
        kpis=kpi_summary(roster.kpis),
    )


def _queues(rows: Iterable[CoverageRow]) -> list[str]:
    return list(dict.fromkeys(row.queue for row in rows))
