"""Branch-and-price on agent-days: a tree it runs out of proves the optimum (CP-SAT on the whole
model as the oracle), its rosters keep every rule, a search cut short proves nothing and leaves
no day forced, and it closes Curtois Instance 6, where the dive alone stops 2 points above."""

from __future__ import annotations

import itertools
import time
from contextlib import ExitStack
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings

from scheduler.benchmarks.curtois import parse_instance
from scheduler.benchmarks.curtois_import import to_scenario
from scheduler.benchmarks.curtois_run import default_data_dir
from scheduler.model.evaluate import objective_parts
from scheduler.model.problem import Problem
from scheduler.model.solution import Solution
from scheduler.roster import SolveStatus
from scheduler.solve import columns
from scheduler.solve.branch_price import (
    RESTART_NODES,
    BranchOutcome,
    _Frame,
    _node,
    _screened_out,
    _Stall,
    branch_and_price,
)
from scheduler.solve.facade import solve
from scheduler.solve.params import SolveParams
from scheduler.solve.repair import agents_breaking_rules
from tests.solve.test_columns import (
    _alternating_cover_team,
    _columns,
    _optimum_range,
    contracts,
    covers,
    typed_team,
)


def _search(
    problem: Problem,
    start: Solution,
    budget: float,
    first_restart: int = RESTART_NODES,
    patience: int | None = None,
) -> tuple[BranchOutcome, columns._Pool, float, float]:
    """The tree search from ``start``'s converged root within ``budget`` units of pricing work:
    its outcome, the pool, the root LP and the constant (objective = pool value + constant)."""
    pool = columns._Pool.from_plans(problem, start)
    constant = pool.constant
    pricing = columns._Pricing(pool, 5_000, None, 60.0, None, 1, 0)
    pricing.generate(columns.MAX_ROUNDS)
    assert pricing.converged
    root = pool.solve_lp()
    assert root is not None
    pricing.budget = pricing.work + budget
    outcome = branch_and_price(pool, pricing, columns.MAX_ROUNDS, first_restart, patience)
    pricing.close()
    return outcome, pool, root.value + constant, constant


def _roster(pool: columns._Pool, start: Solution) -> Solution:
    return columns._with_plans(pool.responder, start, pool, pool.incumbent_plans())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contract=contracts, cover=covers)
def test_a_tree_searched_to_its_end_proves_the_optimum(
    contract: dict[str, object], cover: list[tuple[int, str, int]]
) -> None:
    problem, start = typed_team(contract, cover)
    if start is None:
        return  # no legal roster to start from
    before = objective_parts(problem, start).total

    outcome, pool, root, constant = _search(problem, start, budget=30.0)

    roster = _roster(pool, start)
    value = objective_parts(problem, roster).total
    assert value == pytest.approx(pool.value(pool.incumbent) + constant)
    assert agents_breaking_rules(problem, roster) == []
    assert root - 1e-6 <= value <= before + 1e-9
    assert not pool.forced
    low, high = _optimum_range(problem)
    assert value >= low - 1e-6
    if outcome.proven:
        assert value <= high + 1e-6  # nothing CP-SAT found beats a proven optimum


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contract=contracts, cover=covers)
def test_a_child_its_parent_duals_cut_could_not_have_beaten_the_incumbent(
    contract: dict[str, object], cover: list[tuple[int, str, int]]
) -> None:
    """Against an incumbent a point and a half above the root LP, every child of the root's
    branched day that the parent's duals cut has a proven LP that cannot gain a whole point
    on it either: the screening bound never exceeds the child's own LP."""
    problem, start = typed_team(contract, cover)
    if start is None:
        return
    pool = columns._Pool.from_plans(problem, start)
    pricing = columns._Pricing(pool, 5_000, None, 60.0, None, 1, 0)
    judged, _ = _node(pool, pricing, columns.MAX_ROUNDS)
    if not isinstance(judged, _Frame) or judged.parent is None:
        return  # the root is a leaf, cut or unproven: nothing to branch
    incumbent = judged.parent.value + 1.5
    with patch.object(pool, "objective", lambda _: incumbent):
        for option in list(judged.options):
            pool.forced = {judged.agent: {judged.day: option}}
            screened = _screened_out(pool, pricing, judged)
            pricing.budget = pricing.work + 30.0
            _, child_lp = _node(pool, pricing, columns.MAX_ROUNDS)
            if screened and child_lp is not None:
                assert child_lp - 1e-6 > incumbent - 1
    pricing.close()


def test_a_search_cut_short_proves_nothing_and_leaves_no_day_forced() -> None:
    problem, start = _alternating_cover_team(agents=6)

    outcome, pool, _, constant = _search(problem, start, budget=1e-9)

    assert not outcome.proven
    assert outcome.nodes <= 1
    assert not pool.forced
    assert pool.value(pool.incumbent) + constant <= objective_parts(problem, start).total


def test_searches_restarted_from_the_root_still_prove_the_optimum() -> None:
    """Restarts after 1, 2, 4, ... nodes repeat the top of the tree, but the limit doubles, so
    one search runs to its end: the same optimum, proven, after more nodes in all."""
    problem, start = _alternating_cover_team(agents=5)
    whole, pool, _, _ = _search(problem, start, budget=60.0, first_restart=10**6)
    restarted, again, _, _ = _search(problem, start, budget=60.0, first_restart=1)

    assert whole.proven and restarted.proven
    assert whole.nodes > 2  # deep enough for restarts to happen
    assert restarted.nodes > whole.nodes
    assert again.value(again.incumbent) == pytest.approx(pool.value(pool.incumbent))
    assert not again.forced


def test_a_search_out_of_patience_stops_after_that_many_nodes_without_a_better_roster() -> None:
    """Patience 1 stops the search at the first node that finds no better roster: before
    the whole tree, unproven, and never worse than its start."""
    problem, start = _alternating_cover_team(agents=5)
    whole, _, _, _ = _search(problem, start, budget=60.0)
    counted: list[float] = []

    def count(stall: _Stall, value: float) -> None:
        counted.append(value)
        original(stall, value)

    original = _Stall.count
    with patch.object(_Stall, "count", count):
        impatient, pool, _, constant = _search(problem, start, budget=60.0, patience=1)

    assert whole.proven and whole.nodes > 2
    assert not impatient.proven and impatient.nodes == len(counted) < whole.nodes
    # every node but the last found a better roster than the one before it (pool values)
    improving = [objective_parts(problem, start).total - constant, *counted[:-1]]
    assert all(later < earlier for earlier, later in itertools.pairwise(improving))
    assert counted[-1] >= improving[-1]
    assert not pool.forced
    assert pool.value(pool.incumbent) + constant <= objective_parts(problem, start).total


def test_stall_counts_nodes_since_the_last_better_roster() -> None:
    stall = _Stall(patience=2, best=10.0)
    stall.count(10.0)
    assert not stall.out()
    stall.count(9.0)  # better: the count starts again
    stall.count(9.5)
    assert stall.since == 1 and stall.best == 9.0 and not stall.out()
    stall.count(9.0)
    assert stall.out()
    assert not _Stall(patience=None, best=1.0).out()


def test_a_proven_optimum_is_cut_at_the_root() -> None:
    """On an integral objective a node whose proven LP lies within a point of the incumbent is
    cut: from the optimum the tree proves, the root is that node, and the search ends there."""
    problem, start = _alternating_cover_team(agents=5)
    outcome, pool, root, constant = _search(problem, start, budget=30.0)
    assert outcome.proven and outcome.nodes > 1
    best = pool.value(pool.incumbent) + constant
    assert root - 1e-6 <= best < root + 1  # the optimum, within a point of the root LP

    again, _, _, _ = _search(problem, _roster(pool, start), budget=30.0)

    assert again == BranchOutcome(proven=True, nodes=1, cut=1)


def _trees_alone(
    problem: Problem, start: Solution, **settings: float
) -> tuple[float, columns.ColumnSearch]:
    """The column step with the dive, the integer master and the narrowed model held back (so
    only the tree searches can change the roster), and ``settings`` (its constants) patched."""
    with ExitStack() as stack:
        for name, value in settings.items():
            stack.enter_context(patch.object(columns, name, value))
        stack.enter_context(patch.object(columns, "_dive", lambda *_: None))
        stack.enter_context(
            patch.object(columns._Pool, "solve_integer", lambda *_, **__: (None, 0.0))
        )
        stack.enter_context(patch.object(columns, "_narrowed_roster", lambda *_, **__: (None, 0.0)))
        return _columns(problem, start, work=20.0)


def test_the_tree_after_the_narrowed_model_proves_its_roster_optimal() -> None:
    """A roster the dive did not find (none here: the dive, the early tree, the integer master
    and the narrowed model are all held back) gets its own tree search when it lies within
    BRANCH_GAP of the root's bound (a gap made wide here): it ends at the optimum, proven."""
    problem, start = _alternating_cover_team(agents=5)
    value, searched = _trees_alone(problem, start, BRANCH_SHARE=0.0, BRANCH_GAP=100.0)

    assert searched.tree_nodes > 1
    assert searched.lower_bound == value < objective_parts(problem, start).total
    assert agents_breaking_rules(problem, searched.solution) == []
    low, high = _optimum_range(problem)
    assert low - 1e-6 <= value <= high + 1e-6


def test_a_dive_out_of_the_trees_reach_still_gets_a_tree_search() -> None:
    """With the reach made nil, the dive's roster (here the start: the dive is held back) is
    out of it; the tree still searches from it, within its patience, and finds better."""
    problem, start = _alternating_cover_team(agents=5)
    value, searched = _trees_alone(problem, start, BRANCH_GAP=0.0, EXPLORE_END=1.0)

    assert searched.tree_nodes > 1
    assert value < objective_parts(problem, start).total
    assert agents_breaking_rules(problem, searched.solution) == []
    low, _ = _optimum_range(problem)
    assert value >= low - 1e-6


@pytest.mark.parametrize(
    ("reach", "rounds"), [(0.0, columns.EXPLORE_ROUNDS), (100.0, columns.MAX_ROUNDS)]
)
def test_a_tree_out_of_reach_prices_each_node_briefly_and_one_within_reach_to_its_proof(
    reach: float, rounds: int
) -> None:
    """The tree after a dive out of the bound's reach looks for rosters, so its nodes get
    :data:`~scheduler.solve.columns.EXPLORE_ROUNDS` pricing rounds; one within reach may prove
    its roster optimal, so they get every round they need. Either way it finds better."""
    problem, start = _alternating_cover_team(agents=5)
    given_rounds: list[int] = []

    def recording(
        pool: columns._Pool,
        pricing: columns._Pricing,
        max_rounds: int,
        first_restart: int = RESTART_NODES,
        patience: int | None = None,
    ) -> BranchOutcome:
        given_rounds.append(max_rounds)
        return branch_and_price(pool, pricing, max_rounds, first_restart, patience)

    with patch.object(columns, "branch_and_price", recording):
        value, searched = _trees_alone(problem, start, BRANCH_GAP=reach, EXPLORE_END=1.0)

    assert given_rounds[0] == rounds
    assert value < objective_parts(problem, start).total
    assert agents_breaking_rules(problem, searched.solution) == []


def test_the_narrowed_model_leaves_the_tree_its_share_and_may_run_into_it_while_improving() -> (
    None
):
    started = time.monotonic()
    deadline = started + 100.0

    end, work, overtime = columns._before_tree(started, deadline, 40.0, 30.0, bound=1000.0)

    assert end == pytest.approx(deadline - columns.TREE_SHARE * 100.0)
    assert overtime is not None
    assert overtime.until == deadline and overtime.grace == columns.TREE_GRACE
    assert overtime.reach == pytest.approx(1000.0 * (1 + columns.BRANCH_GAP))
    assert work == pytest.approx(30.0 - columns.TREE_SHARE * 40.0)
    assert columns._before_tree(started, None, 40.0, 1.0, bound=1000.0)[1:] == (0.0, None)


@pytest.mark.skipif(
    not (default_data_dir() / "instances" / "Instance6.txt").exists(),
    reason="needs ../shared/benchmarks/curtois",
)
def test_branch_and_price_proves_curtois_instance_6_optimal() -> None:
    """Best known 1,950 (Gurobi, 60 min); the root LP is 1,949.0 and the dive ends at 1,952."""
    path = Path(default_data_dir(), "instances", "Instance6.txt")
    scenario = to_scenario(parse_instance(path))

    result = solve(scenario, SolveParams(time_limit=120, seed=0, workers=2))

    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == 1950
    assert result.best_bound == 1950
