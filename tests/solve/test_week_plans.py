"""Each agent-week's best plan: the dynamic programme against every plan one by one."""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.domain import Horizon
from scheduler.model.problem import Candidate, Problem, compile_problem
from scheduler.solve.lagrangian_bound import under_staffing_lower_bound_hours
from scheduler.solve.week_plans import best_plans, compile_week_rules
from tests.builders import MEAL, flat_demand, make_agent, make_contract, make_scenario

WEEK = Horizon(start=date(2026, 3, 23), days=7, interval_minutes=60)


def _one_agent(**contract: object) -> Problem:
    """One agent in UTC on a week: evening shifts (20:00 and 22:00 starts; 4-hour ones are
    unsocial only from 22:00), so every day offers a few candidates of both kinds."""
    rules = make_contract(
        earliest_start=20 * 60, latest_start=22 * 60, start_granularity_minutes=120, **contract
    )
    scenario = make_scenario(horizon=WEEK, contracts=[rules], agents=[make_agent(timezone="UTC")])
    return compile_problem(scenario)


def _plan_value(
    problem: Problem, plan: list[Candidate], values: dict[int, float], minimum: int, price: float
) -> float | None:
    """A plan's worth under the week's rules, None when it breaks one."""
    contract = problem.agents[0].contract
    paid = sum(c.paid_minutes // problem.slot for c in plan)
    cap = contract.max_unsocial_shifts_per_week
    if (
        len(plan) > 7 - contract.min_days_off_per_week
        or paid > contract.max_hours_per_week * 60 // problem.slot
        or (cap is not None and sum(c.unsocial for c in plan) > cap)
    ):
        return None
    return sum(values[c.index] for c in plan) - price * max(0, minimum - paid)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lengths=st.sampled_from([[240], [240, 480], [240, 360]]),
    max_hours=st.sampled_from([8, 20, 30, 40]),
    days_off=st.integers(1, 4),
    unsocial_cap=st.sampled_from([None, 0, 1, 2]),
    minimum=st.sampled_from([0, 20]),
    seed=st.integers(0, 2**16),
)
def test_the_best_plan_is_the_best_of_every_legal_plan(
    lengths: list[int],
    max_hours: int,
    days_off: int,
    unsocial_cap: int | None,
    minimum: int,
    seed: int,
) -> None:
    problem = _one_agent(
        shift_lengths_minutes=lengths,
        max_hours_per_week=max_hours,
        min_days_off_per_week=days_off,
        max_unsocial_shifts_per_week=unsocial_cap,
        breaks=[MEAL],
    )
    cands = sorted(problem.candidates, key=lambda c: (c.day, c.index))
    assert {c.day for c in cands} == set(range(7)) and {c.unsocial for c in cands} == {0, 1}
    values = dict(
        zip(
            (c.index for c in cands),
            np.random.default_rng(seed).normal(size=len(cands)),
            strict=True,
        )
    )
    slots = minimum * 60 // problem.slot
    price = 0.1
    rules = compile_week_rules(
        problem,
        cands,
        np.zeros(len(cands), dtype=np.int64),
        np.array([float(slots)]),
        np.array([price]),
    )

    total, chosen = best_plans(rules, np.array([values[c.index] for c in cands]))

    by_day = [[None, *(c for c in cands if c.day == day)] for day in range(7)]
    legal = (
        _plan_value(problem, [c for c in pick if c is not None], values, slots, price)
        for pick in itertools.product(*by_day)
    )
    assert total == pytest.approx(max(v for v in legal if v is not None), abs=1e-9)
    plan = [c for c, taken in zip(cands, chosen, strict=True) if taken]
    assert _plan_value(problem, plan, values, slots, price) == pytest.approx(total, abs=1e-9)


def test_a_weekly_hours_maximum_caps_what_one_agent_can_cover() -> None:
    # eight hours of demand a day for a week; the only agent may work 16 paid hours of it
    rules = make_contract(max_hours_per_week=16, min_days_off_per_week=0, max_consecutive_days=7)
    demand = flat_demand(WEEK, "en", ([0] * 8 + [1] * 8 + [0] * 8) * 7)
    problem = compile_problem(
        make_scenario(
            horizon=WEEK, demand=demand, contracts=[rules], agents=[make_agent(timezone="UTC")]
        )
    )

    bound = under_staffing_lower_bound_hours(problem, target_hours=40.0, time_limit=5)

    assert 39.99 <= bound <= 40.0 + 1e-9
