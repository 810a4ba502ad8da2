"""The roster's coverage rows agree with its shifts and the scenario's demand: one row per queue
and interval, ``scheduled`` from the allocation and ``required`` from the compiled demand."""

from __future__ import annotations

from collections import defaultdict

from scheduler.roster import CoverageRow, Violation
from scheduler.timeutil import utc_iso
from scheduler.validate.coverage import coverage_rows
from scheduler.validate.facts import RosterView
from scheduler.validate.grid import is_aware

COVERAGE_CONSISTENCY = "coverage_consistency"
LABEL = "coverage rows agree with the shifts and the demand"

TOLERANCE = 1e-6


def _violation(row: CoverageRow, detail: str) -> Violation:
    when = utc_iso(row.interval_start) if is_aware(row.interval_start) else None
    return Violation(
        rule=COVERAGE_CONSISTENCY, label=LABEL, queue=row.queue, when=when, detail=detail
    )


def check_coverage_consistency(view: RosterView) -> list[Violation]:
    """Checked only when the roster carries coverage rows (an empty list claims nothing)."""
    if not view.coverage:
        return []
    horizon = view.grid.horizon
    expected = {
        (row.queue, row.interval_start): row for row in coverage_rows(view.grid, view.shifts)
    }
    seen: set[tuple[str, int]] = set()
    found: list[Violation] = []
    for row in view.coverage:
        index = horizon.interval_index(row.interval_start) if is_aware(row.interval_start) else None
        truth = expected.get((row.queue, row.interval_start)) if index is not None else None
        if index is None or truth is None:
            found.append(
                _violation(
                    row,
                    f"no queue '{row.queue}' interval starts at {row.interval_start.isoformat()}",
                )
            )
            continue
        if (row.queue, index) in seen:
            found.append(_violation(row, "the row is given twice"))
            continue
        seen.add((row.queue, index))
        if abs(row.scheduled - truth.scheduled) > TOLERANCE:
            found.append(
                _violation(
                    row, f"scheduled {row.scheduled:g} but the shifts allocate {truth.scheduled:g}"
                )
            )
        if abs(row.required - truth.required) > TOLERANCE:
            found.append(
                _violation(
                    row, f"required {row.required:g} but the demand requires {truth.required:g}"
                )
            )
    missing: dict[str, list[CoverageRow]] = defaultdict(list)
    index_of = {queue.id: q for q, queue in enumerate(view.grid.queues)}
    for (queue, start), truth in expected.items():
        if (queue, horizon.interval_index(start)) not in seen:
            missing[queue].append(truth)
    for queue in sorted(missing, key=index_of.__getitem__):
        rows = missing[queue]
        found.append(
            _violation(
                rows[0],
                f"{len(rows)} of {horizon.interval_count} intervals have no coverage row "
                f"(first missing: {utc_iso(rows[0].interval_start)})",
            )
        )
    return found
