"""Roster reads: summaries, the full contract, CSV, coverage per queue and interval, diffs."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import datetime

from sqlalchemy.orm import Session

from api.db.models import RosterRow, Solve, Team
from api.errors import NotFound
from api.pagination import Page, PageWindow
from api.rosters.repository import RosterRepository
from api.rosters.schemas import (
    CoverageCell,
    CoverageReport,
    MovedShift,
    QueueCoverage,
    RosterDiff,
    RosterOut,
    RosterSummary,
)
from scheduler.roster import Roster, ShiftOut
from scheduler.timeutil import utc_iso


def _summary(row: RosterRow, roster: Roster) -> RosterSummary:
    return RosterSummary(
        version=row.version, solve_id=row.solve_id, what_if=row.what_if, status=row.status,
        objective=row.objective, best_bound=row.best_bound, gap=row.gap,
        shifts=len(roster.shifts), kpis=roster.kpis, created_at=row.created_at,
    )


def _load(session: Session, team: Team, version: int) -> tuple[RosterRow, Roster]:
    row = RosterRepository(session).get(team.id, version)
    if row is None:
        raise NotFound(f"roster version {version} not found")
    return row, Roster.model_validate(row.data)


def page(session: Session, team: Team, what_if: bool | None, window: PageWindow) -> Page[RosterSummary]:
    rows, total = RosterRepository(session).page(team.id, what_if, window.limit, window.offset)
    items = [_summary(r, Roster.model_validate(r.data)) for r in rows]
    return Page[RosterSummary].of(items, total, window)


def get(session: Session, team: Team, version: int) -> RosterOut:
    row, roster = _load(session, team, version)
    return RosterOut(**_summary(row, roster).model_dump(), roster=roster)


CSV_COLUMNS = (
    "agent_id", "site", "timezone", "local_date", "start", "end", "local_start", "local_end",
    "paid_hours", "shift_type", "queues", "breaks",
)


def shifts_csv(session: Session, team: Team, version: int) -> str:
    """One line per shift; ``queues`` and ``breaks`` as ``name start–end`` lists."""
    _, roster = _load(session, team, version)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for shift in roster.shifts:
        writer.writerow([
            shift.agent_id, shift.site, shift.timezone, shift.local_date, utc_iso(shift.start),
            utc_iso(shift.end), shift.local_start.isoformat(), shift.local_end.isoformat(),
            shift.paid_hours, shift.shift_type or "",
            ";".join(f"{a.queue} {utc_iso(a.start)}–{utc_iso(a.end)}" for a in shift.allocation),
            ";".join(f"{b.name} {utc_iso(b.start)}–{utc_iso(b.end)}" for b in shift.breaks),
        ])
    return out.getvalue()


def coverage(
    session: Session, team: Team, version: int, queue: str | None,
    start: datetime | None, end: datetime | None,
) -> CoverageReport:
    row_, roster = _load(session, team, version)
    solve = session.get_one(Solve, row_.solve_id)
    hours = int(solve.scenario["horizon"].get("interval_minutes", 30)) / 60
    by_queue: dict[str, list[CoverageCell]] = defaultdict(list)
    for row in roster.coverage:
        if queue is not None and row.queue != queue:
            continue
        if (start is not None and row.interval_start < start) or (end is not None and row.interval_start >= end):
            continue
        by_queue[row.queue].append(
            CoverageCell(queue=row.queue, interval_start=row.interval_start, required=row.required,
                         scheduled=row.scheduled, gap=round(row.scheduled - row.required, 6))
        )
    if queue is not None and queue not in by_queue and not any(r.queue == queue for r in roster.coverage):
        raise NotFound(f"queue '{queue}' is not in roster version {version}")
    queues = []
    for name, cells in sorted(by_queue.items()):
        queues.append(
            QueueCoverage(
                queue=name,
                required_agent_hours=round(sum(c.required for c in cells) * hours, 3),
                scheduled_agent_hours=round(sum(c.scheduled for c in cells) * hours, 3),
                under_staffed_hours=round(sum(max(0.0, -c.gap) for c in cells) * hours, 3),
                over_staffed_hours=round(sum(max(0.0, c.gap) for c in cells) * hours, 3),
                intervals=cells,
            )
        )
    return CoverageReport(version=version, queues=queues)


def diff(session: Session, team: Team, version: int, base: int) -> RosterDiff:
    """Shifts keyed by (agent, local date): only in ``version`` → added, only in ``base`` →
    removed, in both with other times or allocation → moved."""
    _, new = _load(session, team, version)
    _, old = _load(session, team, base)

    def keyed(roster: Roster) -> dict[tuple[str, str], ShiftOut]:
        return {(s.agent_id, s.local_date): s for s in roster.shifts}

    before, after = keyed(old), keyed(new)
    added = [after[k] for k in sorted(after.keys() - before.keys())]
    removed = [before[k] for k in sorted(before.keys() - after.keys())]
    moved: list[MovedShift] = []
    unchanged = 0
    for k in sorted(after.keys() & before.keys()):
        a, b = before[k], after[k]
        if (a.start, a.end, a.allocation, a.breaks) == (b.start, b.end, b.allocation, b.breaks):
            unchanged += 1
        else:
            moved.append(MovedShift(agent_id=k[0], local_date=k[1], before=a, after=b))
    return RosterDiff(base=base, version=version, added=added, removed=removed, moved=moved, unchanged=unchanged)
