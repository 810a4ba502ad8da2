"""Coverage prices as a guide: regret per agent, and LNS freeing where the prices disagree."""

from __future__ import annotations

import random
from datetime import date
from functools import partial

import numpy as np

from scheduler.domain import Horizon
from scheduler.model.evaluate import objective_parts
from scheduler.model.problem import Problem, compile_problem
from scheduler.model.solution import Solution
from scheduler.solve.greedy import greedy_solution
from scheduler.solve.guide import PriceGuide
from scheduler.solve.lagrangian_bound import objective_lower_bound, priced_worth
from scheduler.solve.lns import _neighbourhood
from tests.builders import make_agent, make_scenario

HORIZON = Horizon(start=date(2026, 3, 23), days=3, interval_minutes=60)


def _team(agents: int) -> Problem:
    return compile_problem(
        make_scenario(
            horizon=HORIZON, agents=[make_agent(f"a{i}", timezone="UTC") for i in range(agents)]
        )
    )


def _working(problem: Problem, shifts: dict[tuple[int, int], int]) -> Solution:
    return Solution(
        shifts=shifts, breaks={}, allocation=np.zeros((len(problem.groups), 1, 1), dtype=np.int64)
    )


def test_regret_is_what_each_agents_best_days_are_worth_above_the_roster() -> None:
    problem = _team(2)
    worth = np.full(len(problem.candidates), -1.0)
    day0 = problem.agents[0].by_day[0]
    worth[day0[0]], worth[day0[1]] = 5.0, 2.0  # agent 0's best on day 0 is worth 5, works the 2
    worth[problem.agents[1].by_day[1][0]] = 3.0  # agent 1 is off on day 1, which offers 3
    guide = PriceGuide.of(problem, worth)
    roster = _working(problem, {(0, 0): day0[1]})

    regret = guide.regret(roster, problem.agents, range(0, 2))

    assert regret.tolist() == [3.0, 3.0]
    # a day whose every option is worth less than nothing is best off, as the roster has it
    assert guide.regret(roster, problem.agents, range(2, 3)).tolist() == [0.0, 0.0]


def test_guided_neighbourhoods_free_the_agents_the_prices_disagree_with() -> None:
    problem = _team(8)
    worth = np.full(len(problem.candidates), -1.0)
    for day in (0, 1, 2):
        worth[problem.agents[5].by_day[day][0]] = 10.0  # only agent 5 should work more
    guide = PriceGuide.of(problem, worth)
    roster = _working(problem, {})

    freed = [
        {
            agent
            for agent, _ in _neighbourhood(
                problem, random.Random(seed), 4, regret=partial(guide.regret, roster)
            )
        }
        for seed in range(20)
    ]

    assert all(5 in agents for agents in freed if agents)  # (a window before day 0 frees none)
    assert len(set().union(*freed)) > 2  # the rest of the sample still varies


def test_the_guides_worth_comes_with_the_same_bound_and_is_reproducible() -> None:
    problem = _team(3)
    target = objective_parts(problem, greedy_solution(problem)).total  # what LNS would start from

    bound, worth = priced_worth(problem, target, iterations=400)
    again = priced_worth(problem, target, iterations=400)

    assert again[0] == bound and np.array_equal(again[1], worth)
    assert 0 < bound <= objective_lower_bound(problem, target, time_limit=5) + 1e-6
    # a candidate's worth is the coverage it earns less its own points: someone is worth working
    assert worth.max() > 0 and worth.shape == (len(problem.candidates),)
