"""Rules on an agent's sequence of shifts: one per local day, no overlap, rest, consecutive days."""

from __future__ import annotations

from datetime import timedelta

from scheduler.roster import Violation
from scheduler.validate import validate_roster
from tests.validate.builders import (
    make_agent,
    make_contract,
    make_roster,
    make_scenario,
    make_shift,
    utc,
)


def rules(violations: list[Violation]) -> list[tuple[str, str | None, str | None]]:
    return [(v.rule, v.agent_id, v.when) for v in violations]


def test_one_shift_per_local_day() -> None:
    scenario = make_scenario(
        contracts=[make_contract(shift_lengths_minutes=[240], min_rest_hours=0)]
    )
    morning = make_shift(scenario, utc("2026-03-24 06:00"))
    next_day = make_shift(scenario, utc("2026-03-25 14:00"))
    assert validate_roster(scenario, make_roster([morning, next_day])) == []
    afternoon = make_shift(scenario, utc("2026-03-24 14:00"))
    found = validate_roster(scenario, make_roster([morning, afternoon]))
    assert rules(found) == [("one_shift_per_day", "a1", "2026-03-24")]


def test_overlapping_shifts_are_reported_once_as_overlap() -> None:
    """Overlap is its own report; it is not repeated as negative rest."""
    scenario = make_scenario(contracts=[make_contract(min_rest_hours=0)])
    night = make_shift(scenario, utc("2026-03-23 20:00"))
    early = make_shift(scenario, utc("2026-03-24 02:00"))
    found = validate_roster(scenario, make_roster([early, night]))
    assert rules(found) == [("one_shift_per_day", "a1", "2026-03-24T02:00:00Z")]
    assert found[0].label == "shifts of one agent never overlap"


def test_rest_between_consecutive_shifts() -> None:
    scenario = make_scenario(contracts=[make_contract(min_rest_hours=11)])
    first = make_shift(scenario, utc("2026-03-23 08:00"))
    rested = make_shift(scenario, utc("2026-03-24 03:00"))
    assert validate_roster(scenario, make_roster([first, rested])) == []
    tired = make_shift(scenario, utc("2026-03-24 02:00"))
    found = validate_roster(scenario, make_roster([first, tired]))
    assert rules(found) == [("rest", "a1", "2026-03-24T02:00:00Z")]
    assert found[0].label == "at least 11 h rest between shifts"


def test_rest_is_per_agent() -> None:
    scenario = make_scenario(agents=[make_agent(id="a1"), make_agent(id="a2")])
    shifts = [
        make_shift(scenario, utc("2026-03-23 08:00"), agent_id="a1"),
        make_shift(scenario, utc("2026-03-24 02:00"), agent_id="a2"),
    ]
    assert validate_roster(scenario, make_roster(shifts)) == []


def test_max_consecutive_days() -> None:
    scenario = make_scenario(
        contracts=[make_contract(max_consecutive_days=3, min_days_off_per_week=0)]
    )
    days = [make_shift(scenario, utc("2026-03-23 08:00") + timedelta(days=d)) for d in range(5)]
    three_then_off = [days[0], days[1], days[2], days[4]]
    assert validate_roster(scenario, make_roster(three_then_off)) == []
    found = validate_roster(scenario, make_roster(days[:4]))
    assert rules(found) == [("max_consecutive_days", "a1", "2026-03-23")]
    assert found[0].label == "at most 3 consecutive working days"
