"""The compact cell grammar of the agents CSV: availability, time off, skills and preferences.

Spreadsheets hold one value per cell, but an agent's week is a list of windows. These small
languages keep a roster file editable by a person while staying exact and reversible: every
``format_*`` output parses back to the same values (checked by property tests).

========================  ==========================================================
column                    example
========================  ==========================================================
``skills``                ``en-chat|da-phone`` (queue ids, ``|``-separated)
``availability``          ``Mon-Fri 08:00-18:00; Sat 10:00-14:00`` (local time; empty
                          = always available; overnight = ``Mon 22:00-24:00; Tue
                          00:00-06:00``; several ranges: ``Mon 08:00-12:00,13:00-17:00``;
                          day lists and wrapping ranges: ``Mon,Wed``, ``Fri-Mon``)
``time_off``              ``2026-03-02..2026-03-06; 2026-03-20 (doctor)`` (local dates,
                          inclusive; optional reason in parentheses)
``preferred_start``       ``08:00-10:00:3`` (start window and weight; weight defaults to 1)
``preferred_days_off``    ``Sat|Sun:2`` (weekdays and weight; weight defaults to 1)
========================  ==========================================================

>>> [(w.weekday, w.start, w.end) for w in parse_availability("Sat-Sun 10:00-14:00")]
[(5, 600, 840), (6, 600, 840)]
>>> format_availability(parse_availability("Mon 08:00-18:00; Tue-Fri 08:00-18:00"))
'Mon-Fri 08:00-18:00'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date

from pydantic import ValidationError

from scheduler.domain import (
    AvailabilityWindow,
    DaysOffPreference,
    StartWindowPreference,
    TimeOff,
)
from scheduler.domain.agents import WEEKDAY_NAMES
from scheduler.domain.clock import format_clock, parse_clock

_DAY_INDEX = {name.lower(): index for index, name in enumerate(WEEKDAY_NAMES)}
_CLOCK = r"\d{1,2}:\d{2}"
_RANGE = re.compile(rf"^({_CLOCK})\s*[-–]\s*({_CLOCK})$")
_START_PREFERENCE = re.compile(rf"^({_CLOCK})\s*[-–]\s*({_CLOCK})(?:\s*:\s*(\d+))?$")
_DAYS_PREFERENCE = re.compile(r"^([^:]+?)(?:\s*:\s*(\d+))?$")
_TIME_OFF = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:\s*\.\.\s*(\d{4}-\d{2}-\d{2}))?(?:\s*\((.*)\))?$", re.DOTALL
)
_DEFAULT_REASON = "time off"


class CellFormatError(ValueError):
    """A cell's text does not follow its column's grammar.

    ``text`` is the offending cell (or part of it) and ``reason`` says what was expected, as a
    predicate (``is not a number``) or, for a rule of the domain model, as its own sentence.
    """

    def __init__(self, text: str, reason: str, *, sentence: bool = False) -> None:
        self.text = text
        self.reason = reason
        self.sentence = sentence
        super().__init__(reason if sentence else f"'{text}' {reason}")

    def for_column(self, column: str) -> str:
        """The message as a CSV problem states it, naming the column.

        >>> CellFormatError("cheap", "is not a number").for_column("cost_per_hour")
        "cost_per_hour 'cheap' is not a number"
        """
        return f"{column}: {self}" if self.sentence else f"{column} {self}"


def _domain_message(error: ValidationError) -> str:
    """The domain validator's own words, without pydantic's "Value error, " prefix."""
    first = error.errors()[0]
    cause = (first.get("ctx") or {}).get("error")
    return str(cause) if isinstance(cause, ValueError) else first["msg"]


def parse_weekday(text: str) -> int:
    """``Mon`` … ``Sun`` (any case) as 0 … 6.

    >>> parse_weekday("sat")
    5
    """
    key = text.strip().lower()
    if key not in _DAY_INDEX:
        raise CellFormatError(
            text.strip(), "is not a weekday (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)"
        )
    return _DAY_INDEX[key]


def _parse_days(text: str) -> list[int]:
    """``Mon-Fri``, ``Mon,Wed`` or ``Fri-Mon`` (a range wraps over Sunday) as weekday numbers."""
    days: list[int] = []
    for part in text.split(","):
        if "-" in part:
            first_text, _, last_text = part.partition("-")
            first, last = parse_weekday(first_text), parse_weekday(last_text)
            span = (last - first) % 7
            days.extend((first + step) % 7 for step in range(span + 1))
        else:
            days.append(parse_weekday(part))
    return days


def _parse_clock(text: str) -> int:
    try:
        return parse_clock(text)
    except ValueError as error:
        raise CellFormatError(text, f"is not a time of day ({error})") from None


def parse_availability(text: str) -> list[AvailabilityWindow]:
    """Parse an availability cell; empty means "always available" and gives no windows.

    Raises
    ------
    CellFormatError
        Naming the clause that is not ``DAYS HH:MM-HH:MM[,HH:MM-HH:MM…]`` or the inverted
        window (a window cannot cross midnight: split it at 24:00).
    """
    windows: list[AvailabilityWindow] = []
    for clause in (part.strip() for part in text.split(";")):
        if not clause:
            continue
        days_text, _, ranges_text = clause.partition(" ")
        if not ranges_text.strip():
            raise CellFormatError(clause, "needs days and times, e.g. 'Mon-Fri 08:00-18:00'")
        days = _parse_days(days_text)
        spans: list[tuple[int, int]] = []
        for range_text in (part.strip() for part in ranges_text.split(",")):
            match = _RANGE.match(range_text)
            if not match:
                raise CellFormatError(range_text, "is not a time range like '08:00-18:00'")
            spans.append((_parse_clock(match.group(1)), _parse_clock(match.group(2))))
        for day in days:
            for start, end in spans:
                try:
                    windows.append(AvailabilityWindow(weekday=day, start=start, end=end))
                except ValidationError as error:
                    raise CellFormatError(clause, _domain_message(error), sentence=True) from None
    return windows


def format_availability(windows: Iterable[AvailabilityWindow]) -> str:
    """Canonical availability text: days with identical windows grouped into ``Mon-Fri`` runs."""
    by_day: dict[int, tuple[tuple[int, int], ...]] = {}
    for day in range(7):
        spans = sorted((w.start, w.end) for w in windows if w.weekday == day)
        if spans:
            by_day[day] = tuple(spans)
    clauses: list[str] = []
    day = 0
    while day < 7:
        if day not in by_day:
            day += 1
            continue
        last = day
        while last + 1 in by_day and by_day[last + 1] == by_day[day]:
            last += 1
        days = WEEKDAY_NAMES[day] if last == day else f"{WEEKDAY_NAMES[day]}-{WEEKDAY_NAMES[last]}"
        ranges = ",".join(f"{format_clock(a)}-{format_clock(b)}" for a, b in by_day[day])
        clauses.append(f"{days} {ranges}")
        day = last + 1
    return "; ".join(clauses)


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CellFormatError(text, "is not a date YYYY-MM-DD") from None


def parse_time_off(text: str) -> list[TimeOff]:
    """Parse ``2026-03-02..2026-03-06; 2026-03-20 (doctor)`` into inclusive local-date blocks.

    >>> [(t.start.isoformat(), t.end.isoformat(), t.reason) for t in parse_time_off("2026-03-20 (doctor)")]
    [('2026-03-20', '2026-03-20', 'doctor')]
    """
    entries: list[TimeOff] = []
    for part in (chunk.strip() for chunk in text.split(";")):
        if not part:
            continue
        match = _TIME_OFF.match(part)
        if not match:
            raise CellFormatError(part, "is not 'YYYY-MM-DD' or 'YYYY-MM-DD..YYYY-MM-DD'")
        start = _parse_date(match.group(1))
        end = _parse_date(match.group(2)) if match.group(2) else start
        reason = _DEFAULT_REASON if match.group(3) is None else match.group(3).strip()
        try:
            entries.append(TimeOff(start=start, end=end, reason=reason))
        except ValidationError as error:
            raise CellFormatError(part, _domain_message(error), sentence=True) from None
    return entries


def format_time_off(entries: Iterable[TimeOff]) -> str:
    """Canonical time-off text; a reason other than the default is kept in parentheses.

    Raises
    ------
    ValueError
        When a reason cannot be written in the grammar (it contains ``;`` or a line break, or
        has surrounding blanks), rather than silently altering it.
    """
    parts: list[str] = []
    for entry in entries:
        span = entry.start.isoformat()
        if entry.end != entry.start:
            span += f"..{entry.end.isoformat()}"
        if entry.reason != _DEFAULT_REASON:
            if any(c in entry.reason for c in ";\n\r") or entry.reason != entry.reason.strip():
                raise ValueError(
                    f"time-off reason {entry.reason!r} cannot be written to a CSV cell"
                )
            span += f" ({entry.reason})"
        parts.append(span)
    return "; ".join(parts)


def _parse_weight(text: str | None) -> int:
    return 1 if text is None else int(text)


def parse_start_preference(text: str) -> StartWindowPreference | None:
    """``08:00-10:00:3`` (window and weight) or empty for no preference.

    >>> parse_start_preference("07:00-09:00:4")
    StartWindowPreference(earliest=420, latest=540, weight=4)
    """
    if not text.strip():
        return None
    match = _START_PREFERENCE.match(text.strip())
    if not match:
        raise CellFormatError(
            text.strip(), "is not a start window like '08:00-10:00' or '08:00-10:00:3'"
        )
    try:
        return StartWindowPreference(
            earliest=_parse_clock(match.group(1)),
            latest=_parse_clock(match.group(2)),
            weight=_parse_weight(match.group(3)),
        )
    except ValidationError as error:
        raise CellFormatError(text.strip(), _domain_message(error), sentence=True) from None


def format_start_preference(preference: StartWindowPreference | None) -> str:
    if preference is None:
        return ""
    window = f"{format_clock(preference.earliest)}-{format_clock(preference.latest)}"
    return window if preference.weight == 1 else f"{window}:{preference.weight}"


def parse_days_off_preference(text: str) -> DaysOffPreference | None:
    """``Sat|Sun:2`` (weekdays and weight) or empty for no preference.

    >>> parse_days_off_preference("Fri|Sat")
    DaysOffPreference(weekdays=[4, 5], weight=1)
    """
    if not text.strip():
        return None
    match = _DAYS_PREFERENCE.match(text.strip())
    if not match:
        raise CellFormatError(text.strip(), "is not weekdays and a weight like 'Sat|Sun:2'")
    days = [parse_weekday(part) for part in match.group(1).split("|")]
    try:
        return DaysOffPreference(weekdays=days, weight=_parse_weight(match.group(2)))
    except ValidationError as error:
        raise CellFormatError(text.strip(), _domain_message(error), sentence=True) from None


def format_days_off_preference(preference: DaysOffPreference | None) -> str:
    if preference is None:
        return ""
    days = "|".join(WEEKDAY_NAMES[day] for day in preference.weekdays)
    return days if preference.weight == 1 else f"{days}:{preference.weight}"


def parse_list(text: str) -> list[str]:
    """A ``|``-separated list such as skills; blanks around items are ignored, empty items are not.

    >>> parse_list("en-chat | da-phone")
    ['en-chat', 'da-phone']
    """
    if not text.strip():
        return []
    items = [item.strip() for item in text.split("|")]
    if any(not item for item in items):
        raise CellFormatError(text, "has an empty item between '|' separators")
    return items


def parse_number(text: str) -> float:
    """A finite decimal number; ``nan``, ``inf`` and thousands separators are refused.

    >>> parse_number(" 12.5 ")
    12.5
    """
    try:
        value = float(text.strip())
    except ValueError:
        raise CellFormatError(text, "is not a number") from None
    if not math.isfinite(value):
        raise CellFormatError(text, "is not a finite number")
    return value


def format_number(value: float) -> str:
    """Shortest text that parses back to exactly ``value`` (``35`` rather than ``35.0``).

    >>> format_number(35.0), format_number(0.1), format_number(12.345)
    ('35', '0.1', '12.345')
    """
    text = f"{value:.15g}"
    return text if float(text) == value else repr(value)
