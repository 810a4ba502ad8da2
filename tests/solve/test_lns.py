"""LNS neighbourhoods aimed at under-staffed stretches: which agents and days they free, and
when a stretch is given up."""

from __future__ import annotations

import random
from datetime import date

import numpy as np

from scheduler.domain import Horizon
from scheduler.model.evaluate import queue_coverage
from scheduler.model.problem import Problem, compile_problem
from scheduler.model.solution import Solution
from scheduler.solve.greedy import greedy_solution
from scheduler.solve.lns import TRIES_PER_GAP, _AimedHood, _GapTargets, _stretches
from tests.builders import flat_demand, make_agent, make_contract, make_scenario

HORIZON = Horizon(start=date(2026, 3, 23), days=3, interval_minutes=60)


def _team() -> Problem:
    """One queue needing an agent 06:00-14:00 UTC every day, three agents who could each cover it."""
    demand = flat_demand(HORIZON, "en", [float(6 <= i % 24 < 14) for i in range(HORIZON.interval_count)])
    agents = [make_agent(f"a{k}", timezone=zone) for k, zone in enumerate(["Europe/Copenhagen", "Europe/London", "Africa/Lagos"])]
    return compile_problem(make_scenario(horizon=HORIZON, demand=demand, agents=agents))


def _short_of_day_one(problem: Problem) -> Solution:
    """Greedy's roster (which covers everything) with every shift of local day 1 dropped."""
    roster = greedy_solution(problem)
    roster.shifts = {key: index for key, index in roster.shifts.items() if key[1] != 1}
    return roster


def _first_aim() -> tuple[Solution, _GapTargets, random.Random, _AimedHood]:
    """The day-1 gap's roster, its targets, their random source and the first aimed hood."""
    problem = _team()
    roster = _short_of_day_one(problem)
    targets, rng = _GapTargets(problem), random.Random(0)
    hood = targets.neighbourhood(roster, rng, size=60)
    assert hood is not None
    return roster, targets, rng, hood


def _short_intervals(problem: Problem, roster: Solution) -> list[int]:
    return [int(i) for i in np.flatnonzero(problem.required_units[0] > queue_coverage(problem, roster)[0])]


def test_stretches_are_runs_of_consecutive_intervals() -> None:
    assert _stretches(2, np.array([3, 4, 5, 9, 11, 12])) == [(2, 3, 5), (2, 9, 9), (2, 11, 12)]
    assert _stretches(0, np.array([], dtype=np.int64)) == []


def test_an_aimed_neighbourhood_frees_everyone_who_could_cover_the_gap_and_the_day_beside_it() -> None:
    problem = _team()
    roster = _short_of_day_one(problem)
    short = _short_intervals(problem, roster)
    assert short == list(range(30, 38))  # day 1, 06:00-14:00 UTC

    hood = _GapTargets(problem).neighbourhood(roster, random.Random(0), size=60)

    assert hood is not None and hood.gap == (0, 30, 37) and hood.side in (-1, 1)
    freed = set(hood.free)
    start, end = 30 * problem.slots_per_interval, 38 * problem.slots_per_interval
    for plan in problem.agents:
        covering = {
            day
            for day, options in plan.by_day.items()
            if any(problem.candidates[i].start < end and problem.candidates[i].end > start for i in options)
        }
        assert covering, f"{plan.agent.id} can work those hours"
        wanted = {(plan.index, day) for day in covering | {d + hood.side for d in covering} if day in plan.by_day}
        assert wanted <= freed
    assert {agent for agent, _ in hood.free} == {plan.index for plan in problem.agents}


def test_a_gap_searched_to_optimality_on_both_sides_is_not_aimed_at_again() -> None:
    roster, targets, rng, first = _first_aim()
    targets.searched(first, proven=True)
    second = targets.neighbourhood(roster, rng, size=60)
    assert second is not None and second.gap == first.gap and second.side == -first.side
    targets.searched(second, proven=True)

    state = rng.getstate()
    assert targets.neighbourhood(roster, rng, size=60) is None
    assert rng.getstate() == state  # no draw: the random neighbourhoods' sequence is unchanged


def test_a_side_whose_searches_time_out_is_given_up_after_its_tries() -> None:
    roster, targets, rng, hood = _first_aim()
    for _ in range(TRIES_PER_GAP - 1):
        targets.searched(hood, proven=False)
        again = targets.neighbourhood(roster, rng, size=60)
        assert again is not None and again.side == hood.side
    targets.searched(hood, proven=False)
    other = targets.neighbourhood(roster, rng, size=60)
    assert other is not None and other.side == -hood.side


def test_a_fully_covered_roster_draws_nothing() -> None:
    problem = _team()
    roster = greedy_solution(problem)
    assert _short_intervals(problem, roster) == []
    rng = random.Random(0)
    state = rng.getstate()
    assert _GapTargets(problem).neighbourhood(roster, rng, size=60) is None
    assert rng.getstate() == state


def test_a_gap_no_shift_can_reach_is_not_aimed_at() -> None:
    # night demand (00:00-02:00 UTC) that day shifts (06:00-10:00 local starts, 8 h) never reach
    demand = flat_demand(HORIZON, "en", [float(i % 24 < 2) for i in range(HORIZON.interval_count)])
    scenario = make_scenario(
        horizon=HORIZON,
        demand=demand,
        agents=[make_agent("a0")],
        contracts=[make_contract(earliest_start="06:00", latest_start="10:00")],
    )
    problem = compile_problem(scenario)
    roster = greedy_solution(problem)
    assert _short_intervals(problem, roster)
    rng = random.Random(0)
    state = rng.getstate()
    assert _GapTargets(problem).neighbourhood(roster, rng, size=60) is None
    assert rng.getstate() == state
