"""Shortest-path plans for one agent: every plan keeps every hard rule (property test), the plan
is the agent's best response when no counted limit binds (CP-SAT as the oracle), and on a
published year-long instance every agent gets a legal plan."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

import scheduler.solve.facade as facade
import scheduler.solve.improve as improve
import scheduler.solve.paths.search as search
from scheduler.benchmarks.curtois import parse_instance
from scheduler.benchmarks.curtois_import import to_scenario
from scheduler.benchmarks.curtois_run import default_data_dir
from scheduler.domain import ShiftTypeDemand
from scheduler.model.builder import build_model
from scheduler.model.evaluate import objective_parts
from scheduler.model.extract import extract_solution
from scheduler.model.problem import Problem, compile_problem
from scheduler.model.solution import Solution
from scheduler.solve.columns import ColumnSearch, improve_by_columns
from scheduler.solve.facade import solve
from scheduler.solve.greedy import greedy_solution
from scheduler.solve.params import SolveParams
from scheduler.solve.paths import BestResponder, improve_by_paths
from scheduler.solve.progress import Progress
from scheduler.solve.repair import agents_breaking_rules
from scheduler.solve.sound_cpsat import sound_solver
from tests.validate.test_shift_types import day, typed_contract, typed_scenario

SHIFT = 480
TYPE_IDS = ("E", "L", "N")


def _cover(required: list[tuple[int, str, int]]) -> list[ShiftTypeDemand]:
    return [
        ShiftTypeDemand(date=day(d), shift_type=t, required=r, under_weight=3, over_weight=1)
        for d, t, r in required
    ]


contracts = st.fixed_dictionaries(
    {
        "max_consecutive_days": st.integers(2, 6),
        "min_consecutive_days": st.sampled_from([None, 2, 3]),
        "min_consecutive_days_off": st.sampled_from([None, 2]),
        "min_total_minutes": st.sampled_from([None, 4 * SHIFT, 6 * SHIFT]),
        "max_total_minutes": st.sampled_from([None, 7 * SHIFT, 9 * SHIFT]),
        "max_weekends": st.sampled_from([None, 0, 1]),
        "max_shifts_per_type": st.sampled_from([{}, {"N": 2}, {"E": 3, "L": 0}]),
        "max_unsocial_shifts_per_week": st.sampled_from([None, 1]),
    }
)
covers = st.lists(
    st.tuples(st.integers(0, 13), st.sampled_from(TYPE_IDS), st.integers(1, 3)),
    min_size=1,
    max_size=25,
    unique_by=lambda row: (row[0], row[1]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contract=contracts, cover=covers)
def test_every_plan_keeps_every_hard_rule(
    contract: dict[str, object], cover: list[tuple[int, str, int]]
) -> None:
    if (contract["min_consecutive_days"] or 1) > contract["max_consecutive_days"]:  # type: ignore[operator]
        contract["min_consecutive_days"] = None
    scenario = typed_scenario(
        agents=3, contract=typed_contract(**contract), shift_demand=_cover(cover)
    )
    problem = compile_problem(scenario)
    responder = BestResponder(problem, greedy_solution(problem))
    planned = []
    for agent in range(3):
        plan = responder.plan(agent)
        if plan is not None:
            responder.commit(agent, plan)
            planned.append(agent)

    broken = agents_breaking_rules(problem, responder.solution())

    assert not set(broken) & set(planned)
    if contract["min_total_minutes"] is None:  # upper limits only: prices always get there
        assert planned == [0, 1, 2]


def test_the_plan_is_the_best_response_when_no_counted_limit_binds() -> None:
    """Runs, a forbidden succession and type cover only: the path is exact, so it must cost
    what CP-SAT's optimal re-plan of the same agent costs."""
    contract = typed_contract(
        max_consecutive_days=4, min_consecutive_days=2, min_consecutive_days_off=2
    )
    cover = [(d, t, 1 + (d * 7 + k) % 3) for d in range(14) for k, t in enumerate(TYPE_IDS)]
    scenario = typed_scenario(agents=3, contract=contract, shift_demand=_cover(cover))
    problem = compile_problem(scenario)
    start = greedy_solution(problem)
    for agent in range(3):
        responder = BestResponder(problem, start)
        plan = responder.plan(agent)
        assert plan is not None
        responder.commit(agent, plan)
        by_path = objective_parts(problem, responder.solution()).total

        re_planned = cpsat_re_plan(problem, start, agent)
        assert re_planned is not None
        by_cpsat = objective_parts(problem, re_planned).total

        assert by_path == pytest.approx(by_cpsat)


def cpsat_re_plan(
    problem: Problem, start: Solution, agent: int, seed: int | None = None
) -> Solution | None:
    """``start`` with ``agent``'s shifts re-planned optimally by CP-SAT (every rule), or None
    when the agent has no legal plan; ``seed`` defaults to CP-SAT's own."""
    built = build_model(
        problem, incumbent=start, free=[(agent, d) for d in problem.agents[agent].by_day]
    )
    solver = sound_solver()
    solver.parameters.num_workers = 1
    if seed is not None:
        solver.parameters.random_seed = seed
    status = solver.solve(built.model)
    if status == cp_model.INFEASIBLE:
        return None
    assert status == cp_model.OPTIMAL
    return extract_solution(built, solver)


def test_plans_answer_the_roster_as_it_is_committed() -> None:
    """Two agents, one early shift wanted a day: once the first takes the early shifts the
    second gains nothing there (its plan answers the updated counts)."""
    contract = typed_contract(max_consecutive_days=14, shift_types=["E"])
    scenario = typed_scenario(
        agents=2, contract=contract, shift_demand=_cover([(d, "E", 1) for d in range(14)])
    )
    problem = compile_problem(scenario)
    empty = Solution(shifts={}, breaks={}, allocation=greedy_solution(problem).allocation)
    responder = BestResponder(problem, empty)

    first = responder.plan(0)
    assert first is not None and len(first) == 14
    responder.commit(0, first)
    assert responder.plan(1) == {}  # every extra early shift would be over-staffed


@pytest.mark.skipif(
    not (default_data_dir() / "instances" / "Instance20.txt").exists(),
    reason="needs ../shared/benchmarks/curtois",
)
def test_every_agent_of_curtois_instance_20_gets_a_legal_plan() -> None:
    """50 agents × 182 days: runs of 2–5 days, 2+ days off, 115–117 shifts, half the weekends;
    CP-SAT took ~2.5 s an agent for this, the paths take a few hundredths."""
    scenario = to_scenario(parse_instance(Path(default_data_dir(), "instances", "Instance20.txt")))
    problem = compile_problem(scenario)
    first = greedy_solution(problem)
    broken = agents_breaking_rules(problem, first)
    assert broken  # greedy leaves the minimum totals to the solver
    responder = BestResponder(problem, first)
    for agent in broken:
        plan = responder.plan(agent)
        assert plan is not None, f"no plan for agent {agent}"
        responder.commit(agent, plan)

    assert agents_breaking_rules(problem, responder.solution()) == []


def _poorly_planned_team(agents: int = 4) -> tuple[Problem, Solution]:
    """Agents on run rules and a total, each planned against greedy's roster alone: a legal
    but poor start, where they all chase the same uncovered days."""
    contract = typed_contract(
        max_consecutive_days=4,
        min_consecutive_days=2,
        min_consecutive_days_off=2,
        min_total_minutes=6 * SHIFT,
        max_total_minutes=8 * SHIFT,
    )
    cover = [(d, t, 1 + (d + k) % 2) for d in range(14) for k, t in enumerate(TYPE_IDS)]
    scenario = typed_scenario(agents=agents, contract=contract, shift_demand=_cover(cover))
    problem = compile_problem(scenario)
    responder = BestResponder(problem, greedy_solution(problem))
    plans = {agent: responder.plan(agent) for agent in range(agents)}
    for agent, plan in plans.items():
        assert plan is not None
        responder.commit(agent, plan)
    start = responder.solution()
    assert agents_breaking_rules(problem, start) == []
    return problem, start


def test_sweeps_lower_the_objective_keep_every_rule_and_are_reproducible() -> None:
    problem, start = _poorly_planned_team()

    runs = [improve_by_paths(problem, start, deadline=None) for _ in range(2)]

    swept, again = runs
    assert swept.solution.shifts == again.solution.shifts
    assert agents_breaking_rules(problem, swept.solution) == []
    before = objective_parts(problem, start).total
    after = objective_parts(problem, swept.solution).total
    assert after < before and swept.accepted > 0 and swept.kicks == 0
    # converged: no agent's best response improves on the swept roster
    final = BestResponder(problem, swept.solution)
    for agent in range(4):
        plan = final.plan(agent)
        assert plan is None or final.gain(agent, plan) <= 1e-9


def test_kicks_take_the_search_past_the_sweeps_local_optimum() -> None:
    """Reproducible for a seed and a work budget, every rule kept, and better than sweeps.
    Six agents: four's sweeps reach the optimum (93, as CP-SAT's) since best responses are
    exact (:mod:`scheduler.solve.paths.counting`); seven's stall at 27, where kicks find 21."""
    problem, start = _poorly_planned_team(agents=7)
    swept = objective_parts(problem, improve_by_paths(problem, start, deadline=None).solution)

    runs = [
        improve_by_paths(problem, start, deadline=None, day_budget=4_000, kicks=True, seed=7)
        for _ in range(2)
    ]

    searched, again = runs
    assert searched.solution.shifts == again.solution.shifts
    assert searched.kicks > 0 and searched.planned_days >= 4_000
    assert agents_breaking_rules(problem, searched.solution) == []
    assert objective_parts(problem, searched.solution).total < swept.total


def test_a_search_with_kicks_must_be_given_an_end() -> None:
    problem, start = _poorly_planned_team()
    with pytest.raises(ValueError, match="needs a deadline"):
        improve_by_paths(problem, start, deadline=None, kicks=True)


def test_plans_of_agents_on_queues_with_meals_make_a_valid_roster() -> None:
    """Plans choose shifts only: the roster they make still gets its meals placed and its
    multi-skill time allocated to queues, so the validator passes it."""
    from datetime import date

    from scheduler.domain import Horizon, Queue
    from tests.builders import MEAL, flat_demand, make_agent, make_contract, make_scenario

    horizon = Horizon(start=date(2026, 3, 23), days=14, interval_minutes=60)
    queues = [
        Queue(id="en", language="en", channel="phone"),
        Queue(id="da", language="da", channel="phone"),
    ]
    contract = make_contract(
        breaks=[MEAL],
        min_consecutive_days=3,
        min_consecutive_days_off=2,
        min_total_minutes=8 * SHIFT,
    )
    agents = [make_agent(f"a{k}", skills=["en", "da"] if k % 2 else ["en"]) for k in range(4)]
    # demand on the first three days only: greedy has no reason to work 8 days
    needed = [1.0 if i < 72 else 0.0 for i in range(horizon.interval_count)]
    demand = flat_demand(horizon, "en", needed) + flat_demand(horizon, "da", needed)
    scenario = make_scenario(
        horizon=horizon, queues=queues, contracts=[contract], agents=agents, demand=demand
    )
    problem = compile_problem(scenario)
    first = greedy_solution(problem)
    broken = agents_breaking_rules(problem, first)
    assert broken  # greedy leaves the shortest runs and the minimum total to the solver

    responder = BestResponder(problem, first)
    for agent in broken:
        plan = responder.plan(agent)
        assert plan is not None
        responder.commit(agent, plan)
    roster = responder.solution()

    assert agents_breaking_rules(problem, roster) == []
    assert any(problem.candidates[i].breaks for i in roster.shifts.values())


@pytest.mark.skipif(
    not (default_data_dir() / "instances" / "Instance2.txt").exists(),
    reason="the Curtois instances live in ../shared",
)
def test_rule_heavy_solves_end_with_a_reproducible_path_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The solver and the path search take turns on the work budget: the same seed and budget
    give the same roster, every rule kept, no worse than the path search's."""
    _without_columns(monkeypatch)
    scenario = to_scenario(parse_instance(Path(default_data_dir(), "instances", "Instance2.txt")))
    params = SolveParams(time_limit=60, deterministic_time=2, workers=2, seed=3, lower_bound=False)

    events: list[Progress] = []
    first, second = solve(scenario, params, progress=events.append), solve(scenario, params)

    assert first.roster.shifts == second.roster.shifts
    # each solver turn starts its bound afresh; the progress shows the best one proven so far
    bounds = [event.bound for event in events if event.bound is not None]
    assert bounds and bounds == sorted(bounds)
    assert first.stats["path_search_kicks"] == second.stats["path_search_kicks"]
    assert int(first.stats["path_search_kicks"] or 0) > 0
    assert first.solution is not None
    assert agents_breaking_rules(first.problem, first.solution) == []
    assert first.objective is not None
    assert first.objective <= float(first.stats["path_search_objective"] or 0)


def _without_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Column generation proves Instance 2 optimal in about 2 s and leaves no turns to test."""
    monkeypatch.setattr(facade, "_shift_type_team", lambda problem: False)


def test_work_the_last_path_search_leaves_goes_to_one_more_solver_turn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A path search that stalls early hands its unused days back to the solver, as work: the
    solve spends it and stays reproducible."""
    monkeypatch.setattr(search, "STALL_KICKS", 2)
    _without_columns(monkeypatch)
    scenario = to_scenario(parse_instance(Path(default_data_dir(), "instances", "Instance2.txt")))
    params = SolveParams(time_limit=120, deterministic_time=6, workers=2, seed=1, lower_bound=False)

    first, second = solve(scenario, params), solve(scenario, params)
    monkeypatch.setattr(improve, "MIN_LAST_TURN_WORK", math.inf)
    without = solve(scenario, params)

    assert first.stats.get("last_solver_turn") == 1 and "last_solver_turn" not in without.stats
    assert first.roster.shifts == second.roster.shifts
    spent = float(first.stats["deterministic_time"] or 0)
    assert spent > float(without.stats["deterministic_time"] or 0)
    assert first.solution is not None
    assert agents_breaking_rules(first.problem, first.solution) == []


def test_a_roster_the_turns_bring_to_the_column_bound_is_reported_optimal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CP-SAT does not know the column LP's bound: when its roster meets that bound the solve
    is OPTIMAL and stops there, rather than running to the limit as FEASIBLE."""
    real = improve_by_columns

    def bound_only(problem: Problem, solution: Solution, **kwargs: Any) -> ColumnSearch:
        # the column step proves its bound but, here, keeps the roster it started from
        return dataclasses.replace(real(problem, solution, **kwargs), solution=solution)

    monkeypatch.setattr(improve, "improve_by_columns", bound_only)
    scenario = to_scenario(parse_instance(Path(default_data_dir(), "instances", "Instance2.txt")))
    params = SolveParams(time_limit=120, deterministic_time=30, workers=2, lower_bound=False)

    result = solve(scenario, params)

    assert result.stats["columns_lp_bound"] == 828  # best known 828, proven by the LP
    assert result.objective == 828 and result.best_bound == 828
    assert result.status == "OPTIMAL"
    assert "path_search_seconds" not in result.stats  # no path turn after the roster met the bound
