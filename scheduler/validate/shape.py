"""Rules on a single shift's place in time: inside the horizon, a contract shape or a shift-type
template, within the agent's availability and off their time-off dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from scheduler.domain import ShiftType
from scheduler.domain.agents import WEEKDAY_NAMES
from scheduler.domain.clock import format_clock
from scheduler.roster import Violation
from scheduler.timeutil import local_wall_exists, minute_of_day, to_local, utc_iso, zone
from scheduler.validate.facts import RosterView, ShiftFacts, slot_pieces

HORIZON = "horizon"
CONTRACT_SHAPE = "contract_shape"
SHIFT_TYPE_SHAPE = "shift_type_shape"
AVAILABILITY = "availability"
TIME_OFF = "time_off"

SHIFT_TYPE_LABEL = "shift follows its shift-type template"

_MINUTE = timedelta(minutes=1)


def _violation(
    rule: str, label: str, fact: ShiftFacts, detail: str, when: str | None = None
) -> Violation:
    return Violation(
        rule=rule,
        label=label,
        agent_id=fact.agent.id,
        when=when or utc_iso(fact.shift.start),
        detail=detail,
    )


def _span(fact: ShiftFacts) -> str:
    return f"{utc_iso(fact.shift.start)}–{utc_iso(fact.shift.end)}"


def check_horizon(view: RosterView) -> list[Violation]:
    """Every shift lies inside ``[horizon start, horizon end)``."""
    horizon = view.scenario.horizon
    window = f"{utc_iso(horizon.start_utc)}–{utc_iso(horizon.end_utc)}"
    return [
        _violation(
            HORIZON,
            "shift inside the planning horizon",
            fact,
            f"shift {_span(fact)} is not inside the horizon {window}",
        )
        for fact in view.facts
        if fact.shift.start < horizon.start_utc or fact.shift.end > horizon.end_utc
    ]


def check_contract_shape(view: RosterView) -> list[Violation]:
    """Allowed elapsed length, start on the contract's UTC grid, local start in its window.

    Length is elapsed time, so an 8-hour shift across a DST change is still 480 minutes. Contracts
    with ``shift_types`` are exempt: their shapes are the templates (``shift_type_shape``).
    """
    horizon_start = view.scenario.horizon.start_utc
    found: list[Violation] = []
    for fact in view.facts:
        contract, shift = fact.contract, fact.shift
        if contract.shift_types is not None:
            continue
        lengths = contract.shift_lengths_minutes
        if not any(shift.end - shift.start == timedelta(minutes=n) for n in lengths):
            allowed = ", ".join(str(n) for n in lengths)
            found.append(
                _violation(
                    CONTRACT_SHAPE,
                    f"shift length one of {allowed} min",
                    fact,
                    f"shift {_span(fact)} lasts {(shift.end - shift.start) / _MINUTE:g} elapsed "
                    f"minutes (contract '{contract.id}')",
                )
            )
        step = contract.start_granularity_minutes
        if (shift.start - horizon_start) % timedelta(minutes=step):
            found.append(
                _violation(
                    CONTRACT_SHAPE,
                    f"shift starts on the {step}-min UTC grid",
                    fact,
                    f"start {utc_iso(shift.start)} is not a multiple of {step} min after the "
                    f"horizon start (contract '{contract.id}')",
                )
            )
        earliest, latest = contract.earliest_start, contract.latest_start
        if not earliest <= fact.local_start_minute <= latest:
            found.append(
                _violation(
                    CONTRACT_SHAPE,
                    f"local start between {format_clock(earliest)} and {format_clock(latest)}",
                    fact,
                    f"starts at {fact.local_start.isoformat()} local ({fact.agent.timezone}, "
                    f"contract '{contract.id}')",
                )
            )
    return found


def template_start(template: ShiftType, local_date: date, timezone: str) -> datetime | None:
    """The UTC instant ``template`` starts on ``local_date`` in ``timezone``, as the solver places
    it: the earlier of a wall time a fall-back night repeats, None for one a spring-forward night
    skipped (and for a ``24:00`` start, which no local date's clock reads).

    >>> from scheduler.domain import ShiftType
    >>> night = ShiftType(id="N", start="02:30", minutes=480)
    >>> utc_iso(template_start(night, date(2026, 10, 25), "Europe/Copenhagen"))
    '2026-10-25T00:30:00Z'
    >>> template_start(night, date(2026, 3, 29), "Europe/Copenhagen") is None
    True
    """
    if template.start >= 24 * 60:
        return None
    wall = datetime.combine(local_date, time(template.start // 60, template.start % 60))
    if not local_wall_exists(wall, timezone):
        return None
    return wall.replace(tzinfo=zone(timezone), fold=0).astimezone(UTC)


def _template_problems(view: RosterView, fact: ShiftFacts, template: ShiftType) -> list[str]:
    """How ``fact`` departs from ``template``: local date outside the horizon, start, length."""
    horizon, shift = view.scenario.horizon, fact.shift
    if not 0 <= fact.day < horizon.days:
        return [
            f"'{template.id}' starts on local {fact.local_date.isoformat()}, outside the "
            f"horizon's local dates"
        ]
    problems: list[str] = []
    expected = template_start(template, fact.local_date, fact.agent.timezone)
    if expected is None:
        problems.append(
            f"'{template.id}' has no start on local {fact.local_date.isoformat()}: "
            f"{format_clock(template.start)} does not exist in {fact.agent.timezone} that day"
        )
    elif shift.start != expected:
        problems.append(
            f"'{template.id}' starts at {utc_iso(expected)} "
            f"({format_clock(template.start)} local) on {fact.local_date.isoformat()}, "
            f"not {utc_iso(shift.start)} ({fact.local_start.isoformat()} local)"
        )
    if shift.end - shift.start != timedelta(minutes=template.minutes):
        problems.append(
            f"'{template.id}' lasts {template.minutes} min, shift {_span(fact)} lasts "
            f"{(shift.end - shift.start) / _MINUTE:g} min"
        )
    return problems


def _shift_type_problems(view: RosterView, fact: ShiftFacts) -> list[str]:
    """Everything wrong with the shift type a shift names, or fails to name."""
    contract, named = fact.contract, fact.shift.shift_type
    allowed = contract.shift_types
    templates = {t.id: t for t in view.scenario.shift_types}
    if named is None:
        if allowed is None:
            return []
        return [f"names no shift type; contract '{contract.id}' works only {', '.join(allowed)}"]
    template = templates.get(named)
    if template is None:
        return [f"shift type '{named}' is not defined in the scenario"]
    problems: list[str] = []
    if allowed is not None and named not in allowed:
        problems.append(
            f"shift type '{named}' is not one of contract '{contract.id}''s ({', '.join(allowed)})"
        )
    return problems + _template_problems(view, fact, template)


def check_shift_type_shape(view: RosterView) -> list[Violation]:
    """Under a contract with ``shift_types``, every shift names one of them and is that template
    on its local date: its local wall-clock start (the earlier one when the clock repeats) and
    its elapsed minutes. A shift of any contract that names a type must be a defined type and
    match its template.
    """
    return [
        _violation(SHIFT_TYPE_SHAPE, SHIFT_TYPE_LABEL, fact, problem)
        for fact in view.facts
        for problem in _shift_type_problems(view, fact)
    ]


def check_availability(view: RosterView) -> list[Violation]:
    """Every slot of a shift starts inside one of the agent's weekly local windows."""
    found: list[Violation] = []
    slot = view.grid.slot
    for fact in view.facts:
        windows = fact.agent.availability
        if not windows:
            continue
        for moment, _ in slot_pieces(fact.shift.start, fact.shift.end, slot):
            local = to_local(moment, fact.agent.timezone)
            minute, weekday = minute_of_day(local), local.weekday()
            if not any(w.weekday == weekday and w.start <= minute < w.end for w in windows):
                found.append(
                    _violation(
                        AVAILABILITY,
                        "work only inside the agent's availability",
                        fact,
                        f"{WEEKDAY_NAMES[weekday]} {local.isoformat()} local is outside every "
                        "availability window",
                        when=utc_iso(moment),
                    )
                )
                break
    return found


def check_time_off(view: RosterView) -> list[Violation]:
    """No slot of a shift falls on a local date the agent has off (reported once per date)."""
    found: list[Violation] = []
    slot = view.grid.slot
    for fact in view.facts:
        reported: set[str] = set()
        for moment, _ in slot_pieces(fact.shift.start, fact.shift.end, slot):
            day = to_local(moment, fact.agent.timezone).date()
            if day.isoformat() in reported:
                continue
            entry = next((t for t in fact.agent.time_off if t.covers(day)), None)
            if entry is not None:
                reported.add(day.isoformat())
                found.append(
                    _violation(
                        TIME_OFF,
                        "no work on the agent's time off",
                        fact,
                        f"shift {_span(fact)} works on {day.isoformat()} ({entry.reason})",
                        when=day.isoformat(),
                    )
                )
    return found
