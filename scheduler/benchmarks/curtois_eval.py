"""The Curtois penalty and hard rules, computed from a parsed instance and plain assignments.

Written straight from the benchmark's rules (FORMAT.md), with no Sunshift model, scenario or
validator code, so it is an independent check of the importer, the CP-SAT model and the
validator: all three must agree with it on every solved instance.

Assignments are ``{employee id: [shift id or "" per day]}``, the benchmark's solution-file shape.

Edge rules, as the benchmark page states them: before day 0 and after day H−1 there is "an
infinite number" of shifts (for the minimum-run rules) and days off (for the minimum-days-off and
rotation rules), so

* a run of shifts or of days off that touches day 0 or day H−1 is never too short;
* a run of shifts is measured inside the horizon only when checking the maximum;
* nothing is checked across either edge for the shift rotation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scheduler.benchmarks.curtois import CurtoisInstance, Employee

OFF = ""

ASSIGNMENT = "assignment"
SHIFT_ROTATION = "shift_rotation"
MAX_SHIFTS = "max_shifts"
MAX_TOTAL_MINUTES = "max_total_minutes"
MIN_TOTAL_MINUTES = "min_total_minutes"
MAX_CONSECUTIVE_SHIFTS = "max_consecutive_shifts"
MIN_CONSECUTIVE_SHIFTS = "min_consecutive_shifts"
MIN_CONSECUTIVE_DAYS_OFF = "min_consecutive_days_off"
MAX_WEEKENDS = "max_weekends"
DAYS_OFF = "days_off"

SATURDAY, SUNDAY = 5, 6


@dataclass(frozen=True)
class Breach:
    """One broken hard rule: its key, the employee, the first day concerned and what happened."""

    rule: str
    employee: str | None
    day: int | None
    detail: str

    def __str__(self) -> str:
        who = f" {self.employee}" if self.employee is not None else ""
        when = f" day {self.day}" if self.day is not None else ""
        return f"{self.rule}{who}{when}: {self.detail}"


@dataclass(frozen=True)
class Evaluation:
    """The penalty term by term, and every hard-rule breach (empty: the roster is feasible)."""

    on_requests: int
    off_requests: int
    cover_under: int
    cover_over: int
    breaches: tuple[Breach, ...]

    @property
    def penalty(self) -> int:
        return self.on_requests + self.off_requests + self.cover_under + self.cover_over

    @property
    def feasible(self) -> bool:
        return not self.breaches


def runs(worked: Sequence[bool]) -> list[tuple[bool, int, int]]:
    """Maximal runs as ``(working, first day, length)``.

    >>> runs([False, True, True, False, False, True])
    [(False, 0, 1), (True, 1, 2), (False, 3, 2), (True, 5, 1)]
    >>> runs([])
    []
    """
    found: list[tuple[bool, int, int]] = []
    for day, value in enumerate(worked):
        if found and found[-1][0] == value:
            kind, first, length = found[-1]
            found[-1] = (kind, first, length + 1)
        else:
            found.append((value, day, 1))
    return found


def weekends_worked(worked: Sequence[bool]) -> int:
    """Weekends (Saturday ``7k+5`` or Sunday ``7k+6``) with at least one shift; each counts once.

    >>> weekends_worked([False] * 5 + [True, True] + [False] * 5 + [True, False])
    2
    """
    return len(
        {day // 7 for day, value in enumerate(worked) if value and day % 7 in (SATURDAY, SUNDAY)}
    )


def evaluate(instance: CurtoisInstance, assignments: Mapping[str, Sequence[str]]) -> Evaluation:
    """Penalty and hard-rule breaches of ``assignments`` under ``instance``.

    An employee missing from ``assignments`` is off every day (and reported); a malformed row
    (wrong length, unknown shift id) is reported and read as far as it can be.
    """
    breaches: list[Breach] = []
    shifts = {s.id: s for s in instance.shifts}
    rows: dict[str, list[str]] = {}
    for employee_id in assignments:
        if employee_id not in instance.employee_ids:
            breaches.append(
                Breach(ASSIGNMENT, employee_id, None, "not an employee of the instance")
            )
    for employee in instance.staff:
        row = list(assignments.get(employee.id, []))
        if employee.id not in assignments:
            breaches.append(Breach(ASSIGNMENT, employee.id, None, "no assignment row"))
        elif len(row) != instance.days:
            breaches.append(
                Breach(
                    ASSIGNMENT,
                    employee.id,
                    None,
                    f"{len(row)} entries for a {instance.days}-day horizon",
                )
            )
        row = (row + [OFF] * instance.days)[: instance.days]
        for day, shift_id in enumerate(row):
            if shift_id != OFF and shift_id not in shifts:
                breaches.append(
                    Breach(ASSIGNMENT, employee.id, day, f"shift '{shift_id}' is not defined")
                )
                row[day] = OFF
        rows[employee.id] = row
        breaches += _employee_breaches(instance, employee, row)

    on = sum(r.weight for r in instance.on_requests if rows[r.employee][r.day] != r.shift)
    off = sum(r.weight for r in instance.off_requests if rows[r.employee][r.day] == r.shift)
    staffed: Counter[tuple[int, str]] = Counter(
        (day, shift_id)
        for row in rows.values()
        for day, shift_id in enumerate(row)
        if shift_id != OFF
    )
    under = over = 0
    for cover in instance.cover:
        have = staffed[(cover.day, cover.shift)]
        under += cover.under_weight * max(0, cover.required - have)
        over += cover.over_weight * max(0, have - cover.required)
    return Evaluation(on, off, under, over, tuple(breaches))


def _employee_breaches(
    instance: CurtoisInstance, employee: Employee, row: list[str]
) -> list[Breach]:
    """Hard rules 2–10 of FORMAT.md for one employee (rule 1 holds by the row's shape)."""
    found: list[Breach] = []
    last = instance.days - 1

    def breach(rule: str, day: int | None, detail: str) -> None:
        found.append(Breach(rule, employee.id, day, detail))

    lengths = {s.id: s.minutes for s in instance.shifts}
    forbidden = {s.id: set(s.cannot_follow) for s in instance.shifts}
    for day in range(last):
        today, tomorrow = row[day], row[day + 1]
        if today != OFF and tomorrow in forbidden[today]:
            breach(SHIFT_ROTATION, day + 1, f"'{tomorrow}' may not follow '{today}'")

    counts = Counter(shift_id for shift_id in row if shift_id != OFF)
    for shift_id, count in sorted(counts.items()):
        cap = employee.max_shifts[shift_id]
        if count > cap:
            breach(MAX_SHIFTS, row.index(shift_id), f"{count} '{shift_id}' shifts, at most {cap}")

    minutes = sum(lengths[shift_id] for shift_id in row if shift_id != OFF)
    if minutes > employee.max_total_minutes:
        breach(MAX_TOTAL_MINUTES, None, f"{minutes} min, at most {employee.max_total_minutes}")
    if minutes < employee.min_total_minutes:
        breach(MIN_TOTAL_MINUTES, None, f"{minutes} min, at least {employee.min_total_minutes}")

    worked = [shift_id != OFF for shift_id in row]
    for working, first, length in runs(worked):
        inside = first > 0 and first + length - 1 < last
        if working and length > employee.max_consecutive_shifts:
            breach(
                MAX_CONSECUTIVE_SHIFTS,
                first,
                f"{length} shifts in a row, at most {employee.max_consecutive_shifts}",
            )
        if working and inside and length < employee.min_consecutive_shifts:
            breach(
                MIN_CONSECUTIVE_SHIFTS,
                first,
                f"{length} shifts in a row, at least {employee.min_consecutive_shifts}",
            )
        if not working and inside and length < employee.min_consecutive_days_off:
            breach(
                MIN_CONSECUTIVE_DAYS_OFF,
                first,
                f"{length} days off in a row, at least {employee.min_consecutive_days_off}",
            )

    weekends = weekends_worked(worked)
    if weekends > employee.max_weekends:
        breach(MAX_WEEKENDS, None, f"{weekends} weekends worked, at most {employee.max_weekends}")

    for day in sorted(instance.days_off.get(employee.id, ())):
        if worked[day]:
            breach(DAYS_OFF, day, f"works '{row[day]}' on a day off")
    return found


def empty_assignments(instance: CurtoisInstance) -> dict[str, list[str]]:
    """Everyone off every day (a starting point for tests and hand-made rosters)."""
    return {e.id: [OFF] * instance.days for e in instance.staff}
