"""Strict parser of the Curtois shift-scheduling instance files (Instance1.txt … Instance24.txt).

The format (see ``shared/benchmarks/curtois/FORMAT.md``) is a sequence of comma-separated
sections, each opened by a line holding only its name and ended by a blank line; ``#`` lines are
comments. Every fault is reported as a :class:`CurtoisFormatError` naming the file and the line,
because a silently skipped or misread line changes the objective and the comparison with the
published best-known values is then meaningless.

Employee ids and shift ids are separate namespaces: employee ``D`` and shift ``D`` coexist in
Instances 1–10 and 14–19. Each is only ever looked up in its own table here.

>>> text = '''SECTION_HORIZON
... 7
...
... SECTION_SHIFTS
... D,480,
...
... SECTION_STAFF
... D,D=5,2400,960,5,1,1,1
... '''
>>> instance = parse_text(text + "\\n".join(OPTIONAL_SECTIONS) + "\\n", name="tiny")
>>> instance.days, instance.shift("D").minutes, instance.employee("D").max_shifts["D"]
(7, 480, 5)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

HORIZON = "SECTION_HORIZON"
SHIFTS = "SECTION_SHIFTS"
STAFF = "SECTION_STAFF"
DAYS_OFF = "SECTION_DAYS_OFF"
ON_REQUESTS = "SECTION_SHIFT_ON_REQUESTS"
OFF_REQUESTS = "SECTION_SHIFT_OFF_REQUESTS"
COVER = "SECTION_COVER"

#: Every section, in the order the files must give them.
SECTIONS: tuple[str, ...] = (
    HORIZON,
    SHIFTS,
    STAFF,
    DAYS_OFF,
    ON_REQUESTS,
    OFF_REQUESTS,
    COVER,
)
#: The sections after ``SECTION_STAFF``; all must be present, but they may hold no lines.
OPTIONAL_SECTIONS: tuple[str, ...] = SECTIONS[3:]

STAFF_FIELDS = (
    "ID",
    "MaxShifts",
    "MaxTotalMinutes",
    "MinTotalMinutes",
    "MaxConsecutiveShifts",
    "MinConsecutiveShifts",
    "MinConsecutiveDaysOff",
    "MaxWeekends",
)

#: Instance15 writes two zero requirements as ``-0``, so a sign is read and negatives refused.
_INTEGER = re.compile(r"^-?[0-9]+$")
_HEADER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class CurtoisFormatError(ValueError):
    """An instance file does not follow the format; names the file, the line and the fault.

    Attributes
    ----------
    source:
        The file (or the name given to :func:`parse_text`).
    line:
        1-based line number of the fault; ``None`` only for faults of the file as a whole.
    problem:
        What is wrong, without the location.
    """

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        where = source if line is None else f"{source}:{line}"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Shift:
    """A shift type: ``minutes`` long; the types in ``cannot_follow`` may not be worked on the
    day after it (``L,480,E|D``: no ``E`` or ``D`` the day after ``L``)."""

    id: str
    minutes: int
    cannot_follow: tuple[str, ...]


@dataclass(frozen=True)
class Employee:
    """One member of staff and their hard limits over the horizon.

    ``max_shifts`` maps every shift id to the most days the employee may work it (0: never).
    """

    id: str
    max_shifts: Mapping[str, int] = field(hash=False)
    max_total_minutes: int
    min_total_minutes: int
    max_consecutive_shifts: int
    min_consecutive_shifts: int
    min_consecutive_days_off: int
    max_weekends: int


@dataclass(frozen=True)
class Request:
    """A shift-on or shift-off request: ``weight`` points when it is not met."""

    employee: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class Cover:
    """``required`` employees on ``shift`` on ``day``; each one short costs ``under_weight``,
    each one over costs ``over_weight``."""

    day: int
    shift: str
    required: int
    under_weight: int
    over_weight: int


@dataclass(frozen=True)
class CurtoisInstance:
    """A parsed instance. Day indexes start at 0 on a Monday."""

    name: str
    days: int
    shifts: tuple[Shift, ...]
    staff: tuple[Employee, ...]
    days_off: Mapping[str, frozenset[int]] = field(hash=False)
    on_requests: tuple[Request, ...]
    off_requests: tuple[Request, ...]
    cover: tuple[Cover, ...]

    @property
    def shift_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.shifts)

    @property
    def employee_ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.staff)

    def shift(self, shift_id: str) -> Shift:
        """The shift type ``shift_id`` (shift namespace only)."""
        for shift in self.shifts:
            if shift.id == shift_id:
                return shift
        raise KeyError(f"shift '{shift_id}' is not defined in {self.name}")

    def employee(self, employee_id: str) -> Employee:
        """The employee ``employee_id`` (employee namespace only)."""
        for employee in self.staff:
            if employee.id == employee_id:
                return employee
        raise KeyError(f"employee '{employee_id}' is not defined in {self.name}")


def parse_instance(path: Path | str) -> CurtoisInstance:
    """Parse the instance file at ``path``; its name is the file's stem (``Instance7``).

    Raises
    ------
    CurtoisFormatError
        For any fault, naming the file and line.
    OSError
        When the file cannot be read.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CurtoisFormatError(str(path), None, f"not a text file ({error.reason})") from error
    return parse_text(text, name=path.stem, source=str(path))


def parse_text(text: str, *, name: str, source: str | None = None) -> CurtoisInstance:
    """Parse an instance from its text; ``source`` (default ``name``) is used in errors.

    Raises
    ------
    CurtoisFormatError
        For any fault, naming ``source`` and the line.
    """
    return _Parser(source or name).parse(text, name)


@dataclass
class _Parser:
    """One pass over the lines; each section's lines go to their own handler."""

    source: str
    days: int | None = None
    shifts: dict[str, Shift] = field(default_factory=dict)
    shift_lines: dict[str, int] = field(default_factory=dict)
    staff: dict[str, Employee] = field(default_factory=dict)
    days_off: dict[str, frozenset[int]] = field(default_factory=dict)
    on_requests: list[Request] = field(default_factory=list)
    off_requests: list[Request] = field(default_factory=list)
    cover: dict[tuple[int, str], Cover] = field(default_factory=dict)

    def error(self, line: int | None, problem: str) -> CurtoisFormatError:
        return CurtoisFormatError(self.source, line, problem)

    def parse(self, text: str, name: str) -> CurtoisInstance:
        seen: list[str] = []
        current: str | None = None
        lines = text.split("\n")
        for number, raw in enumerate(lines, start=1):
            line = raw.rstrip("\r").strip()
            if line.startswith("#"):
                continue
            if not line:
                if current is not None:
                    self._end_section(current, number)
                current = None
                continue
            if line in SECTIONS:
                if current is not None:
                    self._end_section(current, number)
                self._open_section(line, seen, number)
                seen.append(line)
                current = line
                continue
            if current is None:
                if _HEADER.match(line):
                    raise self.error(
                        number, f"unknown section '{line}' (expected one of {', '.join(SECTIONS)})"
                    )
                raise self.error(
                    number,
                    f"data line {line!r} outside a section (a blank line ends a section; "
                    "start the next one with its SECTION_ line)",
                )
            self._data_line(current, [part.strip() for part in line.split(",")], number)
        last = len(lines)
        if current is not None:
            self._end_section(current, last)
        missing = [section for section in SECTIONS if section not in seen]
        if missing:
            raise self.error(last, f"the file ends without {', '.join(missing)}")
        assert self.days is not None  # _end_section(HORIZON) guarantees it
        return CurtoisInstance(
            name=name,
            days=self.days,
            shifts=tuple(self.shifts.values()),
            staff=tuple(self.staff.values()),
            days_off=MappingProxyType(dict(self.days_off)),
            on_requests=tuple(self.on_requests),
            off_requests=tuple(self.off_requests),
            cover=tuple(self.cover.values()),
        )

    # ---- sections -------------------------------------------------------------------------

    def _open_section(self, section: str, seen: list[str], number: int) -> None:
        if section in seen:
            raise self.error(number, f"{section} is given twice")
        # every earlier section must have been seen, which also rules out any other order
        needed = [s for s in SECTIONS[: SECTIONS.index(section)] if s not in seen]
        if needed:
            raise self.error(
                number,
                f"{section} needs {', '.join(needed)} before it (sections come in the order "
                f"{', '.join(SECTIONS)})",
            )

    def _end_section(self, section: str, number: int) -> None:
        if section == HORIZON and self.days is None:
            raise self.error(number, f"{HORIZON} holds no horizon length")
        if section == SHIFTS:
            if not self.shifts:
                raise self.error(number, f"{SHIFTS} defines no shift type")
            for shift in self.shifts.values():
                for other in shift.cannot_follow:
                    if other not in self.shifts:
                        raise self.error(
                            self.shift_lines[shift.id],
                            f"shift '{shift.id}': CannotFollow names shift '{other}', "
                            "which is not defined",
                        )
        if section == STAFF and not self.staff:
            raise self.error(number, f"{STAFF} defines no employee")

    def _data_line(self, section: str, fields: list[str], number: int) -> None:
        handlers = {
            HORIZON: self._horizon,
            SHIFTS: self._shift,
            STAFF: self._employee,
            DAYS_OFF: self._days_off,
            ON_REQUESTS: self._on_request,
            OFF_REQUESTS: self._off_request,
            COVER: self._cover,
        }
        handlers[section](fields, number)

    # ---- lines ----------------------------------------------------------------------------

    def _horizon(self, fields: list[str], number: int) -> None:
        self._count(fields, 1, "HorizonLength", number)
        if self.days is not None:
            raise self.error(number, f"{HORIZON} gives the horizon length twice")
        days = self._int(fields[0], "horizon length", number)
        if days < 1:
            raise self.error(number, "the horizon must be at least 1 day")
        self.days = days

    def _shift(self, fields: list[str], number: int) -> None:
        self._count(fields, 3, "ShiftID, LengthInMins, CannotFollow", number)
        shift_id = self._id(fields[0], "ShiftID", number)
        if shift_id in self.shifts:
            raise self.error(
                number,
                f"shift '{shift_id}' is defined twice (first on line {self.shift_lines[shift_id]})",
            )
        minutes = self._int(fields[1], f"shift '{shift_id}' LengthInMins", number)
        if minutes < 1:
            raise self.error(number, f"shift '{shift_id}' must last at least 1 minute")
        following = self._list(fields[2], f"shift '{shift_id}' CannotFollow", number)
        if len(set(following)) != len(following):
            raise self.error(number, f"shift '{shift_id}': CannotFollow names a shift twice")
        self.shifts[shift_id] = Shift(shift_id, minutes, tuple(following))
        self.shift_lines[shift_id] = number

    def _employee(self, fields: list[str], number: int) -> None:
        self._count(fields, len(STAFF_FIELDS), ", ".join(STAFF_FIELDS), number)
        employee_id = self._id(fields[0], "employee ID", number)
        if employee_id in self.staff:
            raise self.error(number, f"employee '{employee_id}' is defined twice")
        maxima: dict[str, int] = {}
        for entry in self._list(fields[1], f"employee '{employee_id}' MaxShifts", number):
            shift_id, equals, value = entry.partition("=")
            if not equals:
                raise self.error(
                    number,
                    f"employee '{employee_id}' MaxShifts entry {entry!r} is not ShiftID=max",
                )
            shift_id = self._known_shift(shift_id.strip(), f"employee '{employee_id}'", number)
            if shift_id in maxima:
                raise self.error(
                    number, f"employee '{employee_id}' MaxShifts lists shift '{shift_id}' twice"
                )
            maxima[shift_id] = self._int(
                value.strip(), f"employee '{employee_id}' MaxShifts for '{shift_id}'", number
            )
        unlisted = [s for s in self.shifts if s not in maxima]
        if unlisted:
            raise self.error(
                number,
                f"employee '{employee_id}' MaxShifts does not list shift "
                f"{', '.join(repr(s) for s in unlisted)} (every shift type must be listed)",
            )
        numbers = [
            self._int(value, f"employee '{employee_id}' {label}", number)
            for value, label in zip(fields[2:], STAFF_FIELDS[2:], strict=True)
        ]
        max_total, min_total, max_run, min_run, min_off, max_weekends = numbers
        if min_total > max_total:
            raise self.error(
                number,
                f"employee '{employee_id}': MinTotalMinutes {min_total} exceeds "
                f"MaxTotalMinutes {max_total}",
            )
        self.staff[employee_id] = Employee(
            id=employee_id,
            max_shifts=MappingProxyType(maxima),
            max_total_minutes=max_total,
            min_total_minutes=min_total,
            max_consecutive_shifts=max_run,
            min_consecutive_shifts=min_run,
            min_consecutive_days_off=min_off,
            max_weekends=max_weekends,
        )

    def _days_off(self, fields: list[str], number: int) -> None:
        if len(fields) < 2:
            raise self.error(
                number, f"expected EmployeeID, day, day, … (at least 2 fields), got {len(fields)}"
            )
        employee_id = self._known_employee(fields[0], number)
        if employee_id in self.days_off:
            raise self.error(number, f"employee '{employee_id}' has a second DAYS_OFF line")
        days = [self._day(value, number) for value in fields[1:]]
        if len(set(days)) != len(days):
            raise self.error(number, f"employee '{employee_id}': a day off is listed twice")
        self.days_off[employee_id] = frozenset(days)

    def _on_request(self, fields: list[str], number: int) -> None:
        self.on_requests.append(self._request(fields, number))

    def _off_request(self, fields: list[str], number: int) -> None:
        self.off_requests.append(self._request(fields, number))

    def _request(self, fields: list[str], number: int) -> Request:
        self._count(fields, 4, "EmployeeID, Day, ShiftID, Weight", number)
        employee_id = self._known_employee(fields[0], number)
        day = self._day(fields[1], number)
        shift_id = self._known_shift(fields[2], "the request", number)
        weight = self._int(fields[3], "Weight", number)
        return Request(employee_id, day, shift_id, weight)

    def _cover(self, fields: list[str], number: int) -> None:
        self._count(fields, 5, "Day, ShiftID, Requirement, WeightForUnder, WeightForOver", number)
        day = self._day(fields[0], number)
        shift_id = self._known_shift(fields[1], "the cover row", number)
        if (day, shift_id) in self.cover:
            raise self.error(number, f"cover for day {day}, shift '{shift_id}' is given twice")
        required, under, over = (
            self._int(value, label, number)
            for value, label in zip(
                fields[2:], ("Requirement", "WeightForUnder", "WeightForOver"), strict=True
            )
        )
        self.cover[(day, shift_id)] = Cover(day, shift_id, required, under, over)

    # ---- fields ---------------------------------------------------------------------------

    def _count(self, fields: list[str], expected: int, names: str, number: int) -> None:
        if len(fields) != expected:
            raise self.error(
                number,
                f"expected {expected} field{'s' if expected > 1 else ''} ({names}), "
                f"got {len(fields)}",
            )

    def _int(self, value: str, what: str, number: int) -> int:
        if not _INTEGER.match(value) or int(value) < 0:
            raise self.error(number, f"{what} must be a non-negative integer, got {value!r}")
        return int(value)

    def _id(self, value: str, what: str, number: int) -> str:
        if not value or any(c in value for c in "|= \t"):
            raise self.error(number, f"{what} {value!r} is not a valid id")
        return value

    def _list(self, value: str, what: str, number: int) -> list[str]:
        """A ``|``-separated list; an empty field is an empty list, an empty item an error."""
        if not value:
            return []
        items = [item.strip() for item in value.split("|")]
        if any(not item for item in items):
            raise self.error(number, f"{what} {value!r} has an empty item")
        return items

    def _day(self, value: str, number: int) -> int:
        assert self.days is not None  # the horizon section precedes every dated section
        day = self._int(value, "day index", number)
        if day >= self.days:
            raise self.error(number, f"day {day} is outside the horizon (days 0–{self.days - 1})")
        return day

    def _known_shift(self, value: str, owner: str, number: int) -> str:
        if value not in self.shifts:
            raise self.error(number, f"{owner} names shift '{value}', which is not defined")
        return value

    def _known_employee(self, value: str, number: int) -> str:
        if value not in self.staff:
            raise self.error(number, f"employee '{value}' is not defined in {STAFF}")
        return value
