"""Time helpers: UTC in, UTC out, local rules evaluated in each agent's IANA zone.

Everything the solver sees is an integer number of minutes since the horizon start (UTC). Local
wall-clock questions ("is this 23:00 in Sydney?", "which local date does this shift start on?")
are answered here, with :mod:`zoneinfo`, so DST handling lives in one place.

>>> from datetime import datetime, timezone
>>> to_local(datetime(2026, 3, 29, 1, 0, tzinfo=timezone.utc), "Europe/Copenhagen").isoformat()
'2026-03-29T03:00:00+02:00'
>>> local_wall_exists(datetime(2026, 3, 29, 2, 30), "Europe/Copenhagen")
False
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "UTC",
    "is_valid_timezone",
    "local_wall_exists",
    "minute_of_day",
    "parse_utc",
    "to_local",
    "utc_iso",
    "zone",
]


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """Return the cached :class:`ZoneInfo` for an IANA name (raises ``ZoneInfoNotFoundError``)."""
    return ZoneInfo(name)


def is_valid_timezone(name: str) -> bool:
    """True when ``name`` is a known IANA zone such as ``Australia/Sydney``.

    >>> is_valid_timezone("Asia/Manila"), is_valid_timezone("Mars/Olympus")
    (True, False)
    """
    if not name or name != name.strip():
        return False
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def to_local(moment: datetime, tz: str) -> datetime:
    """Convert an aware datetime to the wall clock of ``tz`` (aware, with the right offset)."""
    if moment.tzinfo is None:
        raise ValueError(
            f"naive datetime {moment.isoformat()} given where an aware one is required"
        )
    return moment.astimezone(zone(tz))


def local_wall_exists(wall: datetime, tz: str) -> bool:
    """False for wall-clock times skipped by a spring-forward transition in ``tz``.

    >>> local_wall_exists(datetime(2026, 10, 4, 2, 30), "Australia/Sydney")
    False
    >>> local_wall_exists(datetime(2026, 10, 4, 3, 30), "Australia/Sydney")
    True
    """
    aware = wall.replace(tzinfo=zone(tz))
    round_trip = aware.astimezone(UTC).astimezone(zone(tz))
    return round_trip.replace(tzinfo=None) == wall.replace(tzinfo=None)


def minute_of_day(moment: time | datetime) -> int:
    """Minutes since local midnight on the wall clock.

    >>> minute_of_day(time(22, 30))
    1350
    """
    return moment.hour * 60 + moment.minute


def parse_utc(text: str) -> datetime:
    """Parse an ISO 8601 instant and return it in UTC; a naive value is refused, not guessed.

    >>> parse_utc("2026-03-29T01:00:00Z").isoformat()
    '2026-03-29T01:00:00+00:00'
    """
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"'{text}' has no UTC offset; write it as ISO 8601 with Z or +HH:MM")
    return moment.astimezone(UTC)


def utc_iso(moment: datetime) -> str:
    """ISO 8601 in UTC ending in ``Z`` (the roster contract's format).

    >>> utc_iso(datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
    '2026-01-05T08:00:00Z'
    """
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def midnight_utc(day: date) -> datetime:
    """00:00 UTC on ``day``."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def minutes_between(start: datetime, end: datetime) -> int:
    """Elapsed whole minutes from ``start`` to ``end`` (both aware)."""
    return int((end - start) // timedelta(minutes=1))
