"""The LP relaxation's bound on the whole objective: in points, exact where the answer is
known, and never above a proven optimum."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.domain import Horizon
from scheduler.model.builder import build_model
from scheduler.model.evaluate import objective_parts
from scheduler.model.problem import compile_problem
from scheduler.roster import SolveStatus
from scheduler.solve.facade import solve
from scheduler.solve.lower_bound import objective_lower_bound
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


def test_demand_nobody_can_serve_is_the_whole_bound_in_points() -> None:
    problem = compile_problem(unserved_language_scenario(HORIZON))

    points = objective_lower_bound(build_model(problem, hint=False), time_limit=10)

    weights = problem.scenario.policy.weights
    assert points == pytest.approx(48 * weights.under_staffing, rel=1e-6)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    daily=st.lists(st.sampled_from([0.0, 1.0, 2.0]), min_size=24, max_size=24),
    costs=st.lists(st.integers(5, 40), min_size=1, max_size=3),
)
def test_the_lp_bound_never_exceeds_a_proven_optimum(daily: list[float], costs: list[int]) -> None:
    scenario = make_scenario(
        horizon=HORIZON,
        demand=flat_demand(HORIZON, "en", daily + daily[::-1]),
        contracts=[make_contract(min_hours_per_week=16, breaks=[MEAL])],
        agents=[make_agent(f"a{i}", cost_per_hour=cost) for i, cost in enumerate(costs)],
    )
    result = solve(scenario, SolveParams(time_limit=20, workers=1, lower_bound=False))
    assert result.status == SolveStatus.OPTIMAL and result.solution is not None
    optimum = objective_parts(result.problem, result.solution).total

    points = objective_lower_bound(build_model(result.problem, hint=False), time_limit=10)

    assert points is not None
    assert 0 < points <= optimum + 1e-6
