"""What a planner compares between variants, computed from each solved roster.

Coverage and under-staffing come from the roster's own coverage rows (what was scheduled),
never re-estimated from the scenario; the projected service level runs Erlang C on the staff
the roster scheduled against the forecast volume, interval by interval, weighted by volume.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime

import numpy as np
from pydantic import BaseModel, ConfigDict

from scheduler.domain import Queue, Scenario
from scheduler.report import coverage_by_queue, hours_by_site, interval_minutes_of
from scheduler.roster import Roster
from scheduler.staffing import service_level
from scheduler.whatif.apply import Variant


class QueueMetrics(BaseModel):
    model_config = ConfigDict(frozen=True)

    queue: str
    channel: str
    required_hours: float
    scheduled_hours: float
    coverage: float
    under_staffed_hours: float
    service_level: float | None
    target_service_level: float | None


class VariantMetrics(BaseModel):
    """One column of the comparison."""

    model_config = ConfigDict(frozen=True)

    name: str
    status: str
    objective: float | None
    coverage: float
    under_staffed_hours: float
    queues: list[QueueMetrics]
    labour_cost: float
    unsocial_hours: float
    paid_hours: float
    site_hours: dict[str, float]
    agents_used: int
    hires_used: dict[str, int]
    hires_chosen: list[str]
    seconds: float | None = None

    def queue(self, queue_id: str) -> QueueMetrics:
        return next(q for q in self.queues if q.queue == queue_id)


def measure(variant: Variant, roster: Roster, seconds: float | None = None) -> VariantMetrics:
    """The comparison figures of ``variant``'s ``roster``."""
    scenario = variant.scenario
    by_queue = {s.queue: s for s in coverage_by_queue(roster)}
    levels = projected_service_levels(scenario, roster)
    queues = []
    for queue in scenario.queues:
        summary = by_queue.get(queue.id)
        queues.append(
            QueueMetrics(
                queue=queue.id,
                channel=queue.channel,
                required_hours=round(summary.required_hours, 2) if summary else 0.0,
                scheduled_hours=round(summary.scheduled_hours, 2) if summary else 0.0,
                coverage=round(summary.coverage, 4) if summary else 1.0,
                under_staffed_hours=round(summary.under_staffed_hours, 2) if summary else 0.0,
                service_level=levels.get(queue.id),
                target_service_level=None if queue.deferred else queue.service_target.service_level,
            )
        )
    required = sum(q.required_hours for q in queues)
    met = sum(q.required_hours * q.coverage for q in queues)
    worked = {s.agent_id for s in roster.shifts}
    kpis = roster.kpis
    return VariantMetrics(
        name=variant.name,
        status=str(roster.status),
        objective=roster.objective,
        coverage=round(met / required, 4) if required > 0 else 1.0,
        under_staffed_hours=round(sum(q.under_staffed_hours for q in queues), 2),
        queues=queues,
        labour_cost=round(kpis.labour_cost, 2) if kpis else 0.0,
        unsocial_hours=round(kpis.unsocial_hours, 2) if kpis else 0.0,
        paid_hours=round(kpis.paid_hours, 2) if kpis else 0.0,
        site_hours={s.site: round(s.paid_hours, 2) for s in hours_by_site(roster.shifts)},
        agents_used=len(worked),
        hires_used={g.label: len(worked & set(g.agent_ids)) for g in variant.hire_groups},
        hires_chosen=sorted(worked & variant.hire_ids),
        seconds=seconds,
    )


def projected_service_levels(scenario: Scenario, roster: Roster) -> dict[str, float]:
    """Volume-weighted Erlang C service level per live forecast queue, on the scheduled staff.

    Scheduled agents are grossed down for shrinkage and rounded down to whole agents (a
    fraction of an agent answers nothing on its own); chat agents are servers ``concurrency``
    times faster, as in the staffing maths that set the requirement.
    """
    interval_seconds = interval_minutes_of(roster.coverage) * 60
    scheduled: dict[tuple[str, datetime], float] = {
        (row.queue, row.interval_start): row.scheduled for row in roster.coverage
    }
    rows: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for row in scenario.demand:
        if row.volume is None or row.aht_seconds is None or row.volume <= 0:
            continue
        agents = scheduled.get((row.queue, row.interval_start), 0.0)
        rows[row.queue].append((row.volume, row.aht_seconds, agents))
    levels: dict[str, float] = {}
    for queue in scenario.queues:
        if queue.deferred or not rows[queue.id]:
            continue
        levels[queue.id] = round(_weighted_level(queue, rows[queue.id], interval_seconds), 4)
    return levels


def _weighted_level(
    queue: Queue, rows: list[tuple[float, float, float]], interval_seconds: float
) -> float:
    volume, aht, agents = (np.array(column, dtype=float) for column in zip(*rows, strict=True))
    concurrency = queue.concurrency
    answering = np.floor(agents * (1 - queue.shrinkage) + 1e-6).astype(int)
    traffic = volume * aht / interval_seconds / concurrency
    levels = service_level(
        answering, traffic, aht / concurrency, queue.service_target.answer_seconds
    )
    total = float(volume.sum())
    return float((levels * volume).sum() / total) if total > 0 and math.isfinite(total) else 1.0
