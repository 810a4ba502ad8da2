"""KPIs from hand-written shifts: staffing hours, coverage ratio, cost and hours per agent."""

from __future__ import annotations

from datetime import date

import pytest

from scheduler.domain import Horizon
from scheduler.validate import compute_kpis
from tests.validate.builders import (
    LUNCH,
    make_agent,
    make_contract,
    make_queue,
    make_scenario,
    make_shift,
    utc,
)

ONE_DAY = Horizon(start=date(2026, 3, 23), days=1, interval_minutes=60)


def test_live_staffing_kpis() -> None:
    """3 agents needed 10:00 (6 slots), 0.4 at 11:00 (1 slot); one agent 08:00–16:00.

    Short: 4 slots = 2 h. Over: 13 slots = 6.5 h. Met: 2 + 1 of 7 required slots.
    """
    needs = {10: 3.0, 11: 0.4}
    scenario = make_scenario(
        horizon=ONE_DAY,
        contracts=[make_contract(start_granularity_minutes=30)],
        required=lambda _queue, i: needs.get(i, 0.0),
    )
    kpis = compute_kpis(scenario, [make_shift(scenario, utc("2026-03-23 08:00"))], 1.5)
    assert kpis.under_staffed_hours == pytest.approx(2.0)
    assert kpis.over_staffed_hours == pytest.approx(6.5)
    assert kpis.coverage_ratio == pytest.approx(3 / 7)
    assert kpis.under_staffed_lower_bound_hours == 1.5
    assert kpis.under_staffed_hours_by_queue == {"phone": pytest.approx(2.0)}


def test_email_staffing_kpis_count_late_work() -> None:
    """Arrivals 4 slots at 08:00 and 2 at 09:00, due within 2 h; work done 2 slots per hour
    from 11:00. The 08:00 batch cannot be on time (nothing is done by 11:00): 4 slots = 2 h
    late; the 09:00 batch can (2 slots done by 12:00). Coverage 2 of 6 slots; work done before
    it arrived peaks at 2 slots = 1 h over."""
    arrivals = {8: 2.0, 9: 1.0}
    scenario = make_scenario(
        horizon=ONE_DAY,
        queues=[make_queue(id="mail", channel="email", response_window_hours=2)],
        contracts=[make_contract(shift_lengths_minutes=[240], start_granularity_minutes=30)],
        agents=[make_agent(skills=["mail"])],
        required=lambda _queue, i: arrivals.get(i, 0.0),
    )
    kpis = compute_kpis(scenario, [make_shift(scenario, utc("2026-03-23 11:00"))], None)
    assert kpis.under_staffed_hours == pytest.approx(2.0)
    assert kpis.over_staffed_hours == pytest.approx(1.0)
    assert kpis.coverage_ratio == pytest.approx(1 / 3)
    assert kpis.under_staffed_hours_by_queue == {"mail": pytest.approx(2.0)}


def test_email_work_due_after_the_horizon_is_not_judged() -> None:
    """Mail arriving at 23:00 with a 2 h window is due tomorrow: nothing is late, ratio 1."""
    scenario = make_scenario(
        horizon=ONE_DAY,
        queues=[make_queue(id="mail", channel="email", response_window_hours=2)],
        agents=[make_agent(skills=["mail"])],
        required=lambda _queue, i: 1.0 if i == 23 else 0.0,
    )
    kpis = compute_kpis(scenario, [], None)
    assert (kpis.under_staffed_hours, kpis.coverage_ratio) == (0.0, 1.0)


def test_cost_paid_unsocial_and_hours_per_agent() -> None:
    """a: 20:00–04:00 UTC with an unpaid lunch (7.5 paid h, 6 unsocial h, at 20 per hour) and a
    Saturday day shift (7.5 paid h); b: nothing, still listed."""
    scenario = make_scenario(
        contracts=[make_contract(breaks=[LUNCH])],
        agents=[
            make_agent(id="a", cost_per_hour=20, site="cph"),
            make_agent(id="b", cost_per_hour=30, site="mnl"),
        ],
    )
    shifts = [
        make_shift(scenario, utc("2026-03-23 20:00"), agent_id="a"),
        make_shift(scenario, utc("2026-03-28 08:00"), agent_id="a"),
    ]
    kpis = compute_kpis(scenario, shifts, None)
    assert kpis.paid_hours == 15.0
    assert kpis.labour_cost == pytest.approx(300.0)
    assert kpis.unsocial_hours == 6.0
    assert kpis.coverage_ratio == 1.0  # nothing required
    assert [
        (h.agent_id, h.site, h.shifts, h.paid_hours, h.unsocial_hours, h.weekend_shifts)
        for h in kpis.hours_per_agent
    ] == [
        ("a", "cph", 2, 15.0, 6.0, 1),
        ("b", "mnl", 0, 0.0, 0.0, 0),
    ]
