"""Objective terms recomputed from hand-written rosters, against hand-computed points.

Each case switches every weight off except the term under test (``quiet_weights``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from scheduler.domain import (
    BreakRule,
    DaysOffPreference,
    Horizon,
    Policy,
    Preferences,
    Scenario,
    ShiftRequest,
    ShiftType,
    ShiftTypeDemand,
    StartWindowPreference,
    TimeOff,
)
from scheduler.roster import ShiftOut
from scheduler.validate import objective_breakdown
from tests.validate.builders import (
    LUNCH,
    make_agent,
    make_contract,
    make_queue,
    make_roster,
    make_scenario,
    make_shift,
    quiet_weights,
    utc,
)

ONE_DAY = Horizon(start=date(2026, 3, 23), days=1, interval_minutes=60)


def live_scenario() -> Scenario:
    """Phone priority 2; 3 agents needed 10:00–11:00 (6 agent-slots), 0.4 at 11:00 (1 slot).

    Starts on a 30-minute grid make the slot 30 minutes, so an interval is 2 slots.
    """
    needs = {10: 3.0, 11: 0.4}
    return make_scenario(
        horizon=ONE_DAY,
        queues=[make_queue(priority=2)],
        contracts=[make_contract(start_granularity_minutes=30)],
        required=lambda _queue, i: needs.get(i, 0.0),
        policy=Policy(weights=quiet_weights(under_staffing=1000, over_staffing=5)),
    )


@pytest.mark.parametrize(
    ("starts", "under", "over"),
    [
        # 08–16 covers 2 of the 6 slots at 10:00: deficit 4 = 2×1 + 2×2 = 6 weighted slots;
        # over: 2 slots in each of six idle hours + 1 at 11:00 = 13 slots.
        (["2026-03-23 08:00"], 1000 * 2 * 0.5 * 6, 5 * 0.5 * 13),
        # nobody: 10:00 deficit 6 = 2 + 2×2 + 2×4 = 14, 11:00 deficit 1 = 1.
        ([], 1000 * 2 * 0.5 * 15, 0.0),
        # 10:30–18:30 covers 1 slot at 10:00: deficit 5 = 2 + 2×2 + 1×4 = 10;
        # over: 1 at 11:00, 2 in each of 12:00–17:00, 1 at 18:00 = 14.
        (["2026-03-23 10:30"], 1000 * 2 * 0.5 * 10, 5 * 0.5 * 14),
        # 08–16 and 09–17: deficit 2 at 10:00 = 2 weighted slots; over 2 at 08:00, 4 at 09:00,
        # 3 at 11:00, 4 in each of 12:00–15:00, 2 at 16:00 = 27.
        (["2026-03-23 08:00", "2026-03-23 09:00"], 1000 * 2 * 0.5 * 2, 5 * 0.5 * 27),
    ],
    ids=["one-agent", "nobody", "half-interval", "two-agents"],
)
def test_live_under_staffing_is_convex(starts: list[str], under: float, over: float) -> None:
    scenario = live_scenario()
    if len(starts) == 2:
        scenario = scenario.model_copy(
            update={"agents": [make_agent(id="a1"), make_agent(id="a2")]}
        )
    shifts = [
        make_shift(scenario, utc(start), agent_id=f"a{n + 1}") for n, start in enumerate(starts)
    ]
    breakdown = objective_breakdown(scenario, make_roster(shifts))
    assert breakdown.under_staffing == pytest.approx(under)
    assert breakdown.over_staffing == pytest.approx(over)
    assert breakdown.total == pytest.approx(under + over)


def test_email_overdue_backlog() -> None:
    """Email arrives 08:00 (4 slots) and 09:00 (2 slots), due within 2 intervals; one agent
    works it 11:00–15:00 (2 slots per interval).

    A = 4, 6, 6 …; D = 0 … 0, 2 (11:00), 4, 6, 8 …; overdue at 10:00 = 4, 11:00 = 6 − 2 = 4,
    12:00 = 2, then 0: 10 slots. Done ahead of arrival: 2 slots at each of 14:00–23:00 = 20.
    """
    arrivals = {8: 2.0, 9: 1.0}
    scenario = make_scenario(
        horizon=ONE_DAY,
        queues=[make_queue(id="mail", channel="email", response_window_hours=2)],
        contracts=[make_contract(shift_lengths_minutes=[240], start_granularity_minutes=30)],
        agents=[make_agent(skills=["mail"])],
        required=lambda _queue, i: arrivals.get(i, 0.0),
        policy=Policy(weights=quiet_weights(under_staffing=1000, over_staffing=5)),
    )
    shift = make_shift(scenario, utc("2026-03-23 11:00"))
    breakdown = objective_breakdown(scenario, make_roster([shift]))
    assert breakdown.under_staffing == pytest.approx(1000 * 0.5 * 10)
    assert breakdown.over_staffing == pytest.approx(5 * 0.5 * 20)


def ten_day_scenario(**overrides: Any) -> Scenario:
    fields: dict[str, Any] = {
        "horizon": Horizon(start=date(2026, 3, 23), days=10, interval_minutes=60),
        "contracts": [make_contract(min_hours_per_week=32)],
        "policy": Policy(weights=quiet_weights(min_hours_shortfall=20)),
    }
    return make_scenario(**(fields | overrides))


def on_days(scenario: Scenario, days: list[int], hour: str = "08:00") -> list[ShiftOut]:
    first = utc(f"2026-03-23 {hour}")
    return [make_shift(scenario, first + timedelta(days=d)) for d in days]


def test_min_hours_shortfall_is_prorated_for_a_partial_week() -> None:
    """Block 0: 32 h target, 24 h worked → 8 slots short. Block 1 has 3 of its days in the
    horizon: ceil(32 × 3/7) = 14 h target, 8 h worked → 6 short. Slot = 1 h; 20 points per hour."""
    scenario = ten_day_scenario()
    roster = make_roster(on_days(scenario, [0, 1, 2, 7]))
    assert objective_breakdown(scenario, roster).min_hours_shortfall == pytest.approx(20 * 14)


def test_min_hours_time_off_days_are_not_counted() -> None:
    """With 2026-04-01 off, block 1 counts 2 days: ceil(32 × 2/7) = 10 h target, 2 short."""
    off = [TimeOff(start=date(2026, 4, 1), end=date(2026, 4, 1))]
    scenario = ten_day_scenario(agents=[make_agent(time_off=off)])
    roster = make_roster(on_days(scenario, [0, 1, 2, 7]))
    assert objective_breakdown(scenario, roster).min_hours_shortfall == pytest.approx(20 * 10)


def test_min_hours_shift_on_the_local_day_after_the_horizon_does_not_count() -> None:
    """In Sydney the last UTC afternoon is the local day after the horizon (day index 10): it
    falls in block 1 by floor division but is outside the horizon, so it counts for nothing."""
    scenario = ten_day_scenario(agents=[make_agent(timezone="Australia/Sydney")])
    edge = make_shift(scenario, utc("2026-04-01 14:00"))  # 01:00 on 2 April, Sydney
    assert edge.local_date == "2026-04-02"
    breakdown = objective_breakdown(scenario, make_roster([edge]))
    assert breakdown.min_hours_shortfall == pytest.approx(20 * (32 + 14))


def test_labour_cost_is_rounded_to_a_sixtieth_of_a_point() -> None:
    """12.345 per hour × 7.5 paid hours = 92.5875 → 5555.25 sixtieths → 5555/60."""
    scenario = make_scenario(
        contracts=[make_contract(breaks=[LUNCH])],
        agents=[make_agent(cost_per_hour=12.345)],
        policy=Policy(weights=quiet_weights(labour_cost=1)),
    )
    roster = make_roster([make_shift(scenario, utc("2026-03-23 08:00"))])
    assert objective_breakdown(scenario, roster).labour_cost == pytest.approx(5555 / 60)


def test_paid_breaks_are_paid() -> None:
    coffee = BreakRule(
        name="coffee", minutes=15, earliest_start_offset=60, latest_end_offset=120, paid=True
    )
    scenario = make_scenario(
        contracts=[make_contract(breaks=[coffee])],
        agents=[make_agent(cost_per_hour=10)],
        policy=Policy(weights=quiet_weights(labour_cost=1)),
    )
    roster = make_roster([make_shift(scenario, utc("2026-03-23 08:00"))])
    assert objective_breakdown(scenario, roster).labour_cost == pytest.approx(80)


def test_unsocial_hours() -> None:
    """20:00–04:00 UTC has 22:00–04:00 in the window: 6 h × 40."""
    scenario = make_scenario(policy=Policy(weights=quiet_weights(unsocial_hours=40)))
    roster = make_roster([make_shift(scenario, utc("2026-03-23 20:00"))])
    assert objective_breakdown(scenario, roster).unsocial_hours == pytest.approx(240)


def test_preferences() -> None:
    """Start window 08:00–10:00 (weight 3), Saturdays off (weight 2), times 5:
    Sat 12:00 breaks both (25), Mon 09:00 none, Sun 08:00 none, Tue 11:00 the window (15)."""
    prefs = Preferences(
        start_window=StartWindowPreference(earliest="08:00", latest="10:00", weight=3),
        days_off=DaysOffPreference(weekdays=[5], weight=2),
    )
    scenario = make_scenario(
        agents=[make_agent(preferences=prefs)],
        policy=Policy(weights=quiet_weights(preferences=5)),
    )
    starts = ["2026-03-28 12:00", "2026-03-23 09:00", "2026-03-29 08:00", "2026-03-24 11:00"]
    roster = make_roster([make_shift(scenario, utc(s)) for s in starts])
    assert objective_breakdown(scenario, roster).preferences == pytest.approx(40)


def test_fairness_spreads_within_each_contract() -> None:
    """On 'full': a works Mon night (unsocial) and Saturday, b works Tuesday, c nothing:
    spreads are 16 h, 1 weekend shift and 1 unsocial shift → 10 × 18. 'solo' has one agent."""
    scenario = make_scenario(
        contracts=[make_contract(id="full"), make_contract(id="solo")],
        agents=[
            make_agent(id="a"),
            make_agent(id="b"),
            make_agent(id="c"),
            make_agent(id="d", contract="solo"),
        ],
        policy=Policy(weights=quiet_weights(fairness=10)),
    )
    shifts = [
        make_shift(scenario, utc("2026-03-23 22:00"), agent_id="a"),
        make_shift(scenario, utc("2026-03-28 08:00"), agent_id="a"),
        make_shift(scenario, utc("2026-03-24 08:00"), agent_id="b"),
        make_shift(scenario, utc("2026-03-25 22:00"), agent_id="d"),
    ]
    assert objective_breakdown(scenario, make_roster(shifts)).fairness == pytest.approx(180)


def test_total_is_the_sum_of_the_terms() -> None:
    """Every term is non-zero; the shift-type terms come from an E nobody works."""
    scenario = make_scenario(
        required=1.0,
        contracts=[make_contract(min_hours_per_week=20, breaks=[LUNCH])],
        shift_types=[ShiftType(id="E", start="06:00", minutes=480)],
        shift_demand=[ShiftTypeDemand(date=date(2026, 3, 24), shift_type="E", required=1)],
        agents=[
            make_agent(
                id="a",
                cost_per_hour=20,
                shift_requests=[ShiftRequest(date=date(2026, 3, 25), shift_type="E", kind="on")],
            ),
            make_agent(
                id="b",
                cost_per_hour=30,
                preferences=Preferences(days_off=DaysOffPreference(weekdays=[5])),
            ),
        ],
    )
    shifts = [
        make_shift(scenario, utc("2026-03-23 20:00"), agent_id="a"),
        make_shift(scenario, utc("2026-03-23 21:00"), agent_id="b"),
        make_shift(scenario, utc("2026-03-28 08:00"), agent_id="b"),
    ]
    breakdown = objective_breakdown(scenario, make_roster(shifts))
    terms = breakdown.model_dump(exclude={"total"})
    assert all(value > 0 for value in terms.values()), terms
    assert breakdown.total == pytest.approx(sum(terms.values()))
