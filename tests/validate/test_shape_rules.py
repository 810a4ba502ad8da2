"""Single-shift placement rules: horizon, contract shape, availability, time off."""

from __future__ import annotations

from datetime import date

from scheduler.domain import AvailabilityWindow, TimeOff
from scheduler.roster import Violation
from scheduler.validate import validate_roster
from tests.validate.builders import (
    local,
    make_agent,
    make_contract,
    make_roster,
    make_scenario,
    make_shift,
    utc,
)


def only(violations: list[Violation]) -> Violation:
    assert len(violations) == 1, violations
    return violations[0]


def test_a_plain_shift_is_valid() -> None:
    scenario = make_scenario()
    roster = make_roster([make_shift(scenario, utc("2026-03-23 08:00"))])
    assert validate_roster(scenario, roster) == []


def test_an_empty_roster_is_valid() -> None:
    assert validate_roster(make_scenario(), make_roster([])) == []


def test_horizon_shift_running_past_the_end() -> None:
    scenario = make_scenario()
    shift = make_shift(scenario, utc("2026-03-29 20:00"))
    found = only(validate_roster(scenario, make_roster([shift])))
    assert (found.rule, found.agent_id, found.when) == ("horizon", "a1", "2026-03-29T20:00:00Z")


def test_horizon_shift_starting_before_the_start() -> None:
    scenario = make_scenario()
    shift = make_shift(scenario, utc("2026-03-22 22:00"))
    found = only(validate_roster(scenario, make_roster([shift])))
    assert (found.rule, found.when) == ("horizon", "2026-03-22T22:00:00Z")


def test_contract_shape_length_not_allowed() -> None:
    scenario = make_scenario()
    shift = make_shift(scenario, utc("2026-03-23 08:00"), 420)
    found = only(validate_roster(scenario, make_roster([shift])))
    assert (found.rule, found.agent_id, found.when) == (
        "contract_shape",
        "a1",
        "2026-03-23T08:00:00Z",
    )
    assert "480" in found.label and "420" in found.detail


def test_contract_shape_start_off_the_utc_grid() -> None:
    scenario = make_scenario(contracts=[make_contract(start_granularity_minutes=60)])
    shift = make_shift(scenario, utc("2026-03-24 08:30"))
    found = only(validate_roster(scenario, make_roster([shift])))
    assert (found.rule, found.when) == ("contract_shape", "2026-03-24T08:30:00Z")
    assert "60-min UTC grid" in found.label


def test_contract_shape_local_start_window() -> None:
    scenario = make_scenario(
        contracts=[make_contract(earliest_start="06:00", latest_start="10:00")],
        agents=[make_agent(timezone="Europe/Copenhagen")],
    )
    inside = make_shift(scenario, local("2026-03-23 10:00", "Europe/Copenhagen"))
    assert validate_roster(scenario, make_roster([inside])) == []
    late = make_shift(scenario, local("2026-03-24 11:00", "Europe/Copenhagen"))
    found = only(validate_roster(scenario, make_roster([late])))
    assert (found.rule, found.when) == ("contract_shape", "2026-03-24T10:00:00Z")
    assert found.label == "local start between 06:00 and 10:00"


def test_availability_every_slot_inside_a_local_window() -> None:
    windows = [AvailabilityWindow(weekday=0, start="08:00", end="16:00")]
    scenario = make_scenario(
        agents=[make_agent(timezone="Europe/Copenhagen", availability=windows)]
    )
    fits = make_shift(scenario, local("2026-03-23 08:00", "Europe/Copenhagen"))
    assert validate_roster(scenario, make_roster([fits])) == []
    spills = make_shift(scenario, local("2026-03-23 09:00", "Europe/Copenhagen"))
    found = only(validate_roster(scenario, make_roster([spills])))
    # the last hour starts at 16:00 local (CET, +01:00)
    assert (found.rule, found.agent_id, found.when) == (
        "availability",
        "a1",
        "2026-03-23T15:00:00Z",
    )


def test_availability_overnight_as_two_windows() -> None:
    windows = [
        AvailabilityWindow(weekday=0, start="22:00", end="24:00"),
        AvailabilityWindow(weekday=1, start="00:00", end="06:00"),
    ]
    scenario = make_scenario(agents=[make_agent(availability=windows)])
    night = make_shift(scenario, utc("2026-03-23 22:00"))
    assert validate_roster(scenario, make_roster([night])) == []


def test_time_off_no_slot_on_a_day_off() -> None:
    """A night shift starting the evening before a day off still works on that day."""
    off = [TimeOff(start=date(2026, 3, 24), end=date(2026, 3, 24))]
    scenario = make_scenario(agents=[make_agent(time_off=off)])
    before = make_shift(scenario, utc("2026-03-23 08:00"))
    assert validate_roster(scenario, make_roster([before])) == []
    night = make_shift(scenario, utc("2026-03-23 22:00"))
    found = only(validate_roster(scenario, make_roster([night])))
    assert (found.rule, found.agent_id, found.when) == ("time_off", "a1", "2026-03-24")


def test_time_off_is_a_local_date() -> None:
    """A Los Angeles shift 23:00Z–07:00Z ends at local midnight before a Tuesday off, so it is
    fine; an hour later its last hour is on Tuesday."""
    off = [TimeOff(start=date(2026, 3, 24), end=date(2026, 3, 24))]
    scenario = make_scenario(agents=[make_agent(timezone="America/Los_Angeles", time_off=off)])
    evening = make_shift(scenario, utc("2026-03-23 23:00"))  # 16:00–24:00 PDT Monday
    assert validate_roster(scenario, make_roster([evening])) == []
    later = make_shift(scenario, utc("2026-03-24 00:00"))  # 17:00 Monday – 01:00 Tuesday PDT
    found = only(validate_roster(scenario, make_roster([later])))
    assert (found.rule, found.when) == ("time_off", "2026-03-24")


def test_shift_fields_catch_a_wrong_local_date_and_an_unknown_agent() -> None:
    scenario = make_scenario(agents=[make_agent(timezone="Australia/Sydney")])
    shift = make_shift(scenario, utc("2026-03-23 14:00"))  # 01:00 local on the 24th
    wrong = shift.model_copy(update={"local_date": "2026-03-23"})
    found = only(validate_roster(scenario, make_roster([wrong])))
    assert (found.rule, found.agent_id) == ("shift_fields", "a1")
    assert "2026-03-24" in found.detail
    stranger = shift.model_copy(update={"agent_id": "ghost"})
    found = only(validate_roster(scenario, make_roster([stranger])))
    assert (found.rule, found.agent_id) == ("shift_fields", "ghost")
