"""Rules on a single shift's place in time: inside the horizon, a contract shape, within the
agent's availability and off their time-off dates."""

from __future__ import annotations

from datetime import timedelta

from scheduler.domain.agents import WEEKDAY_NAMES
from scheduler.domain.clock import format_clock
from scheduler.roster import Violation
from scheduler.timeutil import minute_of_day, to_local, utc_iso
from scheduler.validate.facts import RosterView, ShiftFacts, slot_pieces

HORIZON = "horizon"
CONTRACT_SHAPE = "contract_shape"
AVAILABILITY = "availability"
TIME_OFF = "time_off"

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

    Length is elapsed time, so an 8-hour shift across a DST change is still 480 minutes.
    """
    horizon_start = view.scenario.horizon.start_utc
    found: list[Violation] = []
    for fact in view.facts:
        contract, shift = fact.contract, fact.shift
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
