"""Agent-day moves: each move's score (a day re-planned, a shift handed over) is its exact
change to the objective, every hard rule holds after them, multi-skill time stays allocated
once, and agents whose rules the moves cannot check are left alone."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.domain import Horizon, Scenario
from scheduler.model.evaluate import group_working, objective_parts, under_staffed_hours
from scheduler.model.problem import compile_problem
from scheduler.solve.greedy import greedy_solution
from scheduler.solve.moves import _Ledger, improve_by_moves
from scheduler.solve.repair import agents_breaking_rules
from scheduler.synthetic import generate_team
from tests.builders import flat_demand, make_agent, make_contract, make_scenario


def _without_fairness(scenario: Scenario) -> Scenario:
    weights = scenario.policy.weights.model_copy(update={"fairness": 0})
    return scenario.model_copy(
        update={"policy": scenario.policy.model_copy(update={"weights": weights})}
    )


@pytest.mark.parametrize("interval_minutes", [30, 60])
def test_each_move_changes_the_objective_by_exactly_its_score(interval_minutes: int) -> None:
    # fairness is the one term the score leaves out; without it the score is the whole change
    # (60-minute intervals put two half-hour slots in an interval, and a break may take one)
    team = _without_fairness(generate_team(40, 7, 5, seed=3, interval_minutes=interval_minutes))
    problem = compile_problem(team)
    ledger = _Ledger(problem, greedy_solution(problem), problem.agents)
    value = objective_parts(problem, ledger.solution()).total
    moved = 0
    handed = 0
    for plan in problem.agents:
        for day in sorted(plan.by_day):
            for move in (ledger.replan, ledger.hand_over):
                change = move(plan, day)
                after = objective_parts(problem, ledger.solution()).total
                assert after - value == pytest.approx(change, abs=1e-6)
                value = after
                moved += change < 0
                handed += move == ledger.hand_over and change < 0
    assert moved > 20  # greedy's roster leaves many single-day improvements
    assert handed > 0  # and shifts someone else works for less


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), interval_minutes=st.sampled_from([15, 30, 60]))
def test_moves_keep_every_rule_and_never_raise_the_objective(
    seed: int, interval_minutes: int
) -> None:
    problem = compile_problem(generate_team(24, 7, 5, seed=seed, interval_minutes=interval_minutes))
    first = greedy_solution(problem)

    moved = improve_by_moves(problem, first, seed=seed)

    assert agents_breaking_rules(problem, moved.solution) == []
    assert objective_parts(problem, moved.solution).total <= objective_parts(problem, first).total
    spi = problem.slots_per_interval
    working = (
        group_working(problem, moved.solution).reshape(len(problem.groups), -1, spi).sum(axis=2)
    )
    for group, skills in enumerate(problem.groups):
        if len(skills) > 1:
            allocated = moved.solution.allocation[group]
            assert np.array_equal(allocated.sum(axis=0), working[group])
            assert (allocated >= 0).all()


def test_moves_cut_the_over_staffing_greedy_leaves() -> None:
    problem = compile_problem(generate_team(60, 7, 5, seed=1))
    first = greedy_solution(problem)

    moved = improve_by_moves(problem, first, seed=0)

    before, after = objective_parts(problem, first), objective_parts(problem, moved.solution)
    assert moved.moves > 0
    assert after.over_staffing < before.over_staffing
    assert after.labour_cost < before.labour_cost
    assert after.total < 0.95 * before.total


def test_agents_with_rules_the_moves_cannot_check_keep_their_shifts() -> None:
    # a minimum total is a rule across the horizon that a single day's move could break
    horizon = Horizon(start=date(2026, 3, 23), days=7, interval_minutes=60)
    scenario = make_scenario(
        horizon=horizon,
        contracts=[make_contract(min_total_minutes=5 * 480)],
        agents=[make_agent(timezone="UTC")],
        demand=flat_demand(horizon, "en", 0.0),  # nothing to cover: every shift is waste
    )
    problem = compile_problem(scenario)
    plan = problem.agents[0]
    days = sorted(d for d in plan.by_day if 0 <= d < 7)[:5]
    start = greedy_solution(problem)
    start.shifts = {(0, day): plan.by_day[day][0] for day in days}
    start.breaks = {}

    moved = improve_by_moves(problem, start)

    assert moved.solution.shifts == start.shifts
    assert moved.moves == 0


def test_rosters_taken_mid_sweep_are_reported_kept_and_reproducible(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a checkpoint every 50 agent-days: several within each sweep of 60 agents × 7 days
    monkeypatch.setattr("scheduler.solve.moves.CHECKPOINT_DAYS", 50)
    problem = compile_problem(generate_team(60, 7, 5, seed=1))
    first = greedy_solution(problem)
    reported: list[tuple[float, float]] = []

    def hear(solution, value):  # type: ignore[no-untyped-def]
        reported.append((value, objective_parts(problem, solution).total))

    moved = improve_by_moves(problem, first, seed=0, on_better=hear)
    again = improve_by_moves(problem, first, seed=0)

    assert len(reported) > moved.sweeps  # rosters from inside sweeps, not only their ends
    values = [value for value, _ in reported]
    assert values == sorted(values, reverse=True) and len(set(values)) == len(values)
    assert all(value == pytest.approx(exact, abs=1e-6) for value, exact in reported)
    assert moved.objective == values[-1]
    assert again.solution.shifts == moved.solution.shifts  # the same roster, heard or not


def test_the_gap_pass_refills_a_shortfall_without_a_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = compile_problem(generate_team(24, 7, 5, seed=1))
    settled = improve_by_moves(problem, greedy_solution(problem), seed=0).solution
    # take out the single-skill shifts of one day: their queues fall short there
    gone = {
        key
        for key in settled.shifts
        if key[1] == 3 and len(problem.groups[problem.agents[key[0]].group]) == 1
    }
    shifts = {key: index for key, index in settled.shifts.items() if key not in gone}
    breaks = {index: b for index, b in settled.breaks.items() if index in shifts.values()}
    gappy = type(settled)(shifts, breaks, settled.allocation.copy())
    monkeypatch.setattr("scheduler.solve.moves.MAX_SWEEPS", 0)  # the gap pass alone

    untouched = improve_by_moves(problem, gappy, seed=0)
    refilled = improve_by_moves(problem, gappy, seed=0, gaps_first=True)

    assert untouched.moves == 0
    assert refilled.moves > 0
    assert under_staffed_hours(problem, refilled.solution) < under_staffed_hours(problem, gappy)
    assert agents_breaking_rules(problem, refilled.solution) == []
