"""The Lagrangian bounds: never above a proven optimum, and tight where the answer is known."""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.domain import Horizon, Queue
from scheduler.model.evaluate import objective_parts, under_staffed_hours
from scheduler.model.problem import compile_problem
from scheduler.roster import SolveStatus
from scheduler.solve import lagrangian_bound
from scheduler.solve.bounds import BOUND_MIN_SECONDS
from scheduler.solve.facade import solve
from scheduler.solve.lagrangian_bound import (
    objective_lower_bound,
    under_staffing_lower_bound_hours,
)
from scheduler.solve.params import SolveParams
from tests.builders import (
    MEAL,
    flat_demand,
    make_agent,
    make_contract,
    make_scenario,
    unserved_language_scenario,
)

HORIZON = Horizon(start=date(2026, 3, 23), days=2, interval_minutes=60)


def test_one_agent_for_two_agents_of_demand_leaves_exactly_one_agent_short() -> None:
    # 8 hours needing two agents, one agent with 8-hour shifts: 8 agent-hours short at best
    demand = flat_demand(HORIZON, "en", [0] * 9 + [2] * 8 + [0] * 7 + [0] * 24)
    problem = compile_problem(make_scenario(horizon=HORIZON, demand=demand))

    bound = under_staffing_lower_bound_hours(problem, target_hours=16.0, time_limit=5)

    assert 7.99 <= bound <= 8.0 + 1e-9


def test_agents_on_a_meal_break_leave_the_break_uncovered() -> None:
    # a 9-hour shift with a 60-minute meal covers at most 8 of the 9 demanded hours
    horizon = Horizon(start=date(2026, 3, 23), days=1, interval_minutes=60)
    meal = MEAL.model_copy(update={"minutes": 60, "latest_end_offset": 360})
    contract = make_contract(shift_lengths_minutes=[540], breaks=[meal])
    demand = flat_demand(horizon, "en", [0] * 8 + [1] * 9 + [0] * 7)
    problem = compile_problem(
        make_scenario(horizon=horizon, demand=demand, contracts=[contract])
    )

    bound = under_staffing_lower_bound_hours(problem, target_hours=9.0, time_limit=5)

    assert 0.99 <= bound <= 1.0 + 1e-9


def test_nobody_skilled_means_the_whole_demand_is_short() -> None:
    problem = compile_problem(unserved_language_scenario(HORIZON))

    hours = under_staffing_lower_bound_hours(problem, target_hours=48.0, time_limit=5)
    points = objective_lower_bound(problem, target=10**9, time_limit=5)

    assert hours == pytest.approx(48.0, rel=1e-6)
    weights = problem.scenario.policy.weights
    assert points == pytest.approx(48 * weights.under_staffing, rel=1e-6)  # at the first-agent rate


def test_a_search_told_to_stop_returns_at_once_with_what_it_has() -> None:
    # the team above: its search proves 48 h short at its second step (its first, at zero
    # prices, proves nothing)
    problem = compile_problem(unserved_language_scenario(HORIZON))
    asked: list[int] = []

    def after_one_step() -> bool:
        asked.append(1)
        return len(asked) > 1

    unstopped = under_staffing_lower_bound_hours(problem, target_hours=96.0, time_limit=5)
    at_once = under_staffing_lower_bound_hours(
        problem, target_hours=96.0, time_limit=5, stop=lambda: True
    )
    after_one = under_staffing_lower_bound_hours(
        problem, target_hours=96.0, time_limit=5, stop=after_one_step
    )

    assert unstopped == pytest.approx(48.0, rel=1e-6)
    assert at_once == 0.0  # no step taken: nothing proven
    assert after_one == 0.0 and len(asked) == 2


@st.composite
def small_teams(draw: st.DrawFn) -> tuple[list[float], list[int], int]:
    """A day of demand (mirrored on day two), each agent's hourly cost, a weekly minimum."""
    demand = draw(st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0]), min_size=24, max_size=24))
    costs = draw(st.lists(st.integers(5, 40), min_size=1, max_size=4))
    min_hours = draw(st.sampled_from([0, 16, 32]))
    return demand, costs, min_hours


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_teams())
def test_bounds_never_exceed_a_proven_optimum(team: tuple[list[float], list[int], int]) -> None:
    daily, costs, min_hours = team
    contract = make_contract(min_hours_per_week=min_hours, breaks=[MEAL])
    scenario = make_scenario(
        horizon=HORIZON,
        demand=flat_demand(HORIZON, "en", daily + daily[::-1]),
        contracts=[contract],
        agents=[make_agent(f"a{i}", cost_per_hour=cost) for i, cost in enumerate(costs)],
    )
    result = solve(scenario, SolveParams(time_limit=20, workers=1, lower_bound=False))
    assert result.status == SolveStatus.OPTIMAL and result.solution is not None
    problem = result.problem
    optimum = objective_parts(problem, result.solution).total

    points = objective_lower_bound(problem, target=optimum, time_limit=2)
    hours = under_staffing_lower_bound_hours(
        problem, under_staffed_hours(problem, result.solution), time_limit=2
    )

    assert points <= optimum + 1e-6
    assert hours <= under_staffed_hours(problem, result.solution) + 1e-9


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from([0.0, 1.0, 3.0]), min_size=24, max_size=24),
    st.sampled_from([2.0, 6.0, 24.0]),
)
def test_email_backlog_is_bounded_below_a_proven_optimum(email: list[float], window: float) -> None:
    # often more email than two agents can answer in time: overdue work is priced by the bound
    queues = [
        Queue(id="en", language="en", channel="phone"),
        Queue(id="mail", language="en", channel="email", response_window_hours=window),
    ]
    demand = flat_demand(HORIZON, "en", [0] * 12 + [1] * 6 + [0] * 30)
    demand += flat_demand(HORIZON, "mail", email + [0.0] * 24)
    scenario = make_scenario(
        horizon=HORIZON,
        queues=queues,
        demand=demand,
        agents=[make_agent(f"a{i}", skills=["en", "mail"]) for i in range(2)],
    )
    result = solve(scenario, SolveParams(time_limit=20, workers=1, lower_bound=False))
    assert result.status == SolveStatus.OPTIMAL and result.solution is not None
    optimum = objective_parts(result.problem, result.solution).total

    assert objective_lower_bound(result.problem, target=optimum, time_limit=2) <= optimum + 1e-6


def test_solve_reports_the_bound_and_its_gap() -> None:
    scenario = make_scenario(
        horizon=HORIZON, agents=[make_agent("a1"), make_agent("a2", cost_per_hour=30)]
    )
    result = solve(scenario, SolveParams(time_limit=20, workers=1, strategy="lns"))

    assert result.best_bound is not None and 0 < result.best_bound <= result.objective + 1e-6
    assert result.gap is not None and 0 <= result.gap < 1
    assert result.roster.kpis is not None
    assert result.roster.kpis.under_staffed_lower_bound_hours is not None


def test_the_bounds_finish_within_the_wall_clock_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit caps the whole call: the bounds search in time the solve kept for them, not
    in seconds of their own after it (a 20-second solve once took 26)."""
    deadlines: list[float] = []

    def recording(bound):  # type: ignore[no-untyped-def]
        def wrapper(problem, target, *, time_limit, stop=None):  # type: ignore[no-untyped-def]
            deadlines.append(time.monotonic() + time_limit)
            return bound(problem, target, time_limit=time_limit, stop=stop)

        return wrapper

    for name in ("objective_lower_bound", "under_staffing_lower_bound_hours"):
        monkeypatch.setattr(lagrangian_bound, name, recording(getattr(lagrangian_bound, name)))
    scenario = make_scenario(
        horizon=HORIZON, agents=[make_agent("a1"), make_agent("a2", cost_per_hour=30)]
    )
    started = time.monotonic()
    result = solve(scenario, SolveParams(time_limit=4, workers=1, strategy="lns"))

    assert result.best_bound is not None and len(deadlines) == 2
    # a solve that ran a little over still gives its bounds BOUND_MIN_SECONDS
    assert max(deadlines) <= started + 4 + BOUND_MIN_SECONDS
