"""Coverage rows from allocation, the coverage_consistency rule, and a property: rosters of
legal shifts are valid and their coverage adds up to the allocated agent-hours."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.domain import Horizon, Scenario
from scheduler.roster import CoverageRow, ShiftOut
from scheduler.validate import compute_coverage, validate_roster
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


def two_queues(required: float = 1.0) -> Scenario:
    return make_scenario(
        required=required,
        queues=[make_queue(id="phone"), make_queue(id="chat", channel="chat")],
        contracts=[make_contract(breaks=[LUNCH])],
        agents=[make_agent(skills=["phone", "chat"])],
    )


def by_key(rows: list[CoverageRow]) -> dict[tuple[str, str], float]:
    return {(r.queue, r.interval_start.strftime("%d %H:%M")): r.scheduled for r in rows}


def test_scheduled_counts_allocated_time_not_breaks() -> None:
    scenario = two_queues()
    shift = make_shift(
        scenario,
        utc("2026-03-23 08:00"),
        allocation=[("phone", 0, 30), ("chat", 30, 180), ("chat", 210, 480)],
    )  # lunch 11:00–11:30
    rows = compute_coverage(scenario, [shift])
    assert len(rows) == 2 * 7 * 24
    scheduled = by_key(rows)
    assert scheduled[("phone", "23 08:00")] == 0.5
    assert scheduled[("chat", "23 08:00")] == 0.5
    assert scheduled[("chat", "23 11:00")] == 0.5
    assert scheduled[("chat", "23 15:00")] == 1.0
    assert scheduled[("chat", "23 16:00")] == 0.0
    assert sum(scheduled.values()) == pytest.approx(7.5)
    assert {r.required for r in rows} == {1.0}


def test_coverage_consistency_accepts_the_computed_rows() -> None:
    scenario = two_queues()
    shift = make_shift(scenario, utc("2026-03-23 08:00"))
    roster = make_roster([shift], compute_coverage(scenario, [shift]))
    assert validate_roster(scenario, roster) == []


def test_coverage_consistency_wrong_scheduled_value() -> None:
    scenario = two_queues()
    shift = make_shift(scenario, utc("2026-03-23 08:00"))
    rows = compute_coverage(scenario, [shift])
    position = next(i for i, r in enumerate(rows) if r.queue == "phone" and r.scheduled == 1.0)
    rows[position] = rows[position].model_copy(update={"scheduled": 2.0})
    found = validate_roster(scenario, make_roster([shift], rows))
    assert [(v.rule, v.queue, v.when) for v in found] == [
        ("coverage_consistency", "phone", "2026-03-23T08:00:00Z")
    ]


def test_coverage_consistency_wrong_required_missing_and_duplicate_rows() -> None:
    scenario = two_queues()
    rows = compute_coverage(scenario, [])
    rows[0] = rows[0].model_copy(update={"required": 3.0})
    rows[-1] = rows[-2]  # chat's last interval missing, the one before given twice
    found = validate_roster(scenario, make_roster([], rows))
    assert [(v.rule, v.queue, v.when) for v in found] == [
        ("coverage_consistency", "phone", "2026-03-23T00:00:00Z"),
        ("coverage_consistency", "chat", "2026-03-29T22:00:00Z"),
        ("coverage_consistency", "chat", "2026-03-29T23:00:00Z"),
    ]
    assert "twice" in found[1].detail and "1 of 168" in found[2].detail


# --- property: legal shifts only ------------------------------------------------------------

HORIZON_HOURS = 72


def dst_scenario() -> Scenario:
    """Three zones over the Copenhagen spring-forward weekend, 8-hour shifts with lunch and
    4-hour shifts without, two queues."""
    return make_scenario(
        horizon=Horizon(start=date(2026, 3, 28), days=3, interval_minutes=60),
        queues=[make_queue(id="phone"), make_queue(id="chat", channel="chat")],
        contracts=[make_contract(shift_lengths_minutes=[480, 240], breaks=[LUNCH])],
        agents=[
            make_agent(id="cph", timezone="Europe/Copenhagen", skills=["phone", "chat"]),
            make_agent(id="syd", timezone="Australia/Sydney", skills=["chat", "phone"]),
            make_agent(id="nyc", timezone="America/New_York", skills=["phone"]),
        ],
        required=0.5,
    )


SCENARIO = dst_scenario()


@st.composite
def legal_shift(draw: st.DrawFn, agent_id: str, skills: list[str], start_hour: int) -> ShiftOut:
    """One legal shift: a contract length, lunch inside its window, working time cut into
    consecutive spans on the agent's skills."""
    length = draw(
        st.sampled_from([480, 240]).filter(lambda n: start_hour * 60 + n <= HORIZON_HOURS * 60)
    )
    breaks = [("lunch", draw(st.sampled_from([180, 210, 240, 270])), 30)] if length == 480 else []
    working = [m for m in range(0, length, 30) if not any(o <= m < o + d for _, o, d in breaks)]
    cuts = draw(st.sets(st.sampled_from(working[1:]), max_size=3))
    allocation: list[tuple[str, int, int]] = []
    for minute in working:
        queue = (
            allocation[-1][0]
            if allocation and minute not in cuts
            else draw(st.sampled_from(skills))
        )
        if allocation and allocation[-1][0] == queue and allocation[-1][2] == minute:
            allocation[-1] = (queue, allocation[-1][1], minute + 30)
        else:
            allocation.append((queue, minute, minute + 30))
    start = utc("2026-03-28 00:00") + timedelta(hours=start_hour)
    return make_shift(
        SCENARIO, start, length, agent_id=agent_id, breaks=breaks, allocation=allocation
    )


@st.composite
def legal_rosters(draw: st.DrawFn) -> list[ShiftOut]:
    """Up to two shifts per agent, 32 h apart or more (distinct local days, rest respected)."""
    shifts: list[ShiftOut] = []
    for agent in SCENARIO.agents:
        starts = sorted(draw(st.lists(st.integers(0, HORIZON_HOURS - 4), max_size=2, unique=True)))
        if len(starts) == 2 and starts[1] - starts[0] < 32:
            starts = starts[:1]
        shifts += [draw(legal_shift(agent.id, agent.skills, hour)) for hour in starts]
    return shifts


@settings(max_examples=40, deadline=None)
@given(legal_rosters())
def test_coverage_of_legal_rosters_adds_up(shifts: list[ShiftOut]) -> None:
    rows = compute_coverage(SCENARIO, shifts)
    assert validate_roster(SCENARIO, make_roster(shifts, rows)) == []
    allocated_hours = sum(
        (span.end - span.start) / timedelta(hours=1) for s in shifts for span in s.allocation
    )
    interval_hours = SCENARIO.horizon.interval_minutes / 60
    assert sum(r.scheduled for r in rows) == pytest.approx(allocated_hours / interval_hours)
