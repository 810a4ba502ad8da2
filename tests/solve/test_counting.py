"""Counted limits carried in the path's states: the path is then the agent's cheapest plan, as
CP-SAT's optimal re-plan of the same agent is."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scheduler.benchmarks.curtois import parse_instance
from scheduler.benchmarks.curtois_import import to_scenario
from scheduler.benchmarks.curtois_run import default_data_dir
from scheduler.model.evaluate import objective_parts
from scheduler.model.problem import Problem, compile_problem
from scheduler.model.solution import Solution
from scheduler.solve import columns
from scheduler.solve.greedy import greedy_solution
from scheduler.solve.paths import BestResponder, counting
from scheduler.solve.paths.counting import MAX_COUNTS, CountingPaths, split_limits
from scheduler.solve.paths.limits import Limit
from scheduler.solve.repair import agents_breaking_rules, repaired_greedy
from tests.solve.test_paths import SHIFT, _cover, covers, cpsat_re_plan
from tests.solve.test_sound_cpsat import WRONGLY_CERTIFIED
from tests.validate.test_shift_types import typed_contract, typed_scenario

# counted limits only (no weekly ones), so every agent's limits can be carried
exact_contracts = st.fixed_dictionaries(
    {
        "max_consecutive_days": st.integers(2, 6),
        "min_consecutive_days": st.sampled_from([None, 2, 3]),
        "min_consecutive_days_off": st.sampled_from([None, 2]),
        "min_total_minutes": st.sampled_from([None, 5 * SHIFT, 7 * SHIFT]),
        "max_total_minutes": st.sampled_from([None, 7 * SHIFT, 8 * SHIFT]),
        "max_weekends": st.sampled_from([None, 0, 1]),
        "max_shifts_per_type": st.sampled_from([{}, {"N": 2}, {"E": 3, "L": 0}, {"E": 2, "N": 1}]),
    }
)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contract=exact_contracts, cover=covers, seed=st.integers(0, 2**16))
@example(**WRONGLY_CERTIFIED, seed=0)  # CP-SAT 9.15's inclusion presolve certified 9, not 6
def test_the_counting_path_costs_what_cpsat_s_optimal_re_plan_costs(
    contract: dict[str, object], cover: list[tuple[int, str, int]], seed: int
) -> None:
    """Against a random roster of the others: the path keeps every rule, and costs exactly
    what CP-SAT's proven-optimal plan for the same agent costs (or neither finds a plan)."""
    if (contract["min_consecutive_days"] or 1) > contract["max_consecutive_days"]:  # type: ignore[operator]
        contract["min_consecutive_days"] = None
    if (contract["min_total_minutes"] or 0) > (contract["max_total_minutes"] or 10**9):  # type: ignore[operator]
        contract["min_total_minutes"] = None
    scenario = typed_scenario(
        agents=3, contract=typed_contract(**contract), shift_demand=_cover(cover)
    )
    problem = compile_problem(scenario)
    start = greedy_solution(problem)
    rng = np.random.default_rng(seed)
    agent = int(rng.integers(0, 3))
    responder = BestResponder(problem, start)
    assert responder.prices_exactly(agent)

    plan = responder.plan(agent)

    by_cpsat = cpsat_re_plan(problem, start, agent)
    if plan is None:
        assert by_cpsat is None
        return
    assert by_cpsat is not None
    responder.commit(agent, plan)
    by_path = responder.solution()
    assert agent not in agents_breaking_rules(problem, by_path)
    assert objective_parts(problem, by_path).total == pytest.approx(
        objective_parts(problem, by_cpsat).total
    )


def test_two_sided_limits_are_carried_first_and_the_widest_digit_is_last() -> None:
    minutes = Limit(np.array([480.0, 600.0, 480.0, 720.0]), low=960.0, high=1920.0)
    nights = Limit(np.array([0.0, 1.0, 0.0, 1.0]), low=None, high=1.0)
    loose = Limit(np.array([1.0, 1.0, 1.0, 1.0]), low=None, high=10.0)  # cannot bind

    split = split_limits([nights, loose, minutes], [2.0, 2.0, 1320.0], 2, 2, 4)

    assert not split.priced and split.weekends_carried
    assert split.counters is not None
    # minutes in 120-min units: at most 1,320 reachable → 0..11 and at least 8; nights 0..1;
    # weekends (2 could be worked, cap 2) never bind and need no digit
    assert split.counters.radix.tolist() == [2, 12]
    assert split.counters.low.tolist() == [0, 8]
    assert split.counters.steps.tolist() == [[0, 1, 0, 1], [4, 5, 4, 6]]


def test_limits_past_the_counter_s_size_stay_priced() -> None:
    wide = [Limit(np.ones(400), low=None, high=300.0) for _ in range(2)]
    assert MAX_COUNTS < 301 * 301
    fractional = Limit(np.full(400, 0.5), low=None, high=3.0)  # no whole unit

    split = split_limits([*wide, fractional], [400.0] * 3, None, 0, 400)

    assert split.counters is not None and split.counters.radix.tolist() == [301]
    assert [id(limit) for limit in split.priced] == [id(fractional), id(wide[1])]


@pytest.mark.skipif(
    not (default_data_dir() / "instances" / "Instance5.txt").exists(),
    reason="needs ../shared/benchmarks/curtois",
)
def test_curtois_instance_5_prices_every_agent_exactly_as_cpsat_does() -> None:
    """16 agents × 28 days, 16–18 shifts, capped late shifts and weekends: at random cover
    prices each agent's path is CP-SAT's optimal pricing plan (the column step then needs no
    CP-SAT pricing at all)."""
    problem, start, responder = _curtois_responder("Instance5")
    rng = np.random.default_rng(5)
    shape = (len(problem.scenario.shift_types) + 1, problem.scenario.horizon.days)
    for agent in range(0, len(problem.agents), 3):
        assert responder.prices_exactly(agent)
        assert isinstance(responder._graph(agent).path, CountingPaths)
        pricer = columns._ExactPricer(problem, start, agent, seed=0)
        prices = rng.uniform(0.0, 150.0, shape)
        priced = responder.priced_plan(agent, prices)
        assert priced.cheapest
        plan = priced.plan
        flat, costs = responder.priced_costs(agent, prices)
        plans, _, optimal = pricer.plan(flat, costs, plan)
        assert plan is not None and optimal
        assert _cost(flat, costs, plan) == pytest.approx(_cost(flat, costs, plans[-1]), abs=1e-3)


def test_a_narrow_weekend_cap_is_carried_before_a_wider_one_sided_cap() -> None:
    """Late shifts ≤ 43 and total minutes 52–54 shifts, weekends ≤ 6 (Curtois Instance 18):
    all three do not fit, so the weekend digit (7 values) is carried and the late cap (44) is
    priced — a price search settles one wide cap more often than a narrow one."""
    minutes = Limit(np.full(84, 480.0), low=24960.0, high=25920.0)
    lates = Limit(np.tile([0.0, 1.0], 42), low=None, high=43.0)

    split = split_limits([lates, minutes], [84.0, 84 * 480.0], 6, 12, 84)

    assert split.counters is not None
    assert split.counters.radix.tolist() == [7, 55]
    assert split.counters.weekend_digit == 0
    assert split.weekends_carried
    assert [id(limit) for limit in split.priced] == [id(lates)]


# contracts whose limits cannot all be carried once the counter is cut down to 12 values
mixed_contracts = st.fixed_dictionaries(
    {
        "max_consecutive_days": st.integers(3, 6),
        "min_consecutive_days": st.sampled_from([None, 2]),
        "min_total_minutes": st.sampled_from([None, 4 * SHIFT, 6 * SHIFT]),
        "max_total_minutes": st.sampled_from([7 * SHIFT, 9 * SHIFT]),
        "max_weekends": st.sampled_from([None, 1]),
        "max_shifts_per_type": st.sampled_from([{"N": 2}, {"E": 3, "L": 2}, {"E": 2, "N": 1}]),
    }
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    contract=mixed_contracts,
    seed=st.integers(0, 2**16),
    scale=st.sampled_from([5.0, 50.0, 500.0]),
)
def test_a_plan_proven_cheapest_with_priced_limits_costs_what_cpsat_s_optimum_costs(
    contract: dict[str, object], seed: int, scale: float
) -> None:
    """With some limits priced (the counter cut down), a plan the price search proves the
    cheapest (complementary slackness) keeps every rule and costs exactly CP-SAT's proven
    optimum at the same cover prices; unproven plans are left to CP-SAT, as the column step
    does."""
    scenario = typed_scenario(agents=2, contract=typed_contract(**contract))
    problem = compile_problem(scenario)
    start = greedy_solution(problem)
    rng = np.random.default_rng(seed)
    agent = int(rng.integers(0, 2))
    shape = (len(problem.scenario.shift_types) + 1, problem.scenario.horizon.days)
    prices = rng.uniform(0.0, scale, shape)
    with patch("scheduler.solve.paths.counting.MAX_COUNTS", 12):
        responder = BestResponder(problem, start)
        priced = responder.priced_plan(agent, prices)
    flat, costs = responder.priced_costs(agent, prices)
    plans, _, optimal = columns._ExactPricer(problem, start, agent, seed=0).plan(flat, costs, None)
    assert optimal
    if not priced.cheapest:
        return
    assert priced.plan is not None
    responder.commit(agent, priced.plan)
    assert agent not in agents_breaking_rules(problem, responder.solution())
    by_path = _cost(flat, costs, priced.plan)
    assert by_path == pytest.approx(_cost(flat, costs, plans[-1]), abs=1e-3)


@pytest.mark.skipif(
    not (default_data_dir() / "instances" / "Instance18.txt").exists(),
    reason="needs ../shared/benchmarks/curtois",
)
def test_curtois_instance_18_prices_agents_with_a_priced_cap_as_cpsat_does() -> None:
    """22 agents × 84 days: total minutes, late shifts and weekends do not fit one counter,
    so the late cap is priced; the price search still proves each plan the cheapest, at the
    cost CP-SAT proves optimal (before, every such agent cost a CP-SAT solve of ~0.5 s)."""
    problem, start, responder = _curtois_responder("Instance18")
    rng = np.random.default_rng(18)
    shape = (len(problem.scenario.shift_types) + 1, problem.scenario.horizon.days)
    priced_limits = 0
    for agent in range(0, len(problem.agents), 4):
        priced_limits += len(responder._pricing_graph(agent).limits)
        prices = rng.uniform(0.0, 150.0, shape)
        priced = responder.priced_plan(agent, prices)
        assert priced.cheapest and priced.plan is not None
        flat, costs = responder.priced_costs(agent, prices)
        with patch.object(columns, "EXACT_PRICING_WORK", 30.0):  # 84 days: prove it
            plans, _, optimal = columns._ExactPricer(problem, start, agent, seed=0).plan(
                flat, costs, priced.plan
            )
        assert optimal
        by_path = _cost(flat, costs, priced.plan)
        assert by_path == pytest.approx(_cost(flat, costs, plans[-1]), abs=1e-3)
    assert priced_limits > 0  # the point of the test: some agent had a limit left priced


def _curtois_responder(name: str) -> tuple[Problem, Solution, BestResponder]:
    """A Curtois instance's problem, its repaired greedy roster and a responder on it."""
    path = Path(default_data_dir(), "instances", f"{name}.txt")
    problem = compile_problem(to_scenario(parse_instance(path)))
    start = repaired_greedy(problem, lanes=1)
    assert start is not None
    return problem, start, BestResponder(problem, start)


def _cost(flat: list[int], costs: np.ndarray, plan: dict[int, int]) -> float:
    """What ``plan`` costs at ``costs`` (one per candidate in ``flat``)."""
    cost = dict(zip(flat, costs, strict=True))
    return float(sum(cost[i] for i in plan.values()))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**16))
def test_swaps_are_every_other_shift_of_a_worked_day_its_neighbours_allow(seed: int) -> None:
    """Curtois Instance 7 (three shift types, forbidden successions): for a random plan of a
    random agent, swaps list exactly the day's other shifts that may follow the shift worked
    the day before and precede the one worked the day after."""
    problem = compile_problem(
        to_scenario(parse_instance(default_data_dir() / "instances" / "Instance7.txt"))
    )
    rng = np.random.default_rng(seed)
    agent = int(rng.integers(0, len(problem.agents)))
    responder = BestResponder(problem, greedy_solution(problem))
    path = responder._graph(agent).path
    graph = path.graph if isinstance(path, CountingPaths) else path
    chosen = {
        day: int(rng.choice(options))
        for day, options in enumerate(graph.options)
        if options and rng.random() < 0.7
    }
    expected = []
    for day, index in chosen.items():
        options = graph.options[day]
        for j, other in enumerate(options):
            before, after = chosen.get(day - 1), chosen.get(day + 1)
            follows = (
                before is None or graph.allowed[day - 1][graph.options[day - 1].index(before), j]
            )
            precedes = after is None or graph.allowed[day][j, graph.options[day + 1].index(after)]
            if other != index and follows and precedes:
                expected.append((day, other))
    assert graph.swaps(chosen) == expected


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 9), min_size=1, max_size=12),
    width=st.integers(1, 40),
    sliced_from=st.sampled_from([0, 10**9]),
    seed=st.integers(0, 2**16),
)
def test_each_target_s_least_value_is_the_minimum_over_its_edges_rows(
    sizes: list[int], width: int, sliced_from: int, seed: int
) -> None:
    """Row by row, by slice or by one ``reduceat``: each target gets the least of its own
    edges' rows, column by column (infinite values included)."""
    first = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    n = int(sum(sizes))
    rng = np.random.default_rng(seed)
    reach = rng.uniform(0.0, 10.0, (n, width))
    reach[rng.random((n, width)) < 0.3] = np.inf
    step = counting._LiveStep.grouped(
        source=np.arange(n), first=first, weekend=np.zeros(0, dtype=np.int64), targets=first
    )
    out = np.empty((len(sizes), width + 1))
    with patch.object(counting, "_SLICED_FROM", sliced_from):
        step.least(reach, out[:, :width])
    expected = [reach[a : a + size].min(axis=0) for a, size in zip(first, sizes, strict=True)]
    np.testing.assert_array_equal(out[:, :width], np.array(expected))
