"""One feed as RFC 5545 text, byte for byte the same for the same published state.

Times are UTC (``…Z``): a TZID form cannot name a start inside the repeated hour of a fall-back
night, while UTC is exact and every client shows it in the viewer's zone. The agent's zone goes
in ``X-WR-TIMEZONE`` and, with local wall times, in each description. There is no METHOD: this is
a subscription, not a scheduling message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODID = "-//Sunshift//Shift feeds//EN"
REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class FeedEvent:
    """One published shift revision, as a feed shows it."""

    team: str
    agent: str
    agent_name: str
    local_date: str
    ordinal: int
    start: datetime
    end: datetime
    sequence: int
    revised_at: datetime
    cancelled: bool
    content: dict[str, Any]

    @property
    def uid(self) -> str:
        """Stable across re-publishes: derived from the shift's identity, never random."""
        identity = f"{self.team}/{self.agent}/{self.local_date}/{self.ordinal}"
        return f"{hashlib.sha256(identity.encode()).hexdigest()[:32]}@sunshift"


def render(name: str, timezone: str, events: Sequence[FeedEvent], *, with_agent: bool) -> bytes:
    """The calendar of ``events`` named ``name``; ``with_agent`` puts the agent in each title."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for event in sorted(events, key=lambda e: (e.start, e.uid)):
        calendar.add_component(_event(event, with_agent=with_agent))
    body: bytes = calendar.to_ical()
    return body


def _event(item: FeedEvent, *, with_agent: bool) -> Event:
    content = item.content
    queues = ", ".join(content.get("queues", [])) or "no queue"
    title = f"Shift: {queues}"
    if with_agent:
        title = f"{item.agent_name or item.agent} · {title}"
    if item.cancelled:
        title = f"Cancelled · {title}"
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", item.revised_at)
    event.add("last-modified", item.revised_at)
    event.add("sequence", item.sequence)
    event.add("dtstart", item.start)
    event.add("dtend", item.end)
    event.add("summary", title)
    event.add("description", _description(item))
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _description(item: FeedEvent) -> str:
    content = item.content
    zone = ZoneInfo(content["timezone"])  # the real zone: offsets change within a night
    start = datetime.fromisoformat(content["local_start"])
    end = datetime.fromisoformat(content["local_end"])
    lines = [
        f"Local time: {start:%a %d %b %H:%M} – {end:%H:%M} ({content['timezone']}, "
        f"UTC{start:%z}{'' if start.utcoffset() == end.utcoffset() else f' → UTC{end:%z}'})",
        f"Queues: {', '.join(content.get('queues', [])) or '—'}",
        f"Site: {content.get('site', '')}",
    ]
    if content.get("shift_type"):
        lines.append(f"Shift type: {content['shift_type']}")
    for pause in content.get("breaks", []):
        pause_start = datetime.fromisoformat(pause["start"].replace("Z", "+00:00"))
        pause_end = datetime.fromisoformat(pause["end"].replace("Z", "+00:00"))
        zone_start, zone_end = pause_start.astimezone(zone), pause_end.astimezone(zone)
        lines.append(f"{pause['name'].capitalize()}: {zone_start:%H:%M} – {zone_end:%H:%M}")
    return "\n".join(lines)
