"""Comparisons are computed from the solved rosters; hiring advice meets its goal when re-solved."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scheduler.domain import DemandRow, Queue
from scheduler.roster import CoverageRow
from scheduler.solve.facade import solve
from scheduler.staffing import service_level
from scheduler.whatif import (
    apply,
    base_variant,
    check_goal,
    compare,
    measure,
    recommend_hires,
    solve_variants,
)
from tests.whatif.helpers import FAST, HORIZON, overlay, small_team

HIRES = {
    "hires": [
        {"site": "Lisbon", "timezone": "Europe/Lisbon", "skills": ["en"], "contract": "ft",
         "cost_per_hour": 15, "up_to": 2},
        {"site": "Riyadh", "timezone": "Asia/Riyadh", "skills": ["en"], "contract": "ft",
         "cost_per_hour": 30, "up_to": 2},
    ],
    "goal": {"queues": ["en"], "coverage": 1.0},
}


def test_metrics_are_read_off_the_roster_coverage() -> None:
    variant = base_variant(small_team())
    roster = solve(variant.scenario, FAST).roster
    metrics = measure(variant, roster)
    required = sum(row.required for row in roster.coverage)  # 60-minute intervals: agent-hours
    met = sum(min(row.required, row.scheduled) for row in roster.coverage)
    assert metrics.queue("en").required_hours == pytest.approx(required)
    assert metrics.coverage == pytest.approx(met / required, abs=1e-4)
    assert metrics.under_staffed_hours == pytest.approx(required - met)
    assert metrics.agents_used == len({s.agent_id for s in roster.shifts})
    assert sum(metrics.site_hours.values()) == pytest.approx(sum(s.paid_hours for s in roster.shifts))
    # change the roster, not the scenario: the figures follow the roster
    emptied = roster.model_copy(update={"coverage": [
        row.model_copy(update={"scheduled": 0.0}) for row in roster.coverage
    ]})
    assert measure(variant, emptied).coverage == 0.0


def test_projected_service_level_is_erlang_c_on_the_scheduled_agents() -> None:
    scenario = small_team(
        queues=[Queue(id="en", language="en", channel="phone", shrinkage=0.25)],
        demand=[
            DemandRow(queue="en", interval_start=HORIZON.interval_start(i), volume=30 if i == 9 else 0, aht_seconds=240)
            for i in range(HORIZON.interval_count)
        ],
    )
    variant = base_variant(scenario)
    roster = solve(scenario, FAST).roster
    nine = HORIZON.interval_start(9)
    staffed = roster.model_copy(update={"coverage": [
        CoverageRow(queue="en", interval_start=nine, required=4, scheduled=4.0),
        *[row for row in roster.coverage if row.interval_start != nine],
    ]})
    expected = service_level(3, 30 * 240 / 3600, 240, 20)  # 4 scheduled, 25 % shrinkage → 3 answer
    assert measure(variant, staffed).queue("en").service_level == pytest.approx(expected, abs=1e-4)


def test_variants_share_seed_and_limits_and_deltas_are_differences() -> None:
    base = small_team()
    variants = [base_variant(base), apply(base, [overlay({"demand": [{"scale": 1.5}]}, "growth.yaml")])]
    solved = solve_variants(variants, FAST, parallel=2)
    comparison = compare(solved, FAST)
    first, second = comparison.variants
    change = comparison.deltas["growth"]
    assert change.under_staffed_hours == pytest.approx(second.under_staffed_hours - first.under_staffed_hours)
    assert change.labour_cost == pytest.approx(second.labour_cost - first.labour_cost)
    assert second.queue("en").required_hours == pytest.approx(1.5 * first.queue("en").required_hours)
    again = solve_variants(variants, FAST, parallel=1)  # same seed + deterministic time: same rosters
    assert [s.roster.shifts for s in again] == [s.roster.shifts for s in solved]


def test_recommended_hires_meet_the_goal_as_a_plain_scenario_and_are_minimal() -> None:
    variant = apply(small_team(), [overlay(HIRES, "hiring.yaml")])
    with_all = solve_variants([variant], FAST)[0]
    advice = recommend_hires(variant, with_all, FAST)
    assert advice.reachable and advice.goal_check.met
    # two agents, two needed 08–16 UTC both days: coverage 1.0 needs no hire unless rules bite
    plain = variant.with_hires(set(advice.hires))
    rechecked = measure(replace(base_variant(plain), name="check"), solve(plain, FAST).roster)
    assert check_goal(advice.goal, rechecked).met
    if advice.hires:
        fewer = variant.with_hires(set(advice.hires[1:]))
        short = measure(base_variant(fewer), solve(fewer, FAST).roster)
        assert not check_goal(advice.goal, short).met


def test_hiring_fills_a_gap_the_team_cannot_and_prices_one_more() -> None:
    team = small_team(demand=[
        row.model_copy(update={"required": 3.0 if row.required else 0.0}) for row in small_team().demand
    ])
    variant = apply(team, [overlay(HIRES, "hiring.yaml")])
    with_all = solve_variants([variant], FAST)[0]
    advice = recommend_hires(variant, with_all, FAST)
    assert advice.reachable
    assert sum(advice.recommended.values()) == len(advice.hires) >= 1
    plain = variant.with_hires(set(advice.hires))
    assert check_goal(advice.goal, measure(base_variant(plain), solve(plain, FAST).roster)).met
    assert advice.hire_labour_cost > 0
    assert {m.group for m in advice.marginal} <= {"Lisbon en", "Riyadh en"}
    assert all(m.under_staffed_hours <= 1e-6 for m in advice.marginal)  # the goal is already met


def test_an_unreachable_goal_is_reported_not_faked() -> None:
    team = small_team(demand=[
        row.model_copy(update={"required": 9.0 if row.required else 0.0}) for row in small_team().demand
    ])
    variant = apply(team, [overlay(HIRES, "hiring.yaml")])
    advice = recommend_hires(variant, solve_variants([variant], FAST)[0], FAST)
    assert not advice.reachable and advice.hires == [] and advice.goal_check.shortfalls
