"""Column generation over whole plans: its LP bound never exceeds the optimum (CP-SAT on the
whole model as the oracle), its roster keeps every hard rule and is never worse than where it
started, it is reproducible under a work budget, and it closes a published instance."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from scheduler.benchmarks.curtois import parse_instance
from scheduler.benchmarks.curtois_import import BENCHMARK_POLICY, to_scenario
from scheduler.benchmarks.curtois_run import default_data_dir
from scheduler.domain import ShiftTypeDemand
from scheduler.model.builder import build_model
from scheduler.model.evaluate import objective_parts
from scheduler.model.problem import Problem, compile_problem
from scheduler.model.solution import Solution
from scheduler.solve import columns, improve
from scheduler.solve.columns import ColumnSearch, _narrowed_roster, improve_by_columns
from scheduler.solve.cpsat import Overtime
from scheduler.solve.improve import PLANNED_DAYS_PER_UNIT, Improver
from scheduler.solve.params import SolveParams
from scheduler.solve.paths import BestResponder, improve_by_paths
from scheduler.solve.repair import agents_breaking_rules, repaired_greedy
from scheduler.solve.sound_cpsat import sound_solver
from tests.validate.test_shift_types import day, typed_contract, typed_scenario

TYPE_IDS = ("E", "L", "N")


def _columns(
    problem: Problem, start: Solution, work: float = 20.0, workers: int = 1
) -> tuple[float, ColumnSearch]:
    searched = improve_by_columns(
        problem,
        start,
        deadline=None,
        work=work,
        days_per_unit=PLANNED_DAYS_PER_UNIT,
        workers=workers,
    )
    return objective_parts(problem, searched.solution).total, searched


def _optimum_range(problem: Problem) -> tuple[float, float]:
    """(CP-SAT's bound, its best roster) on the whole model: the optimum lies between."""
    built = build_model(problem)
    solver = sound_solver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 3.0
    assert solver.solve(built.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    scale = built.scale
    return solver.best_objective_bound / scale, solver.objective_value / scale


contracts = st.fixed_dictionaries(
    {
        "max_consecutive_days": st.integers(3, 6),
        "min_consecutive_days": st.sampled_from([None, 2]),
        "min_consecutive_days_off": st.sampled_from([None, 2]),
        "max_total_minutes": st.sampled_from([5 * 480, 8 * 480]),
        "max_weekends": st.sampled_from([None, 1]),
        "max_shifts_per_type": st.sampled_from([{}, {"N": 2}]),
    }
)
covers = st.lists(
    st.tuples(st.integers(0, 13), st.sampled_from(TYPE_IDS), st.integers(1, 3)),
    min_size=15,
    max_size=42,
    unique_by=lambda row: (row[0], row[1]),
)


def typed_team(
    contract: dict[str, object],
    cover: list[tuple[int, str, int]],
    *,
    under: int = 3,
    over: int = 1,
) -> tuple[Problem, Solution | None]:
    """Three agents on ``contract`` against ``cover`` rows (day, shift type, required), and
    their repaired greedy roster (None when no legal one was found)."""
    scenario = typed_scenario(
        agents=3,
        contract=typed_contract(**contract),
        shift_demand=[
            ShiftTypeDemand(
                date=day(d), shift_type=t, required=r, under_weight=under, over_weight=over
            )
            for d, t, r in cover
        ],
        policy=BENCHMARK_POLICY,
    )
    problem = compile_problem(scenario)
    return problem, repaired_greedy(problem)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contract=contracts, cover=covers, under=st.integers(1, 5), over=st.integers(0, 2))
def test_the_bound_is_below_the_optimum_and_the_roster_keeps_every_rule(
    contract: dict[str, object], cover: list[tuple[int, str, int]], under: int, over: int
) -> None:
    problem, start = typed_team(contract, cover, under=under, over=over)
    if start is None:
        return  # no legal roster to start from: nothing for columns to improve
    before = objective_parts(problem, start).total

    after, searched = _columns(problem, start)

    assert agents_breaking_rules(problem, searched.solution) == []
    assert after <= before + 1e-9
    low, high = _optimum_range(problem)
    assert after >= low - 1e-6
    bound = searched.lower_bound
    if bound is not None:
        assert bound <= high + 1e-6  # no roster may cost less than the bound
        assert bound <= after + 1e-6


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contract=contracts, cover=covers, keep=st.integers(0, 2**32 - 1))
def test_the_narrowed_model_keeps_to_its_shifts_and_every_rule(
    contract: dict[str, object], cover: list[tuple[int, str, int]], keep: int
) -> None:
    problem, start = typed_team(contract, cover)
    if start is None:
        return
    # a pseudo-random half of the candidates, as an LP's support would be
    allowed = {c.index for c in problem.candidates if (keep >> (c.index % 32)) & 1}
    agents = [plan.index for plan in problem.agents]

    narrowed, work = _narrowed_roster(problem, start, agents, allowed, None, 2.0, 0, 1, None)

    assert narrowed is not None  # the start is a roster of the narrowed model
    assert set(narrowed.shifts.values()) <= allowed | set(start.shifts.values())
    assert agents_breaking_rules(problem, narrowed) == []
    assert objective_parts(problem, narrowed).total <= objective_parts(problem, start).total
    # CP-SAT checks its deterministic limit between steps, so it may pass it a little
    # (2.029 and 2.113 of 2.0 seen)
    assert 0 < work <= 2.0 * 1.15


def test_the_narrowed_model_under_a_work_budget_improves_and_repeats() -> None:
    """With two workers under a budget the narrowed model runs CP-SAT's neighbourhoods alone
    (its full subsolvers, interleaved, found nothing on Curtois Instance 15): it still improves
    the start, and the same budget gives the same roster."""
    problem, start = _alternating_cover_team(agents=6)
    agents = [plan.index for plan in problem.agents]
    everything = {c.index for c in problem.candidates}

    runs = [
        _narrowed_roster(problem, start, agents, everything, None, 2.0, 0, 2, None)[0]
        for _ in range(2)
    ]

    assert runs[0] is not None and runs[1] is not None
    assert runs[0].shifts == runs[1].shifts
    assert agents_breaking_rules(problem, runs[0]) == []
    assert objective_parts(problem, runs[0]).total < objective_parts(problem, start).total


def test_the_narrowed_model_stops_at_a_roster_that_meets_its_floor() -> None:
    """A floor (a lower bound proven elsewhere, such as the column LP's) ends the search at the
    first roster that meets it; one no roster meets changes nothing. One worker under a budget:
    the same steps on every run."""
    problem, start = _alternating_cover_team(agents=6)
    agents = [plan.index for plan in problem.agents]
    everything = {c.index for c in problem.candidates}
    start_value = objective_parts(problem, start).total

    def narrowed(floor: float | None) -> tuple[Solution, float]:
        found, work = _narrowed_roster(
            problem, start, agents, everything, None, 2.0, 0, 1, None, floor
        )
        assert found is not None
        return found, work

    free, free_work = narrowed(None)
    met, met_work = narrowed(start_value)
    unmet, _ = narrowed(0.0)

    assert objective_parts(problem, free).total < start_value  # there was better to find
    assert objective_parts(problem, met).total <= start_value
    assert met_work < free_work
    assert unmet.shifts == free.shifts


def test_the_narrowed_model_in_overtime_stops_once_it_stalls() -> None:
    """On the clock, overtime lets the narrowed model run past its deadline only while it
    finds better rosters: a small team's stalls within seconds, far before the overtime ends."""
    problem, start = _alternating_cover_team(agents=6)
    agents = [plan.index for plan in problem.agents]
    everything = {c.index for c in problem.candidates}
    began = time.monotonic()
    overtime = Overtime(until=began + 60.0, grace=1.0)

    found, _ = _narrowed_roster(
        problem, start, agents, everything, began + 0.5, None, 0, 2, None, None, overtime
    )

    assert time.monotonic() - began < 30.0
    assert found is not None
    assert agents_breaking_rules(problem, found) == []
    assert objective_parts(problem, found).total < objective_parts(problem, start).total


def test_the_narrowed_model_gets_overtime_only_when_the_turns_could_not_use_the_time() -> None:
    """On the clock, the column step's narrowed model may run on to OVERTIME_RESERVE seconds
    before the solve's limit when the turns after it are too short to build the whole model
    (a build made to look slow here); otherwise the turns get their time."""
    problem, start = _alternating_cover_team(agents=4)
    limit = 3.0

    def overtime_given(build_seconds_per_candidate: float) -> tuple[Overtime | None, float]:
        seen: list[Overtime | None] = []

        def recording(*args: Any, **kwargs: Any) -> ColumnSearch:
            seen.append(kwargs["overtime"])
            return improve_by_columns(*args, **kwargs)

        began = time.monotonic()
        with (
            patch.object(improve, "improve_by_columns", recording),
            patch.object(improve, "BUILD_SECONDS_PER_CANDIDATE", build_seconds_per_candidate),
        ):
            params = SolveParams(time_limit=limit, workers=2)
            Improver(problem, "cpsat", params, began, {}).improve(
                start, True, turns=2, columns=True
            )
        assert len(seen) == 1
        return seen[0], began

    quick, _ = overtime_given(improve.BUILD_SECONDS_PER_CANDIDATE)
    slow, began = overtime_given(1.0)  # a second a candidate: no turn could build it

    assert quick is None
    assert slow is not None
    assert slow.until == pytest.approx(began + limit - improve.OVERTIME_RESERVE, abs=0.5)
    assert slow.grace == improve.OVERTIME_GRACE


def _alternating_cover_team(agents: int) -> tuple[Problem, Solution]:
    """``agents`` on 2-day minimum runs, cover of 1 or 2 alternating by day and type; and
    their repaired greedy roster."""
    contract = typed_contract(max_consecutive_days=4, min_consecutive_days=2)
    cover = [(d, t, 1 + (d + k) % 2) for d in range(14) for k, t in enumerate(TYPE_IDS)]
    scenario = typed_scenario(
        agents=agents,
        contract=contract,
        shift_demand=[
            ShiftTypeDemand(date=day(d), shift_type=t, required=r, under_weight=3, over_weight=1)
            for d, t, r in cover
        ],
        policy=BENCHMARK_POLICY,
    )
    problem = compile_problem(scenario)
    start = repaired_greedy(problem)
    assert start is not None
    return problem, start


def test_the_same_work_budget_gives_the_same_roster() -> None:
    problem, start = _alternating_cover_team(agents=4)

    runs = [_columns(problem, start, work=5.0, workers=2)[1] for _ in range(2)]

    assert runs[0].solution.shifts == runs[1].solution.shifts


def test_quick_pricing_converges_to_the_same_root_as_exact_pricing() -> None:
    """Quick plans only change which columns come first: once exact pricing proves the root
    optimal, its LP value is the one exact pricing alone proves."""
    problem, start = _alternating_cover_team(agents=6)

    roots = [
        columns.price_root(
            problem, start, deadline=None, work=50.0, days_per_unit=5_000, quick=quick
        )
        for quick in (True, False)
    ]

    assert all(root.converged for root in roots)
    assert roots[0].lp_value == pytest.approx(roots[1].lp_value, abs=1e-6)


def test_two_lanes_price_the_same_root_on_every_run_and_prove_the_same_optimum() -> None:
    """With two lanes a forked helper plans every other agent, in quick and exact rounds (its
    warm starts differ from one process's, so the columns may too); under a work budget two
    runs give the same columns, and the root they prove optimal has the LP value one lane
    proves."""
    problem, start = _alternating_cover_team(agents=6)

    def root(workers: int) -> columns.RootPricing:
        return columns.price_root(
            problem, start, deadline=None, work=50.0, days_per_unit=5_000, workers=workers
        )

    two, again, one = root(2), root(2), root(1)

    assert (two.rounds, two.columns, two.lp_value) == (again.rounds, again.columns, again.lp_value)
    assert two.converged and one.converged
    assert two.lp_value == pytest.approx(one.lp_value, abs=1e-6)


def test_a_quick_priced_plan_keeps_every_rule_and_costs_no_less_than_the_exact_one() -> None:
    """The quick plan is legal (the sweeps' path search keeps every counted limit) but not
    proven the cheapest: the exact pricing's plan, where proven, is never dearer."""
    problem, start = _alternating_cover_team(agents=6)
    responder = BestResponder(problem, start)
    rng = np.random.default_rng(3)
    shape = (len(problem.scenario.shift_types) + 1, problem.scenario.horizon.days)
    for agent in range(len(problem.agents)):
        prices = rng.uniform(0.0, 8.0, shape)
        quick = responder.priced_plan(agent, prices, quick=True)
        exact = responder.priced_plan(agent, prices)
        assert quick.plan is not None and exact.plan is not None
        shifts = {k: v for k, v in start.shifts.items() if k[0] != agent}
        shifts.update({(agent, day): index for day, index in quick.plan.items()})
        assert agent not in agents_breaking_rules(problem, Solution(shifts, {}, {}))
        if exact.cheapest:
            exact_cost = _priced_cost(problem, responder, agent, exact.plan, prices)
            assert exact_cost <= _priced_cost(problem, responder, agent, quick.plan, prices) + 1e-9


def test_plans_priced_with_forced_days_keep_them_and_every_rule() -> None:
    """A dive forces days (a shift, or a day off) taken from a legal plan: the quick, the path
    and the CP-SAT pricing all keep them and every rule, and a plan proven the cheapest costs
    no more than the legal plan the days came from, which keeps them too."""
    problem, empty = _alternating_cover_team(agents=6)
    start = improve_by_paths(problem, empty, deadline=None).solution  # greedy's works nobody
    responder = BestResponder(problem, start)
    rng = np.random.default_rng(5)
    shape = (len(problem.scenario.shift_types) + 1, problem.scenario.horizon.days)
    forced_shifts = 0
    for agent in range(len(problem.agents)):
        legal = {day: i for (a, day), i in start.shifts.items() if a == agent}
        off = [day for day in sorted(problem.agents[agent].by_day) if day not in legal]
        worked = sorted(legal)
        picked = [*rng.permutation(worked)[:3].tolist(), *rng.permutation(off)[:3].tolist()]
        forced: dict[int, int | None] = {day: legal.get(day) for day in picked}
        forced_shifts += sum(index is not None for index in forced.values())
        # prices that pull the other way: the legal plan's shifts earn nothing
        prices = rng.uniform(0.0, 8.0, shape)
        for index in legal.values():
            cand = problem.candidates[index]
            prices[cand.shift_type, cand.day] = 0.0
        pricer = columns._ExactPricer(problem, start, agent, seed=0)
        flat, costs = responder.priced_costs(agent, prices, forced)
        plans = [
            responder.priced_plan(agent, prices, quick=True, forced=forced).plan,
            responder.priced_plan(agent, prices, forced=forced).plan,
            pricer.plan(flat, costs, None)[0][-1],
        ]
        for plan in plans:
            assert plan is not None
            assert {day: plan.get(day) for day in forced} == forced
            shifts = {k: v for k, v in start.shifts.items() if k[0] != agent}
            shifts.update({(agent, day): index for day, index in plan.items()})
            assert agent not in agents_breaking_rules(problem, Solution(shifts, {}, {}))
        exact = responder.priced_plan(agent, prices, forced=forced)
        if exact.cheapest:
            assert exact.plan is not None
            cheapest = _priced_cost(problem, responder, agent, exact.plan, prices)
            assert cheapest <= _priced_cost(problem, responder, agent, legal, prices) + 1e-9
    assert forced_shifts >= 6  # shifts were forced, not only days off


def test_the_dive_ends_on_one_column_per_agent_that_keeps_every_rule() -> None:
    """From a converged root the dive forces days until the LP picks a column per agent: the
    incumbent it leaves beats the start in the pool's costs, and is a legal roster."""
    problem, start = _alternating_cover_team(agents=6)
    pool = columns._Pool.from_plans(problem, start)
    pricing = columns._Pricing(pool, 5_000, None, 30.0, None, 1, 0)
    pricing.generate(columns.MAX_ROUNDS)
    assert pricing.converged
    root = pool.solve_lp()
    assert root is not None
    start_value = pool.value(pool.incumbent)
    pricing.budget = pricing.work + 30.0

    columns._dive(pool, pricing, columns.LATE)

    assert not pool.forced  # the dive leaves no day forced behind it
    assert root.value - 1e-6 <= pool.value(pool.incumbent) < start_value
    plans = {agent: pool.columns[agent][c] for agent, c in pool.incumbent.items()}
    dived = columns._with_plans(pool.responder, start, pool, plans)
    assert agents_breaking_rules(problem, dived) == []


def test_the_master_keeps_to_its_share_when_the_dive_ends_early() -> None:
    """What an early dive leaves goes to the narrowed whole model, not the integer master: the
    master ends its own share of the step after the dive, and never past its share's end."""
    schedule = columns.LATE
    span = schedule.master - schedule.dive
    now = time.monotonic()
    step = 100.0

    early_end, early_budget = columns._master_limits(schedule, now, now + step, 50.0, 5.0)
    late_end, _ = columns._master_limits(schedule, now - 82.0, now - 82.0 + step, None, 0.0)

    assert early_end is not None and late_end is not None
    assert early_end == pytest.approx(now + span * step, abs=1.0)
    assert early_budget == pytest.approx(span * 50.0)
    # a dive that ran to its end leaves the master what its share's end allows
    assert late_end == pytest.approx(now - 82.0 + schedule.master * step)
    # work spent past the master's end leaves it none
    _, spent_budget = columns._master_limits(schedule, now, None, 50.0, 49.0)
    assert spent_budget == 0.0


def _priced_cost(
    problem: Problem,
    responder: BestResponder,
    agent: int,
    plan: dict[int, int],
    prices: np.ndarray,
) -> float:
    """What ``plan`` costs the agent when each shift earns its (type, day) price."""
    earned = 0.0
    for index in plan.values():
        cand = problem.candidates[index]
        assert cand.shift_type is not None
        earned += float(prices[cand.shift_type, cand.day])
    return responder.own_cost(agent, plan) - earned


def test_a_root_too_slow_at_the_probe_ends_the_step_there() -> None:
    """Under a work budget: a root that has priced fewer than PROBE_ROUNDS rounds by
    PROBE_SHARE of it ends the step there, its roster unchanged (no narrowed model on so thin
    a support); one that keeps the pace prices on past the probe."""
    problem, start = _alternating_cover_team(agents=6)
    budget = 1.0

    with patch.object(columns, "PROBE_ROUNDS", 10**6):  # every root counts as too slow
        _, probed = _columns(problem, start, work=budget)
    _, paced = _columns(problem, start, work=budget)

    assert probed.solution.shifts == start.shifts
    assert probed.lower_bound is None
    assert probed.rounds >= 1  # it did price: the probe is what it measured
    # a round may run past its share by one agent's pricing
    assert probed.work <= columns.PROBE_SHARE * budget + 0.05
    assert paced.rounds > probed.rounds
    assert paced.work > columns.PROBE_SHARE * budget


def test_a_root_that_converges_within_the_probe_is_not_cut_short() -> None:
    """The probe only ends roots that are still pricing: Curtois-like small teams converge
    within it, and their LP bound still counts."""
    problem, start = _alternating_cover_team(agents=4)

    with patch.object(columns, "PROBE_ROUNDS", 10**6):
        _, searched = _columns(problem, start, work=20.0)

    assert searched.lower_bound is not None


@pytest.mark.skipif(
    not (default_data_dir() / "instances" / "Instance4.txt").exists(),
    reason="needs ../shared/benchmarks/curtois",
)
def test_columns_close_curtois_instance_4_from_a_repaired_roster() -> None:
    """Best known 1716 (proven optimal in the literature); the LP bound proves it here too."""
    path = Path(default_data_dir(), "instances", "Instance4.txt")
    problem = compile_problem(to_scenario(parse_instance(path)))
    start = repaired_greedy(problem)
    assert start is not None
    assert objective_parts(problem, start).total > 1716

    after, searched = _columns(problem, start, work=60.0)

    assert agents_breaking_rules(problem, searched.solution) == []
    assert after == 1716
    assert searched.lower_bound == 1716  # the LP's 1,715.99…, rounded up: points are whole


def test_the_lp_holds_at_zero_exactly_the_columns_that_break_forced_days() -> None:
    """Through a tree's moves (a day forced, a column added under it, the day forced the other
    way, the forcing dropped) every column is open exactly when it keeps its agent's forced
    days, though only the agents whose days changed are redone."""
    problem, start = _alternating_cover_team(agents=4)
    pool = columns._Pool.from_plans(problem, start)
    pricing = columns._Pricing(pool, 5_000, None, 20.0, None, 1, 0)
    pricing.generate(columns.MAX_ROUNDS)
    agent = 0
    day = pool.days[agent][0]
    shift = problem.agents[agent].by_day[day][0]

    def assert_bounds_match() -> None:
        assert pool.solve_lp() is not None
        for a, plans in pool.columns.items():
            for c, plan in enumerate(plans):
                is_open = pool.lp._columns[a][c].ub() > 0
                assert is_open == pool.keeps(a, plan), (a, c)

    pool.forced = {agent: {day: shift}}
    assert_bounds_match()
    assert any(plan.get(day) != shift for plan in pool.columns[agent])  # some were closed
    working = next(plan for plan in pool.columns[agent] if plan.get(day) == shift)
    assert pool.add(agent, {d: i for d, i in working.items() if d != day})
    assert_bounds_match()  # the new column, off that day, is closed as it comes
    pool.forced[agent][day] = None
    assert_bounds_match()
    pool.forced.clear()
    assert_bounds_match()
