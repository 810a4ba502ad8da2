"""What happens inside a shift: the contract's breaks, and allocation of the working time."""

from __future__ import annotations

from scheduler.domain import Scenario
from scheduler.roster import Violation
from scheduler.validate import validate_roster
from tests.validate.builders import (
    LUNCH,
    make_agent,
    make_contract,
    make_queue,
    make_roster,
    make_scenario,
    make_shift,
    utc,
)

START = "2026-03-23 08:00"


def with_lunch() -> Scenario:
    """8-hour shifts get a 30-minute lunch within hours 3–5; 4-hour shifts get none."""
    return make_scenario(
        queues=[make_queue(id="phone"), make_queue(id="chat", channel="chat")],
        contracts=[make_contract(shift_lengths_minutes=[480, 240], breaks=[LUNCH])],
    )


def only(violations: list[Violation]) -> Violation:
    assert len(violations) == 1, violations
    return violations[0]


def test_shifts_with_the_contract_breaks_are_valid() -> None:
    scenario = with_lunch()
    long = make_shift(scenario, utc(START), 480, breaks=[("lunch", 270, 30)])
    short = make_shift(scenario, utc("2026-03-24 08:00"), 240)
    assert validate_roster(scenario, make_roster([long, short])) == []


def test_breaks_missing() -> None:
    scenario = with_lunch()
    shift = make_shift(scenario, utc(START), 480, breaks=[])
    found = only(validate_roster(scenario, make_roster([shift])))
    assert (found.rule, found.agent_id, found.when) == ("breaks", "a1", "2026-03-23T08:00:00Z")
    assert "lunch" in found.label and "no 'lunch' break" in found.detail


def test_breaks_outside_their_window() -> None:
    scenario = with_lunch()
    shift = make_shift(scenario, utc(START), 480, breaks=[("lunch", 285, 30)])
    found = only(validate_roster(scenario, make_roster([shift])))
    assert (found.rule, found.when) == ("breaks", "2026-03-23T12:45:00Z")


def test_breaks_wrong_duration() -> None:
    scenario = with_lunch()
    shift = make_shift(scenario, utc(START), 480, breaks=[("lunch", 180, 45)])
    found = only(validate_roster(scenario, make_roster([shift])))
    assert found.rule == "breaks" and "45 min" in found.detail


def test_breaks_not_due_on_a_short_shift() -> None:
    scenario = with_lunch()
    shift = make_shift(scenario, utc(START), 240, breaks=[("lunch", 120, 30)])
    found = only(validate_roster(scenario, make_roster([shift])))
    assert (found.rule, found.when) == ("breaks", "2026-03-23T10:00:00Z")


def test_breaks_given_twice() -> None:
    scenario = with_lunch()
    shift = make_shift(scenario, utc(START), 480, breaks=[("lunch", 180, 30), ("lunch", 240, 30)])
    found = only(validate_roster(scenario, make_roster([shift])))
    assert found.rule == "breaks" and "2 'lunch' breaks" in found.detail


def test_allocation_to_a_queue_outside_the_skills() -> None:
    scenario = with_lunch()
    shift = make_shift(
        scenario, utc(START), 240, allocation=[("phone", 0, 120), ("chat", 120, 240)]
    )
    found = only(validate_roster(scenario, make_roster([shift])))
    assert (found.rule, found.agent_id, found.queue, found.when) == (
        "allocation",
        "a1",
        "chat",
        "2026-03-23T10:00:00Z",
    )


def test_allocation_split_across_skills_is_valid() -> None:
    scenario = make_scenario(
        queues=[make_queue(id="phone"), make_queue(id="chat", channel="chat")],
        agents=[make_agent(skills=["phone", "chat"])],
    )
    shift = make_shift(scenario, utc(START), allocation=[("phone", 0, 150), ("chat", 150, 480)])
    assert validate_roster(scenario, make_roster([shift])) == []


def test_allocation_leaves_a_gap() -> None:
    scenario = with_lunch()
    shift = make_shift(
        scenario, utc(START), 240, allocation=[("phone", 0, 90), ("phone", 120, 240)]
    )
    found = only(validate_roster(scenario, make_roster([shift])))
    assert (found.rule, found.when) == ("allocation", "2026-03-23T09:30:00Z")
    assert "30 min" in found.detail


def test_allocation_works_through_a_break() -> None:
    scenario = with_lunch()
    shift = make_shift(scenario, utc(START), 480, allocation=[("phone", 0, 480)])
    found = only(validate_roster(scenario, make_roster([shift])))
    assert (found.rule, found.queue, found.when) == ("allocation", "phone", "2026-03-23T11:00:00Z")


def test_allocation_spans_overlap() -> None:
    scenario = with_lunch()
    shift = make_shift(
        scenario, utc(START), 240, allocation=[("phone", 0, 150), ("phone", 120, 240)]
    )
    found = only(validate_roster(scenario, make_roster([shift])))
    assert (found.rule, found.when) == ("allocation", "2026-03-23T10:00:00Z")
    assert "overlap" in found.detail


def test_allocation_outside_the_shift() -> None:
    scenario = with_lunch()
    shift = make_shift(scenario, utc(START), 240, allocation=[("phone", 0, 270)])
    found = only(validate_roster(scenario, make_roster([shift])))
    assert found.rule == "allocation" and "not inside" in found.detail
