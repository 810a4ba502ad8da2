"""Column generation over whole agents' plans, then the best roster made of those plans.

On shift-type demand only cover ties agents together, so a roster is one plan (a column) per
agent and the problem is a set-partitioning one: pick a column per agent so that the columns'
own costs plus cover penalties are least. Its LP relaxation (the master) prices cover: each
(shift type, day) row's dual is what one more agent there is worth. Pricing finds each agent's
cheapest plan at those prices, a new column whenever its reduced cost is negative: first by
path search (:meth:`~scheduler.solve.paths.BestResponder.priced_plan`, milliseconds; its plan
is proven the cheapest when every counted limit is carried in the path's states, or the limits
left priced meet complementary slackness), then, where the path proves nothing, by CP-SAT on
the agent's own model (every rule, tens of milliseconds on 28 days, ~0.5 s on 84). When every
agent is proven to have no column left, the LP is optimal over every plan there is, and its
value is a lower bound on any roster (Curtois Instance 5: 1,140.6 against the optimum 1,143,
where CP-SAT's own bound after 120 s was 4).

Pricing is smoothed (Wentges): each round prices at a mix of the last round's prices and the
new duals, which damps the duals' swings (Instance 7's root: 52 rounds in 30 s → 39 in 22 s).

Each round first prices every agent quickly, by the sweeps' path search with the limits it cannot
carry priced (no proof, no CP-SAT); only a round where that finds no column prices exactly. Once the
root LP is optimal, or its time is up, a dive turns it into a roster: force the most decided
agent-days to their shift (or day off), price again around them, repeat until the LP picks one
column per agent; then CP-SAT picks one column per agent from everything generated, hinted with the
better of the dive's roster and the incumbent ("price and dive" without backtracking). Where the
dive ends within :data:`BRANCH_GAP` of a proven root, a short tree search on the same pool first
tries to close the gap, and ends the step when it proves a roster optimal
(:mod:`scheduler.solve.branch_price`); a dive further above a proven root gets a longer one, its
nodes priced one round each, stopped once it stops finding better rosters (:data:`EXPLORE_SHARE`).
CP-SAT then solves the whole model with each agent narrowed to the shifts of the LP's columns: it
recombines days of different columns, which choosing whole columns cannot, and the narrow domains
keep its search small. This moves many agents' runs at once, where the path search moves one agent
and the unrestricted whole-model solver a few shifts. Where the root has a bound to prove against,
the narrowed model leaves the step's last :data:`TREE_SHARE` to a second tree search from its own
roster, when that lies within :data:`BRANCH_GAP` of the bound (and all the rest of the step, once
such a roster has stalled for :data:`TREE_PATIENCE`). When the root LP is short of fewer agents than
the step's roster, the narrowed model first looks for a roster short of one fewer
(:mod:`scheduler.solve.cover_cap`). Only agents on shift-type demand alone take part (their plan's
cost is exact there); the others keep their shifts.
"""

from __future__ import annotations

import math
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from scheduler.model.builder import build_model
from scheduler.model.evaluate import objective_parts
from scheduler.model.problem import FloatArray, Problem
from scheduler.model.solution import Solution
from scheduler.solve.branch_price import branch_and_price
from scheduler.solve.cover_cap import cap_type_shortfall
from scheduler.solve.cpsat import Overtime, StopToken, run_cpsat
from scheduler.solve.forked_pricing import ForkedPricer, can_fork
from scheduler.solve.hints import complete_hint
from scheduler.solve.master_lp import LP_ROUND_OFF, MasterLP
from scheduler.solve.paths import BestResponder
from scheduler.solve.paths.responder import Forced, PricedPlan
from scheduler.solve.sound_cpsat import sound_solver

#: Reduced costs above this (points) are not worth a column.
EPSILON = 1e-6
#: Objective coefficients of the integer master are points × this, rounded.
SCALE = 1_000
#: CP-SAT's work on one agent's exact pricing problem, and its linearization level (2 solves
#: tight single-agent plans to optimality quickest: 55 ms a call on Curtois Instance 8, where
#: levels 0 and 1 took 262 and 403 ms).
EXACT_PRICING_WORK = 0.5
EXACT_LINEARIZATION = 2
#: Costs of the exact pricing model are points × this, rounded.
PRICE_SCALE = 10_000
#: Plans one exact pricing call offers at most (the cheapest it found on its way).
COLLECTED_PLANS = 4
#: Weight of the last round's prices in the next round's (dual smoothing; 0 prices at the
#: duals alone).
SMOOTHING = 0.5
#: Pricing rounds at most (each prices every agent once); the search stops earlier when no
#: agent has a column with negative reduced cost.
MAX_ROUNDS = 200


@dataclass(frozen=True)
class _Schedule:
    """Shares of the step's time (or work) by which pricing at the root stops, the dive ends
    and the integer master ends (at most: see :func:`_master_limits`; the narrowed whole model
    has the rest); and the dive's pace:
    the share of the days undecided at its start that each step forces at least (more when
    the time left needs it), and the pricing rounds after each step."""

    root: float
    dive: float
    master: float
    dive_step: float
    dive_rounds: int


#: A root still taking quick columns at ``root`` stops there, unproven, and dives: such roots
#: are usually within a fraction of their optimum (Curtois Instance 15: 3,843 points after
#: 40 s, 3,824 after 120 s), and diving from them beats narrowing the whole model to their
#: support alone. Scratch stages on Instance 15 from a 2-s sweep (9,062 points; root LP 3,839
#: after 45 s): the dive reached 4,766 in 20 s, the whole model narrowed to the support and
#: hinted with the dive's roster 4,163 in 30 s; the integer master over the same columns found
#: nothing better than 9,062 in 30 s (SCIP: 6,272), the model narrowed from the sweep's roster
#: 5,316. A dive cut short leaves a poor roster: at root 0.5 / dive 0.75 Instance 13 ended at
#: 4,347 points, at 0.4 / 0.75 at 3,374. The dive's pace adapts to the time left (see
#: :class:`_Pace`); ``dive_step`` is its finest. Instance 15, scratch stages (root 20 units,
#: dive 29 s, then the narrowed model 18 s), finest step / rounds → dive → narrowed: 0.02 / 3
#: 4,375 → 4,160; 0.02 / 5 4,472 → 4,153; 0.01 / 3 4,094 → 3,967; 0.01 / 2 4,476 → 4,152;
#: 0.005 / 3 4,171 → 4,051; 0.005 / 1 4,780 → 4,155; whole columns, 0.2 of the agents / 2
#: rounds (before days were forced): 5,601 → 4,366.
EARLY = _Schedule(root=0.4, dive=0.75, master=0.78, dive_step=0.01, dive_rounds=3)
#: A root that has converged by then, or whose quick plans have run dry (it prices exactly,
#: round after round: the proof is near), prices on for its proof and dives finely in the time
#: left (Instances 8, 10 and 14 converge at 20–57 s of the 82 s a 120-s solve gave the step
#: when it had 0.7 of the time, 105 s now: see ``COLUMN_SHARE`` in
#: :mod:`scheduler.solve.improve`; under :data:`EARLY` 8 ended at 1,500 and 10 at 4,632, not
#: proven, in a full run).
LATE = _Schedule(root=0.7, dive=0.8, master=0.83, dive_step=0.01, dive_rounds=3)
#: Rounds in a row without a quick column after which a root counts as near its proof. One is
#: not enough: Instance 13's quick plans miss columns for a round now and then and find them
#: again after it, and on one such round at 0.4 its root priced on under :data:`LATE` and the
#: solve ended at 4,922 points (3,383 under :data:`EARLY`).
NEAR_ROOT_EXACT_ROUNDS = 3
#: Before that, root pricing runs to this share of the step and the step ends there, the
#: roster unchanged, when fewer than :data:`PROBE_ROUNDS` rounds are done (under half the
#: pace the rule above asks for): one or two rounds' columns are too thin a support to narrow
#: the whole model to. Rounds priced in 12 s (``python -m scheduler.benchmarks.column_root N
#: --seconds 12``, 2 workers): 12–39 on Curtois Instances 8, 12, 14, 17 and 18 (5–7 and 16
#: converge within it), 5 on 15, 4 on 20, 2 on 19 and 1 on 13, which had spent 36 s of the
#: solve on 2 rounds while its turns were still improving steeply when its 120 s ran out.
PROBE_SHARE = 0.15
PROBE_ROUNDS = 3
#: Dive steps at least, when the time left allows no finer pace (see :class:`_Pace`).
MIN_DIVE_STEPS = 8
#: Share of the narrowed model's time (or work) a search for a roster short of fewer agents
#: than the step's may take, when the root LP is short of fewer (see
#: :mod:`scheduler.solve.cover_cap`).
COVER_CAP_SHARE = 0.5

Plan = dict[int, int]
#: Branch-and-price (:mod:`scheduler.solve.branch_price`) runs after the dive, on integral
#: objectives, when the root converged to a bound within this share of the dive's roster, for
#: at most this share of the step; a tree it runs out of proves its best roster optimal and
#: ends the step. Curtois Instance 6 (dive 1,952, bound 1,949) is proven at 1,950 in ~1 s. On
#: Instance 12 (dive 4,041, bound 4,040) a quarter of the step searched 45 nodes in 27 s
#: without a roster, and the narrowed model, left with less time, no longer found 4,040.
#: Under a work budget the share is of work, which the tree spends faster than the clock (2
#: nodes took 1.35 units in 0.3 s): ``--deterministic-time 30`` gave Instance 6's tree those
#: 2 nodes, 1,950 found but not proven; 120 gave it 5.4 units, and 1,950 was proven in 5.
#: Since the second tree (:data:`TREE_SHARE`) the 30-unit run ends OPTIMAL too, in 19.5 s.
#: At 0.02 the tree never ran on Instance 16, whose rosters stall one agent short above the
#: bound (3,324 / 3,325 against 3,224: 3.1 %; single 120-s solves, seed 0); at 0.04 one of
#: three such solves ended at 3,227, two at 3,225 proven optimal in 75.7 s and 88.0 s (42 and
#: 113 nodes).
BRANCH_GAP = 0.04
BRANCH_SHARE = 0.05
#: A dive that ends further above the converged root's bound still gets a tree search, for at
#: most this share of the step, stopped once this many nodes in a row found no better roster:
#: the tree backtracks where the dive cannot, and finds rosters the narrowed model does not
#: (Curtois, scratch trees from the dive's roster after a root priced to convergence: Instance
#: 8 1,604 → 1,310 at node 49, bound 1,297, where the narrowed model ends at 1,400–1,500; 7
#: 1,352 → 1,056, its optimum, at node 212; 16 3,427 → 3,225 in 3 s). Where the tree finds
#: nothing it costs the narrowed model those nodes' time (Instance 12: 186 nodes in 40 s
#: without a roster below the dive's 4,344).
#:
#: That tree ends by ``EXPLORE_END`` of the step at the latest: a dive that took long leaves it
#: less. Under a work budget the tree spends work faster than the narrowed model, and without that
#: end it took all of it: ``sunshift bench curtois 7 --deterministic-time 15`` ended at 1,360 (1,165
#: before the tree ran there; 1,165 again with this end, where the dive has used 0.6 of the work;
#: with 60 units, 1,057 against 1,158 before).
EXPLORE_SHARE = 0.35
EXPLORE_PATIENCE = 200
EXPLORE_END = 0.6
#: That tree prices each node one round only: it looks for rosters, not proofs (a node priced
#: short of its optimum cuts nothing), and a node priced to convergence costs it most of a
#: second. Scratch trees from the dive's roster (root priced for 60 units, dive 200 units,
#: then the tree alone for 40-60 s): Instance 8 1,604 → 1,316 at node 55 (7.3 s) against
#: 1,310 at node 49 (59.6 s) with nodes priced to convergence; 16 3,427 → 3,225 at 1.9 s;
#: 7 1,352 → 1,065 at 4.7 s and 1,057 at 10.6 s, against 1,059 at 5.5 s, 1,057 at 14.4 s and
#: 1,056 at 38.8 s; 12 and 9 nothing below the dive's roster either way. Its nodes being
#: cheap, its patience is counted in more of them: at 60 the tree of a 120-s solve of 8 (seed
#: 0, scratch trace) stopped at node 60 after 9.7 s with nothing better and the solve ended at
#: 1,407; at 200 it searched its share (218 nodes, 36 s) and the solve ended at 1,304.
EXPLORE_ROUNDS = 1
#: Where the root has a bound the tree search can prove against, the narrowed model leaves the
#: last share of the step to a second tree search, from its roster when that is within
#: :data:`BRANCH_GAP` of the bound (see :func:`_before_tree`). A tree that proves its roster
#: optimal ends the solve; one that does not leaves its time to the turns. Curtois Instance 5
#: (seed 0, 120 s), which had ended FEASIBLE 1,143 at 120 s: OPTIMAL 1,143 in 99–104 s (57–87
#: nodes) in 4 of 5 runs (the fifth, before the children's cut in
#: :mod:`scheduler.solve.branch_price`, searched 120 nodes unproven). A narrowed model that
#: kept the share from every roster (55cd43e) ended Instance 16 at 3,328 and 8 at 1,501, where
#: running on had found 3,225 and 1,405 (seed 0, same machine).
TREE_SHARE = 0.15
TREE_GRACE = 5.0
#: A narrowed model whose roster the tree could start from stops after this long without a
#: better one, however early: the tree has the rest of the step. Single solves (seed 0, scratch
#: traces): Instance 5's narrowed model found 1,143 at 13.6 s and nothing more in the 78 s
#: to its share's end, after which the tree proved 1,143 optimal in 15 s; on 7 it found 1,060
#: at 15.7 s and 1,059 at 83.9 s, and the tree took it to 1,058. With it (and the tree at
#: the duals alone, since dropped: see the README), 5 was proven at 39.9 s; 7, seeds 0–3,
#: ended at 1,058 / 1,058 / 1,059 / 1,058 against 1,058 / 1,059 / 1,057 / 1,059 before.
TREE_PATIENCE = 15.0


@dataclass(frozen=True)
class ColumnSearch:
    """The best roster of generated plans and how the search went."""

    solution: Solution
    columns: int  # plans in the pool at the end
    rounds: int  # pricing rounds run
    exact_calls: int  # agents priced by CP-SAT
    lower_bound: float | None  # the master LP's optimum (points) when pricing proved it, or
    # the roster's own value when branch-and-price proved it optimal
    work: float  # deterministic units spent: pricing and the integer master
    tree_nodes: int = 0  # nodes branch-and-price searched (0: it did not run)


@dataclass(frozen=True)
class RootPricing:
    """How pricing at the root went: what ``python -m scheduler.benchmarks.column_root``
    measures when pricing changes."""

    rounds: int
    seconds: float
    lp_value: float | None  # the master LP over the pool's own costs (no constant terms)
    converged: bool  # pricing proved the LP optimal over every plan
    exact_calls: int
    columns: int
    work: float
    constant: float  # what every roster pays outside the pool's costs (see _Pool.constant)

    @property
    def lp_objective(self) -> float | None:
        """The master LP in objective points: once converged, a lower bound on every roster."""
        return None if self.lp_value is None else self.lp_value + self.constant


def price_root(
    problem: Problem,
    solution: Solution,
    *,
    deadline: float | None,
    work: float | None,
    days_per_unit: float,
    seed: int = 0,
    workers: int = 1,
    smoothing: float = SMOOTHING,
    quick: bool = True,
) -> RootPricing:
    """Price from ``solution``'s plans until the root LP is optimal (or the limits), as
    :func:`improve_by_columns` does first (at ``smoothing``: see :data:`SMOOTHING`; ``quick``
    False prices every round exactly)."""
    started = time.monotonic()
    pool = _Pool.from_plans(problem, solution)
    pricing = _Pricing(pool, days_per_unit, deadline, work, None, workers, seed, smoothing)
    pricing.quick = quick
    pricing.generate(MAX_ROUNDS)
    pricing.close()
    root = pool.solve_lp()
    return RootPricing(
        pricing.rounds,
        time.monotonic() - started,
        None if root is None else root.value,
        pricing.converged,
        pricing.exact_calls,
        pool.size(),
        pricing.work,
        pool.constant,
    )


@dataclass(frozen=True)
class DiveStages:
    """The column step's stages run one after another: what ``python -m
    scheduler.benchmarks.column_dive`` measures when the dive changes (the whole solve's
    objective varies too much run to run to show it). Objectives in points."""

    root_lp: float | None  # the master LP at the end of root pricing
    root_rounds: int
    root_seconds: float
    dived: float  # the dive's roster (the start's, when the dive found nothing better)
    dive_rounds: int
    dive_seconds: float
    narrowed: float  # the narrowed whole model's roster, from the dive's
    narrow_seconds: float


def dive_stages(
    problem: Problem,
    solution: Solution,
    *,
    root_work: float,
    dive_work: float,
    narrow_seconds: float,
    days_per_unit: float,
    seed: int = 0,
    workers: int = 1,
) -> DiveStages:
    """Price the root from ``solution`` for ``root_work``, dive (as a root still taking
    columns does, :data:`EARLY`) for ``dive_work``, then solve the narrowed whole model from
    the dive's roster for ``narrow_seconds``. Root and dive repeat run to run; the narrowed
    model runs on the clock, as in a solve without a work budget, so it varies."""
    pool = _Pool.from_plans(problem, solution)
    clock = time.monotonic()
    pricing = _Pricing(pool, days_per_unit, None, root_work, None, workers, seed)
    pricing.generate(MAX_ROUNDS)
    root = pool.solve_lp()
    root_rounds, root_seconds = pricing.rounds, time.monotonic() - clock
    support = set() if root is None else pool.support(root)
    clock = time.monotonic()
    pricing.budget = pricing.work + dive_work
    _dive(pool, pricing, EARLY)
    pricing.close()
    plans = pool.incumbent_plans()
    dived = _with_plans(pool.responder, solution, pool, plans)
    dive_seconds = time.monotonic() - clock
    support |= {i for plan in plans.values() for i in plan.values()}
    clock = time.monotonic()
    deadline = clock + narrow_seconds
    narrowed, _ = _narrowed_roster(
        problem,
        dived,
        list(pool.columns),
        support,
        deadline,
        None,
        seed,
        workers,
        None,
        cover_cap=None if root is None else pool.cover_cap(dived, root),
    )
    return DiveStages(
        root_lp=None if root is None else root.value + pool.constant,
        root_rounds=root_rounds,
        root_seconds=root_seconds,
        dived=objective_parts(problem, dived).total,
        dive_rounds=pricing.rounds - root_rounds,
        dive_seconds=dive_seconds,
        narrowed=objective_parts(problem, narrowed or dived).total,
        narrow_seconds=time.monotonic() - clock,
    )


def improve_by_columns(
    problem: Problem,
    solution: Solution,
    *,
    deadline: float | None,
    work: float | None = None,
    days_per_unit: float,
    seed: int = 0,
    workers: int = 1,
    stop: StopToken | None = None,
    overtime: Overtime | None = None,
) -> ColumnSearch:
    """Generate plans priced by the master LP's duals from ``solution``'s own plans; once the
    LP is optimal, dive and choose one plan per agent with CP-SAT; then solve the whole model
    narrowed to the LP's shifts (see the module docstring). The roster returned is never worse
    than ``solution`` in the pool's own costs, which are the objective when
    :func:`_exact_costs` holds (callers that cannot rely on it compare, as
    :mod:`scheduler.solve.improve` does).

    ``work`` (CP-SAT's deterministic units; path searches count ``days_per_unit`` days a unit)
    makes the step reproducible; ``deadline`` caps it in wall-clock time, past which the
    narrowed whole model may run on into ``overtime`` while it keeps improving. A tree search
    that proves the roster optimal returns its value as ``lower_bound``.
    """
    started = time.monotonic()
    pool = _Pool.from_plans(problem, solution)
    responder, agents = pool.responder, list(pool.columns)

    def share(of: float) -> tuple[float | None, float | None]:
        end = None if deadline is None else started + of * max(0.0, deadline - started)
        return end, None if work is None else of * work

    pricing = _Pricing(pool, days_per_unit, *share(PROBE_SHARE), stop, workers, seed)

    def price_on(to: float, value: float | None) -> float | None:
        """Price on until ``to`` of the step; the master LP's last value."""
        pricing.end, pricing.budget = share(to)
        more = pricing.generate(MAX_ROUNDS - pricing.rounds)
        return value if more is None else more

    def unchanged() -> ColumnSearch:
        """The start roster, and what pricing did before the step gave up."""
        return ColumnSearch(
            solution, pool.size(), pricing.rounds, pricing.exact_calls, None, pricing.work
        )

    lp_value = pricing.generate(MAX_ROUNDS)
    if not pricing.converged:
        if pricing.rounds < PROBE_ROUNDS:
            # rounds this slow leave the LP's support too thin to narrow to: the turns use
            # the time better (see PROBE_SHARE)
            return unchanged()
        lp_value = price_on(EARLY.root, lp_value)
    near = pricing.converged or pricing.exact_rounds >= NEAR_ROOT_EXACT_ROUNDS
    schedule = LATE if near else EARLY
    if near and not pricing.converged:
        lp_value = price_on(LATE.root, lp_value)
    root = None if lp_value is None else pool.solve_lp()
    if root is None:  # no LP at all: nothing to guide a search
        return unchanged()
    support = pool.support(root)  # taken before a dive fixes agents
    improved, bound, nodes = solution, None, 0
    integral = _integral_objective(problem)
    if pricing.converged and _exact_costs(problem, agents):
        # the LP over every plan there is: no roster costs less
        bound = root.value + pool.constant
        if integral:  # no roster costs a fraction: round up
            bound = float(math.ceil(bound - LP_ROUND_OFF))
    # a bound the tree search can prove against (a whole point below it is its cut)
    tree_bound = bound if integral else None
    # converged or not, the root dives (see EARLY)
    pricing.end, pricing.budget = share(schedule.dive)
    _dive(pool, pricing, schedule)
    dived_value = pool.objective(pool.incumbent)
    if tree_bound is not None and dived_value > tree_bound:
        # within reach, a short tree may prove the dive's roster or a better one optimal;
        # out of it, a longer one searches for better rosters while it keeps finding them
        near = _worth_branching(dived_value, tree_bound)
        patience, rounds = (None, MAX_ROUNDS) if near else (EXPLORE_PATIENCE, EXPLORE_ROUNDS)
        pricing.end, pricing.budget = _first_tree_limits(
            started, deadline, work, pricing.work, near=near
        )
        dive_roster = _with_plans(responder, solution, pool, pool.incumbent_plans())
        best, proven, nodes = _tree_from(dive_roster, solution, pool, pricing, patience, rounds)
        if proven:  # the tree's best roster is optimal: the step ends with it
            value = objective_parts(problem, best).total
            return ColumnSearch(
                best, pool.size(), pricing.rounds, pricing.exact_calls, value, pricing.work, nodes
            )
    pricing.close()  # no more pricing: only CP-SAT from here (an early return leaves the
    # helper to the garbage collector, which closes it as the step returns)
    if any(pool.incumbent.values()):  # the dive's roster beat the start: it is the one
        # to go on from, whatever the integer master finds in its short time
        dived = pool.incumbent_plans()
        improved = _with_plans(responder, solution, pool, dived)
        support |= {i for plan in dived.values() for i in plan.values()}
    master_end, master_budget = _master_limits(schedule, started, deadline, work, pricing.work)
    chosen, master_work = pool.solve_integer(
        master_end, master_budget, seed, workers, stop, floor=root.value
    )
    if chosen is not None:
        picked = _with_plans(responder, solution, pool, chosen)
        support |= {i for plan in chosen.values() for i in plan.values()}
        if objective_parts(problem, picked).total < objective_parts(problem, improved).total:
            improved = picked
    if bound is not None and objective_parts(problem, improved).total <= bound:
        work_done = pricing.work + master_work
        return ColumnSearch(
            improved, pool.size(), pricing.rounds, pricing.exact_calls, bound, work_done, nodes
        )
    left = None if work is None else max(0.0, work - pricing.work - master_work)
    # the tree may follow the narrowed model (see TREE_SHARE), unless the narrowed model has
    # overtime to run on into instead
    if overtime is not None:
        tree_bound = None
    narrow_end, narrow_work, narrow_overtime = deadline, left, overtime
    if tree_bound is not None:
        narrow_end, narrow_work, narrow_overtime = _before_tree(
            started, deadline, work, left, tree_bound
        )
    narrowed, narrowed_work = _narrowed_roster(
        problem,
        improved,
        agents,
        support,
        narrow_end,
        narrow_work,
        seed,
        workers,
        stop,
        bound,
        narrow_overtime,
        cover_cap=pool.cover_cap(improved, root),
    )
    if narrowed is not None and (
        objective_parts(problem, narrowed).total < objective_parts(problem, improved).total
    ):
        improved = narrowed
    work_done = pricing.work + master_work + narrowed_work
    if tree_bound is not None and _worth_branching(
        objective_parts(problem, improved).total, tree_bound
    ):
        spent_before = pricing.work
        pricing.end = deadline
        pricing.budget = None if work is None else pricing.work + max(0.0, work - work_done)
        improved, proven, more_nodes = _tree_from(improved, solution, pool, pricing)
        nodes += more_nodes
        work_done += pricing.work - spent_before
        if proven:
            bound = objective_parts(problem, improved).total
    return ColumnSearch(
        improved, pool.size(), pricing.rounds, pricing.exact_calls, bound, work_done, nodes
    )


def _tree_from(
    roster: Solution,
    solution: Solution,
    pool: _Pool,
    pricing: _Pricing,
    patience: int | None = None,
    rounds: int = MAX_ROUNDS,
) -> tuple[Solution, bool, int]:
    """The tree search from ``roster`` (within ``pricing``'s limits, and ``patience`` nodes
    in a row without a better roster; ``rounds`` pricing rounds a node at most): the better
    of ``roster`` and the tree's best, whether the tree proved it optimal, and the nodes it
    searched (``solution``: the step's start, whose agents outside the pool keep their
    shifts)."""
    pool.adopt(roster)
    tree = branch_and_price(pool, pricing, rounds, patience=patience)
    pricing.close()
    best = _with_plans(pool.responder, solution, pool, pool.incumbent_plans())
    if objective_parts(pool.problem, best).total >= objective_parts(pool.problem, roster).total:
        best = roster
    return best, tree.proven, tree.nodes


def _worth_branching(incumbent: float, bound: float) -> bool:
    """Whether the tree search may close the gap: the roster is above the bound, by at
    most :data:`BRANCH_GAP` of it."""
    return bound < incumbent <= bound * (1 + BRANCH_GAP)


def _first_tree_limits(
    started: float, deadline: float | None, work: float | None, spent: float, *, near: bool
) -> tuple[float | None, float | None]:
    """When the tree search after the dive must end, and the pricing work by which it must
    (``spent``: the work done so far): :data:`BRANCH_SHARE` of the step from now after a dive
    ``near`` the bound; else :data:`EXPLORE_SHARE`, ending by :data:`EXPLORE_END` of the step
    at the latest, so that the narrowed model and the tree after it keep the rest."""
    share, last = (BRANCH_SHARE, None) if near else (EXPLORE_SHARE, EXPLORE_END)
    end = budget = None
    if deadline is not None:
        length = max(0.0, deadline - started)
        latest = deadline if last is None else started + last * length
        end = min(time.monotonic() + share * length, latest)
    if work is not None:
        budget = spent + share * work
        if last is not None:
            budget = min(budget, last * work)
    return end, budget


def _before_tree(
    started: float, deadline: float | None, work: float | None, left: float | None, bound: float
) -> tuple[float | None, float | None, Overtime | None]:
    """When the narrowed model must end, the work it may do and the overtime it may run on
    into, so that :data:`TREE_SHARE` of the step (``work``, of which ``left`` is left) is kept
    for the tree search after it. On the clock the share is kept only for a roster the tree
    could start from (within :data:`BRANCH_GAP` of ``bound``), and only once it stalls: the
    model runs on into the share while it improves (:data:`TREE_GRACE` seconds after each better
    roster) and, up to ``deadline``, while its roster is out of the tree's reach. A roster within
    reach that stalls for :data:`TREE_PATIENCE` seconds stops it sooner."""
    if deadline is None:
        end, overtime = None, None
    else:
        end = deadline - TREE_SHARE * max(0.0, deadline - started)
        reach = bound * (1 + BRANCH_GAP)
        overtime = Overtime(deadline, TREE_GRACE, reach=reach, patience=TREE_PATIENCE)
    narrow_work = None if work is None or left is None else max(0.0, left - TREE_SHARE * work)
    return end, narrow_work, overtime


def _master_limits(
    schedule: _Schedule,
    started: float,
    deadline: float | None,
    work: float | None,
    spent: float,
) -> tuple[float | None, float | None]:
    """When the integer master must end and the work it may do, for a step that started at
    ``started`` and has spent ``spent`` units so far: its own share of the step (``master`` less
    ``dive``) from now, never past ``master``'s end.

    A dive that ends early leaves its time to the narrowed whole model, not to the master: on
    Curtois Instance 7 (root converged in 3 s, dive done in 5 s) the master had run 61 s to
    1,172 points and the narrowed model 14 s to 1,063; with the master held to its share, the
    narrowed model ran 72 s to 1,060.
    """
    span = schedule.master - schedule.dive
    end = None
    if deadline is not None:
        length = max(0.0, deadline - started)
        end = min(started + schedule.master * length, time.monotonic() + span * length)
    budget = None if work is None else max(0.0, min(schedule.master * work - spent, span * work))
    return end, budget


ColumnKey = tuple[int, tuple[tuple[int, int], ...]]


def _column_key(agent: int, plan: Plan) -> ColumnKey:
    """The agent and the plan's (day, shift) pairs in day order: equal for equal columns."""
    return agent, tuple(sorted(plan.items()))


def _with_plans(
    responder: BestResponder, solution: Solution, pool: _Pool, chosen: dict[int, Plan]
) -> Solution:
    """``solution`` with the pool's agents on the ``chosen`` plans."""
    shifts = {k: v for k, v in solution.shifts.items() if k[0] not in pool.columns}
    for agent, plan in chosen.items():
        shifts.update({(agent, day): index for day, index in plan.items()})
    responder.reset(shifts)
    return responder.solution()


def _narrowed_roster(
    problem: Problem,
    start: Solution,
    agents: list[int],
    allowed: set[int],
    deadline: float | None,
    work: float | None,
    seed: int,
    workers: int,
    stop: StopToken | None,
    floor: float | None = None,
    overtime: Overtime | None = None,
    *,
    cover_cap: float | None = None,
) -> tuple[Solution | None, float]:
    """The best roster CP-SAT finds on the whole model with ``agents`` limited to the shifts
    in ``allowed`` (and ``start``'s), hinted with ``start``, stopping at one that meets
    ``floor`` (a proven lower bound, in points); and the work it did.

    With ``cover_cap`` (points), the search first looks, for up to :data:`COVER_CAP_SHARE` of
    its time, for a roster whose under-cover costs at most that (see
    :mod:`scheduler.solve.cover_cap`), and goes on from it (uncapped) when it costs less than
    ``start``.

    The LP's support says which shifts matter; the whole model recombines days of different
    columns, which choosing whole columns cannot, while the narrowed domains keep the search
    small. Curtois Instance 7 from a 3-s sweep (2,752 points): root LP 36 s, then 30 s here →
    1,060 (best known 1,056); Instance 9 → 439, the best known.

    CP-SAT runs only its neighbourhood searches here (with two workers or more): the narrowed
    model proves nothing, and the full subsolvers spend its time finding little. Under a work
    budget, Instance 15's dive roster (4,575 points) narrowed for 10 units: unchanged in
    14.7 s with every subsolver, 4,159 in 9.8 s with neighbourhoods alone. On the clock
    (``python -m scheduler.benchmarks.column_dive N --root-work 20 --dive-work 20
    --narrow-seconds 18``, the same dive each run; c759de9 → 425f735): Instance 13 2,807 /
    2,702 → 2,865 / 2,563 / 2,570; 19 3,892 / 3,872 → 3,847 / 3,855. A scratch script
    narrowing the same dive rosters with other seeds showed more (13 3,084 / 2,860 → 2,276 /
    2,356; 19 3,976 / 3,969 → 3,762 / 3,746; 15 4,053–4,151 → 3,957–4,054; 5, 8 and 16 within
    their spread): every mean moved down, by less than CP-SAT's spread run to run. A single
    worker runs no neighbourhood search, so it keeps every subsolver (and finds as little).

    It runs to the end of its share even when it stalls (and past it while it improves, when
    given ``overtime``: see ``OVERTIME_GRACE`` in :mod:`scheduler.solve.improve`): on Instance
    5 it found its last rosters 21 s and 10 s apart (1,147 at 52 s, 1,143 at 62 s), where on 16
    it has found nothing in 74 s while the whole-model turns after it improved within 2 s.
    Stopping it after 10 s without a better roster (73de004, reverted) moved single 120-s runs
    of 5 and 16 within their spread without it (1,143–1,148 and 3,225–3,424), and a full run
    of all 24 was better on 3 instances and worse on 5: no gain shown. A 15-s stop on top of
    the column step's larger share (scratch) showed none either (see ``COLUMN_SHARE`` in
    :mod:`scheduler.solve.improve`).

    The shifts outside ``allowed`` get no variable at all (``build_model(allowed=)``), where
    they used to be built and then forbidden one by one: on Instance 13 (9,274 of 39,936
    candidates allowed) the build and hint took 5.1 s and now take 1.2 s (scratch traces), time
    the search gets. The same dive narrowed for 18 s (``column_dive 13`` as above, b96e519
    against 968ac94), seed 0 3,104 → 3,086, seed 1 3,406 → 2,787; single 120-s solves, seeds
    2–4: 2,212 / 2,380 / 2,221 → 2,098 / 2,261 / 2,306, within the spread.
    """
    if (deadline is not None and time.monotonic() >= deadline) or (stop and stop.stopped):
        return None, 0.0
    if work is not None and work <= 0:
        return None, 0.0
    allowed = allowed | set(start.shifts.values())
    free = [(agent, day) for agent in agents for day in problem.agents[agent].by_day]
    capped_work = 0.0
    if cover_cap is not None:
        found, capped_work = _capped_roster(
            problem, start, free, allowed, cover_cap, deadline, work, seed, workers, stop
        )
        if found is not None:
            start = found
        if work is not None:
            work = max(0.0, work - capped_work)
    built = build_model(problem, incumbent=start, free=free, allowed=allowed)
    complete_hint(built, start, seed=seed)
    outcome = run_cpsat(
        built,
        time_limit=None if deadline is None else max(0.01, deadline - time.monotonic()),
        deterministic_time=work,
        seed=seed,
        workers=workers,
        stop=stop,
        lns_only=workers > 1,
        stop_at=floor,
        overtime=overtime,
    )
    return outcome.solution, capped_work + outcome.deterministic_time


def _capped_roster(
    problem: Problem,
    start: Solution,
    free: list[tuple[int, int]],
    allowed: set[int],
    cap: float,
    deadline: float | None,
    work: float | None,
    seed: int,
    workers: int,
    stop: StopToken | None,
) -> tuple[Solution | None, float]:
    """A roster cheaper than ``start`` whose under-cover costs at most ``cap`` points: the
    first CP-SAT finds on the narrowed model (every subsolver: the neighbourhoods alone found
    none on Instance 16) within :data:`COVER_CAP_SHARE` of the limits, or None; and the work
    CP-SAT did."""
    start_value = objective_parts(problem, start).total
    built = build_model(problem, incumbent=start, free=free, allowed=allowed)
    cap_type_shortfall(built, cap)  # ``start`` breaks it: a hint to repair
    end = (
        None
        if deadline is None
        else time.monotonic() + COVER_CAP_SHARE * max(0.0, deadline - time.monotonic())
    )
    outcome = run_cpsat(
        built,
        time_limit=None if end is None else max(0.01, end - time.monotonic()),
        deterministic_time=None if work is None else COVER_CAP_SHARE * work,
        seed=seed,
        workers=workers,
        stop=stop,
        stop_at=_just_below(start_value),
    )
    found = outcome.solution
    if found is not None and objective_parts(problem, found).total >= start_value:
        found = None  # the share ran out first (or, under a budget, the search ran on)
    return found, outcome.deterministic_time


def _just_below(value: float) -> float:
    """A bound only a roster costing less than ``value`` meets (see
    :func:`~scheduler.solve.progress.meets_bound`)."""
    return value - 1e-6 * max(1.0, abs(value))


def _integral_objective(problem: Problem) -> bool:
    """Whether every roster's objective is a whole number of points: only shift-type cover and
    shift requests count (integer weights), as in the Curtois instances."""
    weights = problem.scenario.policy.weights
    fractional = (
        weights.labour_cost,
        weights.unsocial_hours,
        weights.min_hours_shortfall,
        weights.fairness,
    )
    return not problem.queues and not any(fractional)


def _exact_costs(problem: Problem, agents: list[int]) -> bool:
    """Whether a roster's objective is exactly its plans' own costs plus cover: every agent in
    the pool, and no term that couples an agent's days beyond their plan (weekly-minimum
    shortfall is per plan but not in the path costs; fairness compares agents)."""
    weights = problem.scenario.policy.weights
    return (
        len(agents) == len(problem.agents)
        and weights.fairness == 0
        and weights.min_hours_shortfall == 0
    )


def _dive(pool: _Pool, work: _Pricing, schedule: _Schedule) -> None:
    """Force agents' days to their heaviest LP column's shifts a few at a time (the most
    decided first), pricing new columns that keep them after each step, until the LP picks
    one column per agent: that roster becomes the integer master's hint when it beats the
    incumbent.

    One dive, not several: repeating it while its time lasted, the undecided days' order
    perturbed by seeded noise of up to 0.3 in weight (scratch, single 120-s runs, seed 0
    unless said), ran over 60 dives on Instance 6 without a roster below 1,952 (nor did the
    integer master over their ~740 columns), 19 on 7 (1,057 against 1,058 from one dive) and
    12 on 16 with seed 1, every one 32 agents short (3,323; 3,322 in earlier runs)."""
    try:
        master = _force_all(pool, work, schedule)
        if master is not None:  # integral, or out of time: each agent's heaviest column
            pool.consider({agent: int(np.argmax(v)) for agent, v in master.values.items()})
    finally:
        pool.forced.clear()


def _force_all(pool: _Pool, work: _Pricing, schedule: _Schedule) -> _Master | None:
    """Force days until the LP is integral or the work runs out, then the last LP (None if
    GLOP failed). An LP above the incumbent does not end it: before pricing has settled
    around a step the LP is no bound, and the rounds after a coarse step win much of it back
    (Curtois Instance 13, a scratch stage: 18,368 → 13,728 points in one round).

    Days, not whole columns, are forced: an agent split between two columns that differ on a
    few days keeps the days they agree on, and pricing finds new plans around them, where
    forcing the heavier column whole threw away the other's days with it. Each step forces
    every decided day and the most decided of the rest, as few as the time left allows (see
    :class:`_Pace`): the finer the steps, the closer the dive ends to the LP.

    An LP that turns integral before pricing around the last step has settled is priced on
    (and dived on, if it turns fractional again): Instance 19, scratch stage (root 20 units,
    dive 15), dive 5,515 → 5,407 points."""
    pace = _Pace(work)
    finest = 0
    priced_out = False
    while True:
        master = pool.solve_lp()
        if master is None:
            return None
        open_days = _open_days(pool, master)
        undecided = sum(1 for weight, *_ in open_days if weight < 1 - EPSILON)
        if work.spent():
            return master
        if undecided == 0:
            if priced_out:
                return master
            size = pool.size()
            work.generate(schedule.dive_rounds)
            priced_out = work.converged or pool.size() == size
            continue
        priced_out = False
        finest = finest or max(1, math.ceil(undecided * schedule.dive_step))
        step, rounds = pace.next_step(undecided, finest, schedule.dive_rounds)
        for _, agent, day, index in open_days[: len(open_days) - undecided + step]:
            pool.forced.setdefault(agent, {})[day] = index
        work.generate(rounds)


@dataclass
class _Pace:
    """How many days the next dive step forces, and how many pricing rounds follow it, so
    that the dive ends within the pricing's time (or work: then the same steps on every run).

    Rounds are costed at the dive's own pace so far, at first at the root's. A dive keeps at
    least :data:`MIN_DIVE_STEPS` steps, with fewer rounds each when rounds are dear: forcing
    everything at once ends far above the LP (Curtois Instance 13, ~2 s a round, a scratch
    stage: an LP of 22,848 points after a root of 1,809), as does a dive out of time."""

    pricing: _Pricing
    started: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.rounds_at_start = self.pricing.rounds
        self.work_at_start = self.pricing.work

    def next_step(self, undecided: int, finest: int, most_rounds: int) -> tuple[int, int]:
        left = self._rounds_left()
        if left is None:
            return finest, most_rounds
        rounds = min(most_rounds, max(1, left // MIN_DIVE_STEPS))
        return max(finest, math.ceil(undecided / max(1, left // rounds))), rounds

    def _rounds_left(self) -> int | None:
        """Rounds the budget, else the deadline, leaves; None without either."""
        pricing = self.pricing
        done = pricing.rounds - self.rounds_at_start
        if pricing.budget is not None:
            spent = pricing.work - self.work_at_start
            each = spent / done if done else self.work_at_start / max(1, self.rounds_at_start)
            return int(max(0.0, pricing.budget - pricing.work) / max(each, EPSILON))
        if pricing.end is None:
            return None
        now = time.monotonic()
        if done:
            each = (now - self.started) / done
        else:
            each = (self.started - pricing.started) / max(1, self.rounds_at_start)
        return int(max(0.0, pricing.end - now) / max(each, EPSILON))


def _open_days(pool: _Pool, master: _Master) -> list[tuple[float, int, int, int | None]]:
    """Each agent's days not yet forced, with the shift (or None, off) their heaviest column
    works that day and the LP weight of every column doing the same; the most decided first.
    Taken from one column, an agent's choices always fit together."""
    found = []
    for agent, values in master.values.items():
        plans = pool.columns[agent]
        heaviest = plans[int(np.argmax(values))]
        used = [(v, plan) for v, plan in zip(values, plans, strict=True) if v > 0]
        forced = pool.forced.get(agent, {})
        for day in pool.days[agent]:
            if day in forced:
                continue
            index = heaviest.get(day)
            weight = sum(v for v, plan in used if plan.get(day) == index)
            found.append((weight, agent, day, index))
    found.sort(key=lambda choice: (-choice[0], choice[1], choice[2]))
    return found


class _ExactPricer:
    """One agent's pricing problem as a CP-SAT model (every rule, not only those the path
    search keeps exactly), built once; each call only replaces its objective."""

    def __init__(self, problem: Problem, solution: Solution, agent: int, seed: int) -> None:
        free = [(agent, day) for day in problem.agents[agent].by_day]
        # without the run automaton: it made these solves twice as slow (50 against 27 ms)
        self.built = build_model(problem, incumbent=solution, free=free, hint=False)
        self.vars = {cand.index: var for cand, var in self.built.ctx.vars.free_candidates()}
        self.seed = seed

    def plan(
        self, flat: list[int], costs: FloatArray, hint: Plan | None
    ) -> tuple[list[Plan], float, bool]:
        """The plans CP-SAT finds on its way to the cheapest at ``costs`` (one per candidate in
        ``flat``) from ``hint``, cheapest last; the deterministic time it took; and whether the
        last is proven the cheapest. Every improving plan is a column worth offering: one call
        then often adds several."""
        model = self.built.model
        model.clear_hints()  # type: ignore[no-untyped-call]
        chosen = set() if hint is None else set(hint.values())
        for index, var in self.vars.items():
            model.add_hint(var, index in chosen)
        model.minimize(
            sum(round(PRICE_SCALE * c) * self.vars[i] for i, c in zip(flat, costs, strict=True))
        )
        solver = sound_solver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = self.seed
        solver.parameters.max_deterministic_time = EXACT_PRICING_WORK
        solver.parameters.linearization_level = EXACT_LINEARIZATION
        found = _PlanCollector(self.vars, self.built.ctx.problem)
        status = solver.solve(model, found)
        optimal = status == cp_model.OPTIMAL
        return found.plans[-COLLECTED_PLANS:], solver.deterministic_time, optimal


class _PlanCollector(cp_model.CpSolverSolutionCallback):
    """Every plan CP-SAT finds, in order (each cheaper than the one before)."""

    def __init__(self, variables: dict[int, cp_model.IntVar], problem: Problem) -> None:
        super().__init__()
        self.variables = variables
        self.problem = problem
        self.plans: list[Plan] = []

    def on_solution_callback(self) -> None:
        candidates = self.problem.candidates
        self.plans.append(
            {candidates[i].day: i for i, var in self.variables.items() if self.value(var)}
        )


@dataclass
class _Pricing:
    """Pricing rounds over the pool's free agents, within a deadline or a work budget.

    Each round prices every free agent by path search (milliseconds to a few hundred on long
    horizons with wide counters) and, for each agent whose path is neither a column nor proven
    the cheapest, exactly with CP-SAT (tens of milliseconds on 28 days, ~0.5 s on 84, ``lanes``
    agents side by side); convergence is declared only when a round at the duals themselves,
    every agent priced to proven optimality, found nothing. Work is counted in CP-SAT's
    deterministic units (paths converted at ``days_per_unit``), so a budget of it gives the
    same columns on every run.
    """

    pool: _Pool
    days_per_unit: float
    end: float | None
    budget: float | None
    stop: StopToken | None
    lanes: int
    seed: int
    smoothing: float = SMOOTHING
    rounds: int = 0
    work: float = 0.0
    exact_calls: int = 0
    converged: bool = False  # the last pricing proved the master LP optimal
    quick: bool = True  # each round prices by quick path search first
    exact_rounds: int = 0  # rounds in a row, up to the last, whose quick plans offered nothing
    pricers: dict[int, _ExactPricer] = field(default_factory=dict)
    forked: ForkedPricer | None = None
    started: float = field(default_factory=time.monotonic)

    def spent(self) -> bool:
        return (
            (self.end is not None and time.monotonic() >= self.end)
            or (self.budget is not None and self.work >= self.budget)
            or (self.stop is not None and self.stop.stopped)
        )

    def _exact_pricer(self, agent: int) -> _ExactPricer:
        """The agent's CP-SAT pricing model, built on first use."""
        pricer = self.pricers.get(agent)
        if pricer is None:
            pool = self.pool
            pricer = self.pricers[agent] = _ExactPricer(
                pool.problem, pool.solution, agent, self.seed
            )
        return pricer

    def priced_keeping(self, agent: int, cover_prices: FloatArray) -> Plan | None:
        """The agent's cheapest plan at ``cover_prices`` among those that keep their forced
        days, when the path search proves it the cheapest (else None)."""
        pool = self.pool
        priced = pool.responder.priced_plan(agent, cover_prices, forced=pool.forced.get(agent))
        self.work += pool.problem.scenario.horizon.days / self.days_per_unit
        if priced.plan is None or not priced.cheapest or not pool.keeps(agent, priced.plan):
            return None
        return priced.plan

    def plan_keeping(self, agent: int, forced: Forced) -> tuple[Plan | None, bool]:
        """A plan of the agent that keeps the ``forced`` days (cover unpriced), by path search,
        else by CP-SAT; and, when there is none, whether CP-SAT proved that no plan keeps them
        (its cheapest plan breaks one, and a plan breaking one costs more than any keeping
        them: see :meth:`~scheduler.solve.paths.BestResponder.priced_costs`)."""
        pool = self.pool
        unpriced = np.zeros(pool.shape)
        plan = pool.responder.priced_plan(agent, unpriced, forced=forced).plan
        self.work += pool.problem.scenario.horizon.days / self.days_per_unit
        if plan is not None and pool.keeps(agent, plan):
            return plan, False
        flat, costs = pool.responder.priced_costs(agent, unpriced, forced)
        plans, work, optimal = self._exact_pricer(agent).plan(flat, costs, None)
        self.work += work
        self.exact_calls += 1
        keeping = [found for found in plans if pool.keeps(agent, found)]
        if keeping:
            return keeping[-1], False
        return None, optimal and bool(plans)

    def generate(self, max_rounds: int) -> float | None:
        """Price until no free agent has a column with negative reduced cost (or ``max_rounds``
        or the work runs out); the master LP's last value.

        Prices are smoothed (Wentges): each round prices at a mix of the last round's prices
        and the new duals, which damps the duals' swings between rounds; a round that finds
        nothing at the mix is repeated at the duals themselves, so convergence is still
        proven at the LP's own prices.

        Each round first takes quick plans (see :meth:`_quick_round`), and prices exactly only
        when they offer no column. Root LP after 40 s from the repaired greedy roster
        (``python -m scheduler.benchmarks.column_root N --seconds 40 [--exact-only]``, pool
        costs): Curtois Instance 13 987.7 against 22,307.9 exact only (2 rounds), 15 3,152.2
        against 3,391.1, 19 2,082.7 against 5,936.6; Instance 8 converged in 25 s, 14 in 56 s.
        """
        value, prices = None, None
        self.converged = False
        for _ in range(max_rounds):
            if self.spent():
                break
            master = self.pool.solve_lp()
            if master is None:
                break
            value = master.value
            self.rounds += 1
            duals = master.cover_prices
            smoothed = prices is not None and prices.shape == duals.shape
            if prices is not None and smoothed:
                prices = self.smoothing * prices + (1 - self.smoothing) * duals
            else:
                prices = duals
            if self.quick and self._quick_round(master, prices):
                self.exact_rounds = 0
                continue  # quick plans found columns: exact pricing can wait
            self.exact_rounds += 1
            if smoothed:
                added, proven = self._round(master, prices)
                if added:
                    continue
            prices = duals
            added, proven = self._round(master, duals)
            if not added:
                self.converged = proven
                break
        return value

    def _quick_round(self, master: _Master, prices: FloatArray) -> int:
        """Price every free agent once by quick path search (see
        :meth:`~scheduler.solve.paths.BestResponder.priced_plan`); the columns added. Nothing
        is proven, and no CP-SAT call is made: a round costs milliseconds an agent.

        With two lanes or more, a forked helper plans every other agent meanwhile (see
        :mod:`scheduler.solve.forked_pricing`). Columns are offered in pool order, each
        agent's work counted as it is, so a work budget ends the round at the same agent on
        every run; on the clock, agents left unplanned end it."""
        pool = self.pool
        per_agent = pool.problem.scenario.horizon.days / self.days_per_unit
        free = [agent for agent in pool.columns if not pool.settled(agent)]
        helper = self._helper()
        mine, theirs = (free, []) if helper is None else (free[::2], free[1::2])
        if helper is not None:
            helper.submit(theirs, prices, {agent: pool.forced.get(agent) for agent in theirs})
        plans: dict[int, Plan | None] = {}
        for agent in mine:
            if self.spent():
                break
            forced = pool.forced.get(agent)
            plans[agent] = pool.responder.priced_plan(agent, prices, quick=True, forced=forced).plan
            if helper is None:  # one lane counts as it plans: the budget stops the planning
                self.work += per_agent
        if helper is not None:
            plans.update((a, priced.plan) for a, priced in zip(theirs, helper.plans(), strict=True))
        added = 0
        for agent in free:
            if agent not in plans:
                break
            if helper is not None:  # the plans are made; the budget counts them in order
                if self.budget is not None and self.work >= self.budget:
                    break
                self.work += per_agent
            plan = plans[agent]
            if plan is not None and pool.offer(agent, plan, master):
                added += 1
        return added

    def _helper(self) -> ForkedPricer | None:
        """The forked pricer, started at the first round that asks for it (None with one
        lane, or where processes cannot be forked)."""
        if self.lanes < 2 or not can_fork():
            return None
        if self.forked is None:
            self.forked = ForkedPricer(self.pool.responder)
        return self.forked

    def close(self) -> None:
        """End the forked pricer, if one was started."""
        if self.forked is not None:
            self.forked.close()
            self.forked = None

    def _round(self, master: _Master, prices: FloatArray) -> tuple[int, bool]:
        """Price every free agent once at cover ``prices``: by path search, and by CP-SAT where
        the path found no column, up to ``lanes`` of those solves running while the path
        search goes on to the next agents (a solve waits only for the one ``lanes`` before it,
        in the order agents are priced, so the columns and the work counted are the same on
        every run). With two lanes the forked helper path-searches every other agent while
        this process does the rest (see :mod:`scheduler.solve.forked_pricing`); its agents
        are priced after this process's own. On Curtois Instance 7's tree (scratch traces) an
        exact round took ~120 ms with every agent here, ~45 ms split. A plan becomes a column
        when its reduced cost at ``master``'s duals is negative. Returns the columns added and
        whether every agent was priced by CP-SAT to proven optimality (no column at the duals
        themselves then means the LP is optimal)."""
        pool, added, proven = self.pool, 0, True
        days = pool.problem.scenario.horizon.days
        free = [agent for agent in pool.columns if not pool.settled(agent)]
        lanes = max(1, self.lanes)
        helper = self._helper() if len(free) > 1 else None
        mine, theirs = (free, []) if helper is None else (free[::2], free[1::2])
        if helper is not None:
            forced = {agent: pool.forced.get(agent) for agent in theirs}
            helper.submit(theirs, prices, forced, quick=False)
        planned: dict[int, PricedPlan] = {}  # the helper's, collected at its first agent
        running: deque[tuple[int, Future[tuple[list[Plan], float, bool]]]] = deque()

        def collect() -> None:
            """Offer the plans of the oldest running solve."""
            nonlocal added, proven
            agent, job = running.popleft()
            plans, work, optimal = job.result()
            self.work += work
            self.exact_calls += 1
            proven &= optimal
            added += sum(pool.offer(agent, found, master) for found in plans)

        with ThreadPoolExecutor(max_workers=lanes) as executor:
            for agent in mine + theirs:
                if helper is not None and agent == theirs[0]:
                    planned.update(zip(theirs, helper.plans(), strict=True))
                if self.spent():
                    proven = False  # agents left unpriced: nothing is proven
                    break
                forced_days = pool.forced.get(agent)
                priced = planned.get(agent)
                if priced is None:
                    priced = pool.responder.priced_plan(agent, prices, forced=forced_days)
                plan = priced.plan
                self.work += days / self.days_per_unit
                if plan is not None and pool.offer(agent, plan, master):
                    added += 1
                    continue
                if priced.cheapest:
                    continue  # the path is the cheapest plan: this agent has no column
                # built here, on first use: building is Python, solving (in the pool) is not
                pricer = self._exact_pricer(agent)
                flat, costs = pool.responder.priced_costs(agent, prices, forced_days)
                if len(running) == lanes:
                    collect()
                running.append((agent, executor.submit(pricer.plan, flat, costs, plan)))
            while running:  # solves already started: their work is spent, their plans count
                collect()
        if helper is not None and not planned:  # stopped before its agents: collect its answer
            helper.plans()
        return added, proven


@dataclass(frozen=True)
class _Master:
    """A master LP solution: its value, duals and each agent's column weights."""

    value: float
    cover_prices: FloatArray  # by (shift type, day)
    agent_prices: dict[int, float]
    values: dict[int, list[float]]


class _Pool:
    """The columns generated so far, with the master LP and integer program over them."""

    def __init__(
        self, problem: Problem, responder: BestResponder, agents: list[int], solution: Solution
    ) -> None:
        self.problem = problem
        self.solution = solution
        self.responder = responder
        scenario = problem.scenario
        rows = scenario.shift_demand
        self.row_type, self.row_day = responder.cover_rows()
        self.required = np.array([r.required for r in rows], dtype=float)
        self.under = np.array([r.under_weight for r in rows], dtype=float)
        self.over = np.array([r.over_weight for r in rows], dtype=float)
        self.types = {t.id: k for k, t in enumerate(scenario.shift_types)}
        self.shape = (len(scenario.shift_types) + 1, scenario.horizon.days)
        # rows by (type, day); a shift meets every row with its type and day
        self.rows_at: dict[tuple[int, int], list[int]] = {}
        for r, key in enumerate(zip(self.row_type.tolist(), self.row_day.tolist(), strict=True)):
            self.rows_at.setdefault(key, []).append(r)
        # cover from agents outside the pool (on interval queues): fixed
        self.fixed_cover = np.zeros(len(rows))
        in_pool = set(agents)
        for (agent, _), index in solution.shifts.items():
            if agent not in in_pool:
                for r in self._rows_of(index):
                    self.fixed_cover[r] += 1
        self.lp = MasterLP(self.required - self.fixed_cover, self.under, self.over, agents)
        #: each agent's forced days and column count when the LP's bounds were last set: only
        #: agents whose days changed since, or who gained columns under forced days, are redone
        self._bounds_set: dict[int, tuple[Forced, int]] = {}
        self.columns: dict[int, list[Plan]] = {agent: [] for agent in agents}
        self.costs: dict[int, list[float]] = {agent: [] for agent in agents}
        self.cover: dict[int, list[list[int]]] = {agent: [] for agent in agents}
        #: each column's place in its agent's list, by :func:`_column_key`
        self.index: dict[ColumnKey, int] = {}
        self.incumbent: dict[int, int] = {}  # the integer master's hint: a column per agent
        self.forced: dict[int, Forced] = {}  # days a dive holds agents to
        #: each agent's days with a shift to choose
        self.days = {
            agent: sorted(d for d, o in problem.agents[agent].by_day.items() if o)
            for agent in agents
        }
        for agent in agents:
            plan = {day: i for (a, day), i in solution.shifts.items() if a == agent}
            self.add(agent, plan)
            self.incumbent[agent] = 0
        #: what every roster pays outside the pool's costs (such as shift-on requests' weight
        #: when none is met): a roster's objective is its pool value plus this
        self.constant = objective_parts(problem, solution).total - self.value(self.incumbent)

    @classmethod
    def from_plans(cls, problem: Problem, solution: Solution) -> _Pool:
        """A pool of ``solution``'s own plans for every agent on shift-type demand alone."""
        agents = [plan.index for plan in problem.agents if not problem.groups[plan.group]]
        return cls(problem, BestResponder(problem, solution), agents, solution)

    def size(self) -> int:
        return sum(len(plans) for plans in self.columns.values())

    def add(self, agent: int, plan: Plan) -> bool:
        """Add ``plan`` as a column of ``agent`` unless it is there already."""
        key = _column_key(agent, plan)
        if key in self.index:
            return False
        self.index[key] = len(self.columns[agent])
        cost = self.responder.own_cost(agent, plan)
        rows = [r for i in plan.values() for r in self._rows_of(i)]
        self.columns[agent].append(plan)
        self.costs[agent].append(cost)
        self.cover[agent].append(rows)
        self.lp.add_column(agent, cost, rows)
        return True

    def adopt(self, solution: Solution) -> None:
        """Add ``solution``'s plans as columns, and make them the incumbent when the pool
        rates them lower."""
        picks = {}
        for agent in self.columns:
            plan = {day: i for (a, day), i in solution.shifts.items() if a == agent}
            self.add(agent, plan)
            picks[agent] = self.index[_column_key(agent, plan)]
        self.consider(picks)

    def settled(self, agent: int) -> bool:
        """Whether a dive has forced every day of the agent (their plan is known)."""
        return len(self.forced.get(agent, ())) == len(self.days[agent])

    def keeps(self, agent: int, plan: Plan) -> bool:
        """Whether ``plan`` keeps every day the dive forced on the agent."""
        forced = self.forced.get(agent)
        return not forced or all(plan.get(day) == index for day, index in forced.items())

    def offer(self, agent: int, plan: Plan, master: _Master) -> bool:
        """Add ``plan`` when it keeps the forced days and its reduced cost at ``master``'s
        prices is negative (and it is new)."""
        if not self.keeps(agent, plan):
            return False
        reduced = self.reduced_cost(agent, plan, master.cover_prices) - master.agent_prices[agent]
        return reduced < -EPSILON and self.add(agent, plan)

    def reduced_cost(self, agent: int, plan: Plan, cover_prices: FloatArray) -> float:
        """The plan's own cost less what its shifts earn at ``cover_prices``."""
        earned = 0.0
        for index in plan.values():
            cand = self.problem.candidates[index]
            if cand.shift_type is not None:
                earned += float(cover_prices[cand.shift_type, cand.day])
        return self.responder.own_cost(agent, plan) - earned

    def consider(self, picks: dict[int, int]) -> None:
        """Make ``picks`` (a column per agent) the hint when the integer master rates it lower."""
        if self.value(picks) < self.value(self.incumbent):
            self.incumbent = picks

    def incumbent_plans(self) -> dict[int, Plan]:
        """Each agent's plan in the incumbent."""
        return {agent: self.columns[agent][c] for agent, c in self.incumbent.items()}

    def shortfall(self, solution: Solution) -> float:
        """Points ``solution``'s missing agents cost on the cover rows."""
        staffed = np.zeros(len(self.required))
        for index in solution.shifts.values():
            for r in self._rows_of(index):
                staffed[r] += 1
        return self._short(staffed)

    def lp_shortfall(self, master: _Master) -> float:
        """Points the missing agents cost in ``master``'s (fractional) solution."""
        staffed = self.fixed_cover.copy()
        for agent, values in master.values.items():
            for c, weight in enumerate(values):
                if weight > EPSILON:
                    np.add.at(staffed, self.cover[agent][c], weight)
        return self._short(staffed)

    def cover_cap(self, solution: Solution, master: _Master) -> float | None:
        """The under-cover (points) of a roster one agent short fewer than ``solution``, when
        ``master``'s LP is short of fewer agents than it (None otherwise)."""
        short = self.shortfall(solution)
        if short <= self.lp_shortfall(master) + LP_ROUND_OFF:
            return None
        return short - float(self.under[self.under > 0].min())

    def objective(self, picks: dict[int, int]) -> float:
        """The objective (points) of the roster ``picks`` make: their value plus the constant."""
        return self.value(picks) + self.constant

    def value(self, picks: dict[int, int]) -> float:
        staffed = self.fixed_cover.copy()
        own = 0.0
        for agent, c in picks.items():
            own += self.costs[agent][c]
            for r in self.cover[agent][c]:
                staffed[r] += 1
        over = np.maximum(staffed - self.required, 0) @ self.over
        return float(own + self._short(staffed) + over)

    def _short(self, staffed: FloatArray) -> float:
        """Points the agents missing against ``staffed`` cost on the cover rows."""
        return float(np.maximum(self.required - staffed, 0) @ self.under)

    def support(self, master: _Master) -> set[int]:
        """The shifts of every column ``master`` uses, and of the incumbent's."""
        shifts: set[int] = set()
        for agent, values in master.values.items():
            for c, plan in enumerate(self.columns[agent]):
                if values[c] > EPSILON or c == self.incumbent[agent]:
                    shifts.update(plan.values())
        return shifts

    def solve_lp(self) -> _Master | None:
        """The master LP over the pool (columns that break a dive's forced days held at 0),
        re-solved from the last solve's basis (see :mod:`scheduler.solve.master_lp`)."""
        self._set_bounds()
        solved = self.lp.solve()
        if solved is None:
            return None
        prices = np.zeros(self.shape)
        np.add.at(prices, (self.row_type, self.row_day), solved.cover_duals)
        return _Master(
            value=solved.value,
            cover_prices=prices,
            agent_prices=solved.agent_duals,
            values=solved.values,
        )

    def _set_bounds(self) -> None:
        """Hold at 0 the columns that break a forced day, and reopen the rest, for the agents
        whose forced days changed since the last LP (or who gained columns under them): a
        tree node changes one agent's, and redoing every column took ~7 % of the tree's time
        (Curtois Instance 7, a scratch profile)."""
        for agent, plans in self.columns.items():
            forced = self.forced.get(agent) or {}
            was, counted = self._bounds_set.get(agent, ({}, 0))
            if forced == was and (not forced or counted == len(plans)):
                continue
            first = counted if forced == was else 0
            for c in range(first, len(plans)):
                self.lp.set_open(agent, c, self.keeps(agent, plans[c]))
            self._bounds_set[agent] = (dict(forced), len(plans))

    def solve_integer(
        self,
        deadline: float | None,
        work: float | None,
        seed: int,
        workers: int,
        stop: StopToken | None,
        *,
        floor: float,
    ) -> tuple[dict[int, Plan] | None, float]:
        """One column per agent minimising own costs plus cover penalties (hinted with the
        incumbent's plans), or None when CP-SAT found nothing within its limits; and the work
        CP-SAT did."""
        model = cp_model.CpModel()
        picks: dict[int, list[cp_model.IntVar]] = {}
        staffed: list[list[cp_model.IntVar]] = [[] for _ in self.required]
        terms = []
        for agent, plans in self.columns.items():
            picks[agent] = [model.new_bool_var(f"x[{agent},{c}]") for c in range(len(plans))]
            model.add_exactly_one(picks[agent])
            for c, x in enumerate(picks[agent]):
                model.add_hint(x, c == self.incumbent[agent])
                terms.append(round(SCALE * self.costs[agent][c]) * x)
                for r in self.cover[agent][c]:
                    staffed[r].append(x)
        for r, xs in enumerate(staffed):
            count = sum(xs) + int(self.fixed_cover[r])
            top = len(xs) + int(self.fixed_cover[r])
            need = int(self.required[r])
            if self.under[r]:
                under = model.new_int_var(0, max(0, need), f"under[{r}]")
                model.add(under >= need - count)
                terms.append(round(SCALE * self.under[r]) * under)
            if self.over[r]:
                over = model.new_int_var(0, max(0, top), f"over[{r}]")
                model.add(over >= count - need)
                terms.append(round(SCALE * self.over[r]) * over)
        coefficients = [SCALE * c for costs in self.costs.values() for c in costs]
        if all(float(c).is_integer() for c in coefficients):  # else rounding could cut it
            # no choice of columns costs less than the LP over all of them: stated, it lets
            # CP-SAT stop as soon as it meets it (Curtois Instance 4 spent 30 s proving it)
            model.add(sum(terms) >= math.floor(SCALE * floor) - 1)  # less LP round-off
        model.minimize(sum(terms))
        solver = sound_solver()
        solver.parameters.num_workers = max(1, workers)
        solver.parameters.random_seed = seed
        if deadline is not None:
            solver.parameters.max_time_in_seconds = max(0.01, deadline - time.monotonic())
        if work is not None:
            solver.parameters.max_deterministic_time = work
            # parallel workers only replay identically when their search is interleaved
            solver.parameters.interleave_search = workers > 1
        if stop is not None and stop.stopped:
            return None, 0.0
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, solver.deterministic_time
        chosen = {
            agent: self.columns[agent][next(c for c, x in enumerate(xs) if solver.value(x))]
            for agent, xs in picks.items()
        }
        return chosen, solver.deterministic_time

    def _rows_of(self, index: int) -> list[int]:
        cand = self.problem.candidates[index]
        if cand.shift_type is None:
            return []
        return self.rows_at.get((cand.shift_type, cand.day), [])
