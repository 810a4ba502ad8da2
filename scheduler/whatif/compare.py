"""Solve the base and each variant with the same seed and limits, and compare them.

Variants run side by side when cores allow (CP-SAT releases the GIL, so threads suffice): the
machine's cores are shared out, each solve getting ``workers // parallel`` of them. Every
variant gets the same seed, time limit and deterministic budget, so differences between columns
come from the scenarios, not from luck.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from scheduler.roster import Roster
from scheduler.solve.cpsat import StopToken
from scheduler.solve.facade import solve
from scheduler.solve.params import SolveParams
from scheduler.solve.progress import Progress
from scheduler.whatif.apply import Variant
from scheduler.whatif.metrics import VariantMetrics, measure


@dataclass(frozen=True)
class VariantEvent:
    """A progress report from one variant's solve (``done`` once its roster is measured)."""

    variant: str
    elapsed: float
    objective: float | None
    under_staffed_hours: float | None
    phase: str
    done: bool = False


VariantProgress = Callable[[VariantEvent], None]


class Delta(BaseModel):
    """A variant minus the base, for the figures a planner scans first."""

    model_config = ConfigDict(frozen=True)

    coverage: float
    under_staffed_hours: float
    labour_cost: float
    unsocial_hours: float
    paid_hours: float
    agents_used: int
    under_staffed_hours_by_queue: dict[str, float]
    service_level_by_queue: dict[str, float | None]
    site_hours: dict[str, float]


class Comparison(BaseModel):
    """The base and every variant, measured from their rosters, with deltas against the base."""

    model_config = ConfigDict(frozen=True)

    seed: int
    time_limit: float | None
    deterministic_time: float | None
    variants: list[VariantMetrics]
    deltas: dict[str, Delta]

    @property
    def base(self) -> VariantMetrics:
        return self.variants[0]


@dataclass(frozen=True)
class Solved:
    variant: Variant
    roster: Roster
    metrics: VariantMetrics


def solve_variants(
    variants: Sequence[Variant],
    params: SolveParams,
    *,
    parallel: int | None = None,
    progress: VariantProgress | None = None,
    stop: StopToken | None = None,
) -> list[Solved]:
    """Solve every variant (in order of the result) with the same params, sharing the cores."""
    cores = params.workers or os.cpu_count() or 1
    side_by_side = max(1, min(parallel or cores, len(variants), cores))
    each = SolveParams.model_validate(
        {**params.model_dump(), "workers": max(1, cores // side_by_side)}
    )
    lock = threading.Lock()

    def report(event: VariantEvent) -> None:
        if progress is not None:
            with lock:
                progress(event)

    def run(variant: Variant) -> Solved:
        started = time.monotonic()

        def on_progress(update: Progress) -> None:
            report(
                VariantEvent(
                    variant.name,
                    update.elapsed,
                    update.objective,
                    update.under_staffed_hours,
                    update.phase,
                )
            )

        result = solve(variant.scenario, each, progress=on_progress, stop=stop)
        seconds = round(time.monotonic() - started, 2)
        metrics = measure(variant, result.roster, seconds)
        report(
            VariantEvent(
                variant.name,
                seconds,
                result.objective,
                metrics.under_staffed_hours,
                str(result.status),
                done=True,
            )
        )
        return Solved(variant, result.roster, metrics)

    with ThreadPoolExecutor(max_workers=side_by_side, thread_name_prefix="whatif") as pool:
        return list(pool.map(run, variants))


def compare(solved: Sequence[Solved], params: SolveParams) -> Comparison:
    """The comparison table's data: the first entry is the base."""
    metrics = [s.metrics for s in solved]
    base = metrics[0]
    return Comparison(
        seed=params.seed,
        time_limit=params.time_limit,
        deterministic_time=params.deterministic_time,
        variants=metrics,
        deltas={m.name: delta(base, m) for m in metrics[1:]},
    )


def delta(base: VariantMetrics, other: VariantMetrics) -> Delta:
    queues = [q.queue for q in other.queues]
    base_queues = {q.queue: q for q in base.queues}

    def queue_delta(queue: str, field: str) -> float | None:
        mine: float | None = getattr(other.queue(queue), field)
        theirs: float | None = getattr(base_queues[queue], field) if queue in base_queues else None
        if mine is None or theirs is None:
            return None
        return round(mine - theirs, 4)

    sites = sorted(set(base.site_hours) | set(other.site_hours))
    return Delta(
        coverage=round(other.coverage - base.coverage, 4),
        under_staffed_hours=round(other.under_staffed_hours - base.under_staffed_hours, 2),
        labour_cost=round(other.labour_cost - base.labour_cost, 2),
        unsocial_hours=round(other.unsocial_hours - base.unsocial_hours, 2),
        paid_hours=round(other.paid_hours - base.paid_hours, 2),
        agents_used=other.agents_used - base.agents_used,
        under_staffed_hours_by_queue={
            q: queue_delta(q, "under_staffed_hours") or 0.0 for q in queues
        },
        service_level_by_queue={q: queue_delta(q, "service_level") for q in queues},
        site_hours={
            s: round(other.site_hours.get(s, 0.0) - base.site_hours.get(s, 0.0), 2) for s in sites
        },
    )
