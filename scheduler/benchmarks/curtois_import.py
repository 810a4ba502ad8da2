"""A Curtois instance as a Sunshift scenario, and a Sunshift roster back as Curtois assignments.

The mapping keeps the instance's penalty as the scenario's whole objective:

* **Horizon**: day 0 is :data:`START` (a Monday, as in every instance), in UTC, 60-min intervals.
* **Shift types**: each starts at ``00:00`` local time. The instances have no start times (only
  the day and the length matter), and a start at midnight keeps every shift of up to 24 h inside
  its own day, so Sunshift's per-day rules (one shift per local day, successions on the next local
  day, weekends by local date) see exactly the instance's days. Agents live in ``UTC``, so no
  clock change ever moves a shift.
* **Contracts**: one per employee (id ``staff-<employee id>``) holding that employee's limits:
  ``max_shifts_per_type``, total minutes, run lengths, weekends. Sunshift's own rules that the
  benchmark lacks are switched off: ``min_rest_hours`` 0, ``min_days_off_per_week`` 0,
  ``max_hours_per_week`` 84 (seven 12-h shifts, the longest week any instance allows).
  ``shift_lengths_minutes`` lists the types' lengths: shift-type contracts only use templates,
  but the field is still validated (multiples of 15 between 60 and 960).
* **Agents**: employee id as agent id (the agent and shift-type namespaces are separate in a
  scenario, so employee ``D`` and shift ``D`` coexist), days off as ``time_off``, requests as
  ``shift_requests``; no queues and no skills.
* **Demand**: each cover row becomes a ``shift_demand`` row with its under/over weights.
* **Policy**: labour cost, unsocial hours, preferences, fairness and min-hours shortfall weigh 0,
  and there are no queues, so the scenario's objective is exactly the instance's penalty
  (shift-type cover plus unmet requests).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from scheduler.benchmarks.curtois import CurtoisInstance, Employee
from scheduler.domain import (
    Agent,
    Contract,
    Horizon,
    ObjectiveWeights,
    Policy,
    Scenario,
    ShiftRequest,
    ShiftType,
    ShiftTypeDemand,
    TimeOff,
)
from scheduler.roster import Roster

#: Day 0 of every imported instance: a Monday, as the format requires.
START = date(2024, 1, 1)
TIMEZONE = "UTC"
MIDNIGHT = "00:00"
#: Seven 12-hour shifts: no instance can exceed it, so the weekly cap never binds.
MAX_HOURS_PER_WEEK = 84

#: Only the benchmark's own terms count: shift-type cover and requests.
BENCHMARK_POLICY = Policy(
    weights=ObjectiveWeights(
        labour_cost=0, unsocial_hours=0, preferences=0, fairness=0, min_hours_shortfall=0
    )
)

Assignments = dict[str, list[str]]


def contract_id(employee_id: str) -> str:
    """The contract of one employee.

    >>> contract_id("D")
    'staff-D'
    """
    return f"staff-{employee_id}"


def day_date(day: int) -> date:
    """The local date of day index ``day``.

    >>> day_date(0), day_date(0).weekday(), day_date(5).weekday()
    (datetime.date(2024, 1, 1), 0, 5)
    """
    return START + timedelta(days=day)


def day_ranges(days: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive days folded into inclusive ranges, so a week off is one time-off entry.

    >>> day_ranges([9, 1, 2, 3, 7])
    [(1, 3), (7, 7), (9, 9)]
    """
    ranges: list[tuple[int, int]] = []
    for day in sorted(set(days)):
        if ranges and ranges[-1][1] == day - 1:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def to_scenario(instance: CurtoisInstance) -> Scenario:
    """Convert a parsed instance into a Sunshift scenario (see the module docstring).

    Raises
    ------
    scheduler.domain.ScenarioError, pydantic.ValidationError
        When the instance does not fit Sunshift's limits (a horizon over 366 days, a shift
        length that is not a multiple of 15 minutes between 60 and 960, an id with characters
        Sunshift ids do not allow).
    """
    lengths = sorted({shift.minutes for shift in instance.shifts})
    shift_ids = list(instance.shift_ids)
    requests: dict[str, list[ShiftRequest]] = defaultdict(list)
    for rows, kind in ((instance.on_requests, "on"), (instance.off_requests, "off")):
        for r in rows:
            requests[r.employee].append(
                ShiftRequest(date=day_date(r.day), shift_type=r.shift, kind=kind, weight=r.weight)
            )
    return Scenario(
        name=instance.name,
        horizon=Horizon(start=START, days=instance.days, interval_minutes=60),
        contracts=[_contract(employee, shift_ids, lengths) for employee in instance.staff],
        agents=[_agent(instance, employee, requests[employee.id]) for employee in instance.staff],
        shift_types=[
            ShiftType(
                id=shift.id,
                start=MIDNIGHT,
                minutes=shift.minutes,
                cannot_follow=shift.cannot_follow,
            )
            for shift in instance.shifts
        ],
        shift_demand=[
            ShiftTypeDemand(
                date=day_date(row.day),
                shift_type=row.shift,
                required=row.required,
                under_weight=row.under_weight,
                over_weight=row.over_weight,
            )
            for row in instance.cover
        ],
        policy=BENCHMARK_POLICY,
    )


def _contract(employee: Employee, shift_ids: list[str], lengths: list[int]) -> Contract:
    return Contract(
        id=contract_id(employee.id),
        min_hours_per_week=0,
        max_hours_per_week=MAX_HOURS_PER_WEEK,
        shift_lengths_minutes=lengths,
        max_consecutive_days=employee.max_consecutive_shifts,
        min_rest_hours=0,
        min_days_off_per_week=0,
        shift_types=shift_ids,
        max_shifts_per_type=dict(employee.max_shifts),
        min_total_minutes=employee.min_total_minutes,
        max_total_minutes=employee.max_total_minutes,
        # a shortest run of 0 or 1 day is no rule at all
        min_consecutive_days=employee.min_consecutive_shifts or None,
        min_consecutive_days_off=employee.min_consecutive_days_off or None,
        max_weekends=employee.max_weekends,
    )


def _agent(instance: CurtoisInstance, employee: Employee, requests: list[ShiftRequest]) -> Agent:
    return Agent(
        id=employee.id,
        timezone=TIMEZONE,
        contract=contract_id(employee.id),
        time_off=[
            TimeOff(start=day_date(first), end=day_date(last), reason="day off")
            for first, last in day_ranges(instance.days_off.get(employee.id, ()))
        ],
        shift_requests=requests,
    )


def assignments_from_roster(instance: CurtoisInstance, roster: Roster) -> Assignments:
    """``{employee id: [shift id or "" per day]}`` from a roster of the imported scenario.

    Every employee gets a list of ``instance.days`` entries, in the instance's staff order.
    Shifts that do not fit the instance (an unknown agent, a date outside the horizon, a shift
    without a type, two shifts on one day) raise, because writing such a roster as a solution
    would hide a bug.

    Raises
    ------
    ValueError
        Naming the shift that does not fit.
    """
    assignments: Assignments = {e.id: [""] * instance.days for e in instance.staff}
    for shift in roster.shifts:
        row = assignments.get(shift.agent_id)
        day = (date.fromisoformat(shift.local_date) - START).days
        where = f"shift of '{shift.agent_id}' on {shift.local_date}"
        if row is None:
            raise ValueError(f"{where}: '{shift.agent_id}' is not an employee of {instance.name}")
        if not 0 <= day < instance.days:
            raise ValueError(f"{where}: outside the {instance.days}-day horizon")
        if shift.shift_type is None:
            raise ValueError(f"{where}: the shift has no shift type")
        if row[day]:
            raise ValueError(
                f"{where}: a second shift that day ({row[day]} and {shift.shift_type})"
            )
        row[day] = shift.shift_type
    return assignments
