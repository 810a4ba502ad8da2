"""The facade end to end: rosters are valid, objectives agree with the independent validator,
DST is exact in both hemispheres, infeasibility is explained, runs are reproducible."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.domain import Horizon, Queue, Scenario, TimeOff
from scheduler.roster import SolveStatus
from scheduler.solve.facade import SolveResult, solve
from scheduler.solve.params import SolveParams
from scheduler.validate import objective_breakdown, validate_roster
from tests.builders import MEAL, flat_demand, make_agent, make_contract, make_scenario

FAST = SolveParams(time_limit=10, deterministic_time=3, workers=1, seed=3)


def _team(horizon: Horizon, zones: list[str]):
    queues = [Queue(id="en", language="en", channel="phone"), Queue(id="da", language="da", channel="phone")]
    demand = flat_demand(horizon, "en", [1 + (8 <= i % 24 < 18) for i in range(horizon.interval_count)])
    demand += flat_demand(horizon, "da", [float(7 <= i % 24 < 15) for i in range(horizon.interval_count)])
    agents = [
        make_agent(f"a{k}", timezone=zone, skills=["en", "da"] if k % 2 else ["en"])
        for k, zone in enumerate(zones)
    ]
    return make_scenario(
        horizon=horizon,
        queues=queues,
        demand=demand,
        agents=agents,
        contracts=[make_contract(breaks=[MEAL], earliest_start="05:00", latest_start="16:00")],
    )


def test_follow_the_sun_roster_is_valid_and_scored_like_the_validator() -> None:
    scenario = _team(
        Horizon(start="2026-03-27", days=4, interval_minutes=60),  # spans EU spring-forward
        ["Europe/Copenhagen", "Europe/Copenhagen", "Australia/Sydney", "America/Chicago", "Asia/Manila"],
    )
    result = solve(scenario, FAST)
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert validate_roster(scenario, result.roster) == []
    assert objective_breakdown(scenario, result.roster).total == pytest.approx(result.objective)
    kpis = result.roster.kpis
    assert kpis is not None and kpis.under_staffed_lower_bound_hours is not None
    assert kpis.under_staffed_lower_bound_hours <= kpis.under_staffed_hours + 1e-6
    # nobody works the local night when someone else is in daytime: follow-the-sun emerges
    assert all(s.local_start.hour >= 5 for s in result.roster.shifts)


@pytest.mark.parametrize(
    ("zone", "start", "days"),
    [
        ("Europe/Copenhagen", "2026-03-28", 2),  # spring forward 29 Mar 02:00 → 03:00
        ("Europe/Copenhagen", "2026-10-24", 2),  # fall back 25 Oct 03:00 → 02:00
        ("Australia/Sydney", "2026-04-04", 2),  # fall back 5 Apr 03:00 → 02:00
        ("Australia/Sydney", "2026-10-03", 2),  # spring forward 4 Oct 02:00 → 03:00
    ],
)
def test_shifts_across_dst_are_eight_elapsed_hours(zone: str, start: str, days: int) -> None:
    horizon = Horizon(start=start, days=days, interval_minutes=60)
    contract = make_contract(earliest_start="00:00", latest_start="23:00", min_rest_hours=0, max_consecutive_days=7)
    scenario = make_scenario(
        horizon=horizon,
        agents=[make_agent("a1", timezone=zone), make_agent("a2", timezone=zone), make_agent("a3", timezone=zone)],
        contracts=[contract],
        demand=flat_demand(horizon, "en", 2),
    )
    result = solve(scenario, FAST)
    assert validate_roster(scenario, result.roster) == []
    assert result.roster.shifts
    for shift in result.roster.shifts:
        assert shift.end - shift.start == timedelta(hours=8)
        assert shift.local_start.utcoffset() == shift.local_start.tzinfo.utcoffset(shift.local_start)  # type: ignore[union-attr]


def test_no_shift_starts_at_a_wall_time_that_does_not_exist() -> None:
    """Regression: a 02:30 start on the spring-forward night must be skipped, not crash."""
    from scheduler.model.problem import compile_problem

    contract = make_contract(start_granularity_minutes=30, earliest_start="00:00", latest_start="23:30")
    scenario = make_scenario(
        horizon=Horizon(start="2026-03-29", days=1, interval_minutes=30),
        contracts=[contract],
    )
    problem = compile_problem(scenario)
    starts = {c.local_start_minute for c in problem.candidates if c.day == 0}
    assert 150 not in starts and 120 not in starts  # 02:00–02:59 did not happen in Copenhagen
    assert 180 in starts


def test_infeasible_hard_minimum_is_explained_with_agent_and_rule() -> None:
    """40 guaranteed hours (34.3 h after one day of leave) cannot fit in 4 working days of 8 h."""
    contract = make_contract(min_hours_per_week=40, min_hours_hard=True, min_days_off_per_week=3)
    agent = make_agent("maria", time_off=[TimeOff(start="2026-03-23", end="2026-03-23")])
    scenario = make_scenario(
        horizon=Horizon(start="2026-03-23", days=7, interval_minutes=60), contracts=[contract], agents=[agent]
    )
    result = solve(scenario, FAST)
    assert result.status == SolveStatus.INFEASIBLE
    explanation = result.roster.explanation
    assert explanation is not None
    assert {c.agent_id for c in explanation.conflicts} == {"maria"}
    assert {c.rule for c in explanation.conflicts} == {"min_weekly_hours", "min_days_off"}
    assert "maria" in explanation.summary


@pytest.mark.parametrize("strategy", ["cpsat", "lns"])
def test_same_seed_and_deterministic_budget_give_the_same_roster(strategy: str) -> None:
    scenario = _team(
        Horizon(start="2026-03-23", days=3, interval_minutes=60),
        ["Europe/Athens", "Asia/Riyadh", "America/Chicago", "Australia/Sydney"] * (2 if strategy == "lns" else 1),
    )
    # two workers: CP-SAT interleaves its workers; LNS solves two neighbourhoods side by side
    params = SolveParams(time_limit=60, deterministic_time=0.4, workers=2, seed=11, strategy=strategy)
    first, second = solve(scenario, params), solve(scenario, params)
    assert first.roster.shifts == second.roster.shifts
    assert first.objective == second.objective


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    zones=st.lists(
        st.sampled_from(["Europe/Copenhagen", "Australia/Sydney", "America/Chicago", "Asia/Manila", "Asia/Riyadh"]),
        min_size=1,
        max_size=4,
    ),
    start=st.sampled_from(["2026-03-27", "2026-04-03", "2026-10-02", "2026-10-23"]),
    rest=st.sampled_from([8, 11, 12]),
    max_days=st.integers(min_value=1, max_value=3),
)
def test_every_roster_respects_every_hard_rule(zones: list[str], start: str, rest: int, max_days: int) -> None:
    horizon = Horizon(start=start, days=3, interval_minutes=60)
    scenario = _team(horizon, zones)
    scenario = scenario.model_copy(
        update={"contracts": [make_contract(breaks=[MEAL], min_rest_hours=rest, max_consecutive_days=max_days)]}
    )
    result = solve(scenario, SolveParams(time_limit=5, deterministic_time=0.5, workers=1, lower_bound=False))
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert validate_roster(scenario, result.roster) == []
    _assert_scored_and_covered_consistently(scenario, result)


def test_parallel_lns_combines_neighbourhoods_into_a_valid_roster() -> None:
    zones = ["Europe/Copenhagen", "Australia/Sydney", "America/Chicago", "Asia/Manila", "Asia/Riyadh"]
    scenario = _team(Horizon(start="2026-10-23", days=4, interval_minutes=60), zones * 3)
    scenario = scenario.model_copy(update={"contracts": [make_contract(breaks=[MEAL])]})
    params = SolveParams(time_limit=30, deterministic_time=3, workers=2, strategy="lns", lower_bound=False)
    result = solve(scenario, params)
    assert result.status == SolveStatus.FEASIBLE
    assert result.stats["lns_steps"] >= 4
    assert result.objective is not None and result.objective < result.stats["greedy_objective"]
    assert validate_roster(scenario, result.roster) == []
    _assert_scored_and_covered_consistently(scenario, result)


def _assert_scored_and_covered_consistently(scenario: Scenario, result: SolveResult) -> None:
    assert objective_breakdown(scenario, result.roster).total == pytest.approx(result.objective)
    # ``scheduled`` counts agents per interval, so the allocated time is in intervals too
    interval_hours = scenario.horizon.interval_minutes / 60
    scheduled = sum(row.scheduled for row in result.roster.coverage)
    allocated = sum((span.end - span.start).total_seconds() / 3600 for s in result.roster.shifts for span in s.allocation)
    assert scheduled == pytest.approx(allocated / interval_hours)


def test_a_greedy_start_that_breaks_a_run_rule_is_repaired_before_lns_improves_it() -> None:
    # demand on one mid-week day only: greedy works that day alone, a 1-day run where 3 is the least
    horizon = Horizon(start="2026-03-23", days=7, interval_minutes=60)
    daily = [0.0] * 24
    demand = flat_demand(horizon, "en", daily * 3 + [1.0 if 9 <= h < 17 else 0.0 for h in range(24)] + daily * 3)
    scenario = make_scenario(
        horizon=horizon, demand=demand, contracts=[make_contract(min_consecutive_days=3)]
    )
    params = SolveParams(time_limit=20, deterministic_time=2, workers=1, strategy="lns", lower_bound=False)

    result = solve(scenario, params)

    assert result.stats["greedy_valid"] == 0
    assert result.stats["repaired_agents"] == 1
    assert result.stats["strategy"] == "lns"  # the repaired roster keeps every rule: LNS may start
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert validate_roster(scenario, result.roster) == []
    worked = sorted(shift.local_date for shift in result.roster.shifts)
    assert len(worked) != 1  # either no shift, or a run of at least three days


def test_gaps_the_solver_leaves_are_filled_by_a_last_descent(monkeypatch: pytest.MonkeyPatch) -> None:
    # LNS re-optimises a neighbourhood with everyone else fixed, so it can leave a gap an agent
    # outside it could fill; here the solver's roster loses every single-skill shift of a day
    from scheduler.model.evaluate import objective_parts
    from scheduler.solve.improve import Improved, Improver
    from scheduler.synthetic import generate_team

    real_improve = Improver.improve
    handed_back: list[float] = []

    def leaving_gaps(self: Improver, first, first_is_valid, *, turns, columns=False):  # type: ignore[no-untyped-def]
        improved = real_improve(self, first, first_is_valid, turns=turns, columns=columns)
        problem, solution = self.problem, improved.solution
        assert solution is not None
        single = {(a, d): i for (a, d), i in solution.shifts.items() if d == 3 and len(problem.groups[problem.agents[a].group]) == 1}
        assert single
        shifts = {key: i for key, i in solution.shifts.items() if key not in single}
        breaks = {i: b for i, b in solution.breaks.items() if i in shifts.values()}
        gappy = type(solution)(shifts, breaks, solution.allocation.copy())
        handed_back.append(objective_parts(problem, gappy).total)
        return Improved(SolveStatus.FEASIBLE, gappy, improved.bound)

    monkeypatch.setattr(Improver, "improve", leaving_gaps)
    team = generate_team(24, 7, 5, seed=1)
    result = solve(team, SolveParams(time_limit=None, deterministic_time=1, workers=1, seed=1, lower_bound=False))

    assert result.objective is not None and result.objective < handed_back[0]
    assert int(result.stats["polish_moves"] or 0) > 0
    assert validate_roster(team, result.roster) == []


def test_parallel_lns_on_a_multi_skill_team_with_breaks_scores_what_it_rosters() -> None:
    # side-by-side neighbourhoods each move breaks and re-allocate shared skill groups' time;
    # the combined roster's objective must still be the one its shifts and allocations give
    from scheduler.synthetic import generate_team

    team = generate_team(60, 7, 5, seed=3)
    params = SolveParams(time_limit=None, deterministic_time=4, workers=2, seed=3, strategy="lns", lower_bound=False)

    result = solve(team, params)

    assert int(result.stats["lns_improvements"] or 0) > 0
    assert validate_roster(team, result.roster) == []
    _assert_scored_and_covered_consistently(team, result)  # 30-minute intervals
