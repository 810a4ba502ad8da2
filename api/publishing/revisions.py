"""Published shifts as revisions of stable identities, so calendars see moves, not churn.

A shift's identity is (agent, local work date, ordinal among that agent's shifts of the date):
re-solving the same week keeps identities, so a calendar updates the event it already has. Its
content is everything an agent sees; a changed content bumps the revision's sequence.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scheduler.roster import Roster, ShiftOut
from scheduler.timeutil import utc_iso

Identity = tuple[str, str, int]  # agent, local date, ordinal


@dataclass(frozen=True)
class ShiftRevision:
    identity: Identity
    site: str
    queues: tuple[str, ...]
    start: datetime
    end: datetime
    content: dict[str, Any]

    @property
    def content_hash(self) -> str:
        text = json.dumps(self.content, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def revisions_of(roster: Roster) -> dict[Identity, ShiftRevision]:
    """Every shift of ``roster`` under its identity."""
    by_day: dict[tuple[str, str], list[ShiftOut]] = defaultdict(list)
    for shift in roster.shifts:
        by_day[(shift.agent_id, shift.local_date)].append(shift)
    revisions: dict[Identity, ShiftRevision] = {}
    for (agent, day), shifts in by_day.items():
        for ordinal, shift in enumerate(sorted(shifts, key=lambda s: s.start)):
            identity = (agent, day, ordinal)
            revisions[identity] = _revision(identity, shift)
    return revisions


def _revision(identity: Identity, shift: ShiftOut) -> ShiftRevision:
    queues = tuple(sorted({span.queue for span in shift.allocation}))
    content = {
        "start": utc_iso(shift.start),
        "end": utc_iso(shift.end),
        "local_start": shift.local_start.isoformat(),
        "local_end": shift.local_end.isoformat(),
        "timezone": shift.timezone,
        "site": shift.site,
        "shift_type": shift.shift_type,
        "queues": list(queues),
        "breaks": [
            {"name": b.name, "start": utc_iso(b.start), "end": utc_iso(b.end)}
            for b in shift.breaks
        ],
    }
    return ShiftRevision(identity, shift.site, queues, shift.start, shift.end, content)
