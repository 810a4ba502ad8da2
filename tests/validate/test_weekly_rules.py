"""Rules per week block of local dates (hours, days off, unsocial shifts) and per horizon
(weekend days)."""

from __future__ import annotations

from datetime import timedelta

from scheduler.domain import Scenario
from scheduler.roster import ShiftOut, Violation
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


def daily(scenario: Scenario, first: str, count: int) -> list[ShiftOut]:
    """``count`` default shifts on consecutive days from ``first`` (UTC)."""
    return [make_shift(scenario, utc(first) + timedelta(days=d)) for d in range(count)]


def test_max_weekly_hours() -> None:
    scenario = make_scenario(contracts=[make_contract(max_hours_per_week=24)])
    assert validate_roster(scenario, make_roster(daily(scenario, "2026-03-23 08:00", 3))) == []
    found = validate_roster(scenario, make_roster(daily(scenario, "2026-03-23 08:00", 4)))
    assert rules(found) == [("max_weekly_hours", "a1", "2026-03-23")]
    assert found[0].label == "at most 24 paid hours per week"


def test_week_blocks_follow_local_dates() -> None:
    """Monday 00:00Z is Sunday evening in New York: that shift belongs to the block before."""
    scenario = make_scenario(
        contracts=[make_contract(max_hours_per_week=16, min_rest_hours=8)],
        agents=[make_agent(timezone="America/New_York")],
    )
    shifts = daily(scenario, "2026-03-23 00:00", 3)  # local Sun 22nd, Mon 23rd, Tue 24th
    assert validate_roster(scenario, make_roster(shifts)) == []


def test_min_days_off() -> None:
    scenario = make_scenario(
        contracts=[make_contract(min_days_off_per_week=2, max_hours_per_week=60)]
    )
    assert validate_roster(scenario, make_roster(daily(scenario, "2026-03-23 08:00", 5))) == []
    found = validate_roster(scenario, make_roster(daily(scenario, "2026-03-23 08:00", 6)))
    assert rules(found) == [("min_days_off", "a1", "2026-03-23")]
    assert found[0].label == "at least 2 days off per week"


def test_max_unsocial_shifts() -> None:
    scenario = make_scenario(contracts=[make_contract(max_unsocial_shifts_per_week=1)])
    monday_night = make_shift(scenario, utc("2026-03-23 22:00"))
    wednesday_day = make_shift(scenario, utc("2026-03-25 08:00"))
    wednesday_night = make_shift(scenario, utc("2026-03-25 22:00"))
    assert validate_roster(scenario, make_roster([monday_night, wednesday_day])) == []
    found = validate_roster(scenario, make_roster([monday_night, wednesday_night]))
    assert rules(found) == [("max_unsocial_shifts", "a1", "2026-03-23")]


def test_an_evening_shift_with_two_unsocial_hours_is_not_unsocial() -> None:
    scenario = make_scenario(contracts=[make_contract(max_unsocial_shifts_per_week=0)])
    evening = make_shift(scenario, utc("2026-03-23 16:00"))  # 22:00–24:00 is 2 h < 3 h
    assert validate_roster(scenario, make_roster([evening])) == []


def test_max_weekend_days() -> None:
    scenario = make_scenario(contracts=[make_contract(max_weekend_days=1)])
    saturday = make_shift(scenario, utc("2026-03-28 08:00"))
    sunday = make_shift(scenario, utc("2026-03-29 08:00"))
    friday = make_shift(scenario, utc("2026-03-27 08:00"))
    assert validate_roster(scenario, make_roster([friday, saturday])) == []
    found = validate_roster(scenario, make_roster([saturday, sunday]))
    assert rules(found) == [("max_weekend_days", "a1", "2026-03-29")]
