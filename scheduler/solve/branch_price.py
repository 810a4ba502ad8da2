"""Branch-and-price on agent-days: a roster proven optimal where the root LP is nearly tight.

The column step's dive forces the LP's most decided days and never goes back, so it ends a few
points above the optimum when the LP is within a few points of it (Curtois Instance 6: root LP
1,949.0, dives and the narrowed model 1,952, optimum 1,950). Here the same pool and pricing
search a tree instead. A node forces some agent-days to a shift or to a day off; it is priced
until its LP is optimal over every plan that keeps them, and cut off when that LP cannot beat
the best roster by a whole point (the objective is integral). Otherwise its most fractional
day, the one whose heaviest option holds the LP weight nearest one half, is branched on: one
child per option of that day, heaviest first, depth first. Both children of such a day tend to
raise the LP, so the tree stays small. On Instance 6 (scratch, from the root with the dive's
1,952 as the incumbent) it searched its whole tree in 11 nodes and 3.3 s, 1,950 found at the
fourth; branching on the most decided day instead (the dive's order) searched 512 nodes in 90 s
without a better roster. In the solve, 5 nodes and 1.1 s (the root's bound ends it, below).

A child forces one more day on one agent, so its parent's proven duals bound it before it is
priced: the child's LP is at least the parent's plus the rise in that agent's convexity dual
to the least reduced cost of a plan keeping the child's days (the path search's, when it
proves it). A child that bound cuts costs one path search, not a node's pricing rounds. From
a solve's roster (scratch, the same pool and limits either way): Instance 5's whole tree
from 1,143 took 566 nodes and 64 s without it, 137 nodes (16 children cut unpriced) and 18 s
with it; on 7 from 1,057, 373 nodes in 100 s without, 475 with.

A depth-first search finds its rosters on its first dives, then spends its time deep in one
subtree. So it starts again from the root after :data:`RESTART_NODES` nodes, and after twice
as many the next time: each new search dives through the LP of a pool that has grown, below
an incumbent that cuts more, and the doubling lets a tree small enough be searched whole.

A node whose LP picks one column per agent is a roster; so, in effect, is the heaviest column
of each agent at any node, which the pool keeps when it beats its incumbent. The search proves
that roster optimal when it runs out of nodes and every node it closed was closed by a proof
(an LP priced to optimality, or CP-SAT showing that no plan keeps a node's days), or as soon
as the roster lies within a point of the root's proven LP.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

import numpy as np

from scheduler.solve.master_lp import LP_ROUND_OFF

if TYPE_CHECKING:
    from scheduler.solve.columns import _Master, _Pool, _Pricing

#: LP weights within this of 0 or 1 are decided.
INTEGRAL = 1e-6
#: Nodes a search visits before it starts again from the root (twice as many each time).
#: Scratch trees on Curtois Instance 7 from four solves' rosters (their root converged, 60 s
#: each, the same pool and limits each way): one search improved two of them (1,059 → 1,056,
#: 1,057 → 1,056 proven optimal); restarts after 60, 120, 240 ... nodes three (1,057 → 1,056,
#: 1,058 → 1,057, 1,059 → 1,056 proven optimal in 25.4 s); restarts every 60 nodes two.
RESTART_NODES = 60


@dataclass(frozen=True)
class BranchOutcome:
    """How the tree search ended: ``proven`` when every node was searched or cut by a proven
    LP (the pool's incumbent is then optimal); nodes visited and cut."""

    proven: bool
    nodes: int
    cut: int
    screened: int = 0  # children cut by their parent's duals, never priced


@dataclass
class _Frame:
    """A branched day and the options of it still to try (heaviest first); and, when the
    node's LP was proven, its value (objective points) and duals, which bound its children."""

    agent: int
    day: int
    options: list[int | None]
    parent: _Duals | None = None


@dataclass(frozen=True)
class _Duals:
    """A proven node LP's value (objective points), cover prices and the branched agent's
    convexity dual."""

    value: float
    cover_prices: np.ndarray
    agent_price: float


class _Verdict(Enum):
    """A node that is not branched on."""

    CUT = "its LP, proven, cannot beat the best roster by a whole point"
    LEAF = "its LP, proven, picks one column per agent: the best roster under it"
    UNPROVEN = "given up without a proof (no plan keeps its days, or pricing stopped)"


def branch_and_price(
    pool: _Pool,
    pricing: _Pricing,
    max_rounds: int,
    first_restart: int = RESTART_NODES,
    patience: int | None = None,
) -> BranchOutcome:
    """Search the tree below the root (``pool.forced`` empty) until ``pricing``'s limits end
    it, no node is left or ``patience`` nodes in a row (counted across restarts) found no
    better roster; rosters better than the pool's incumbent replace it.

    A search that has visited ``first_restart`` nodes starts again from the root, with the
    columns and the incumbent it found, and twice the nodes before the next restart (see
    :data:`RESTART_NODES`), so a tree small enough is still searched whole.

    ``max_rounds`` caps each node's pricing rounds. Only for integral objectives: a node is cut
    when its LP (plus the pool's constant, in whole points of the objective) cannot gain a
    whole point.
    """
    total = BranchOutcome(proven=False, nodes=0, cut=0)
    most = first_restart
    stall = _Stall(patience, pool.value(pool.incumbent))
    while not pricing.spent() and not stall.out():
        outcome, whole = _search_once(pool, pricing, max_rounds, most, stall)
        total = BranchOutcome(
            outcome.proven,
            total.nodes + outcome.nodes,
            total.cut + outcome.cut,
            total.screened + outcome.screened,
        )
        if whole:  # searched to its end, or proven: another search would find nothing
            break
        most *= 2
    return total


@dataclass
class _Stall:
    """Nodes searched in a row without a better roster, against the ``patience`` allowed
    (None: any number)."""

    patience: int | None
    best: float
    since: int = 0

    def count(self, value: float) -> None:
        """Count a node after which the incumbent's pool value is ``value``."""
        self.since = 0 if value < self.best else self.since + 1
        self.best = min(self.best, value)

    def out(self) -> bool:
        return self.patience is not None and self.since >= self.patience


def _search_once(
    pool: _Pool, pricing: _Pricing, max_rounds: int, most: int, stall: _Stall
) -> tuple[BranchOutcome, bool]:
    """One depth-first search from the root, of at most ``most`` nodes (and within
    ``stall``'s patience); and whether it ended on its own (its tree searched, or the
    incumbent proven; a proof implies it), not at a limit."""
    nodes = cut = 0
    proven = True  # so far, every node closed was closed by a proof
    whole = False
    root: float | None = None  # the root's proven LP: no roster anywhere costs less
    stack: list[_Frame] = []
    screened = 0
    while True:
        if pricing.spent() or nodes >= most or stall.out():
            proven = False  # nodes left unsearched
            break
        nodes += 1
        judged, proven_lp = _node(pool, pricing, max_rounds)
        stall.count(pool.value(pool.incumbent))
        if nodes == 1:
            root = proven_lp
        if isinstance(judged, _Frame):
            stack.append(judged)
        elif judged is _Verdict.CUT:
            cut += 1
        elif judged is _Verdict.UNPROVEN:
            proven = False
        if root is not None and _no_better(pool, root):
            proven = whole = True  # the incumbent is within a point of the root's bound
            break
        more, skipped = _next_child(pool, pricing, stack)
        screened += skipped
        if not more:
            whole = True  # the tree is searched
            break
    pool.forced.clear()
    return BranchOutcome(proven, nodes, cut, screened), whole


def _node(
    pool: _Pool, pricing: _Pricing, max_rounds: int
) -> tuple[_Frame | _Verdict, float | None]:
    """Price the node (``pool.forced``) and judge it, or pick the day to branch on; and its LP
    value (objective points) when pricing proved it optimal."""
    verdict = _open_columns(pool, pricing)
    if verdict is not None:
        return verdict, None
    pricing.generate(max_rounds)
    master = pool.solve_lp()
    if master is None:
        return _Verdict.UNPROVEN, None
    proven_lp = master.value + pool.constant if pricing.converged else None
    if proven_lp is not None and _no_better(pool, proven_lp):
        return _Verdict.CUT, proven_lp
    pool.consider({agent: int(np.argmax(values)) for agent, values in master.values.items()})
    fractional = _most_fractional(pool, master)
    if fractional is None:
        return (_Verdict.UNPROVEN if proven_lp is None else _Verdict.LEAF), proven_lp
    agent, day = fractional
    parent = None
    if proven_lp is not None:
        parent = _Duals(proven_lp, master.cover_prices, master.agent_prices[agent])
    return _Frame(agent, day, _options(pool, master, agent, day), parent), proven_lp


def _no_better(pool: _Pool, bound: float) -> bool:
    """Whether a proven LP ``bound`` (objective points) leaves no roster a whole point below
    the pool's incumbent."""
    return bound - LP_ROUND_OFF > pool.objective(pool.incumbent) - 1


def _next_child(pool: _Pool, pricing: _Pricing, stack: list[_Frame]) -> tuple[bool, int]:
    """Force the next untried option of the deepest branched day, skipping the children its
    parent's duals cut and backtracking past days whose options are spent: False when the
    tree is done; and the children skipped."""
    skipped = 0
    while stack:
        frame = stack[-1]
        forced = pool.forced.setdefault(frame.agent, {})
        while frame.options:
            forced[frame.day] = frame.options.pop(0)
            if not _screened_out(pool, pricing, frame):
                return True, skipped
            skipped += 1
        forced.pop(frame.day, None)
        if not forced:
            del pool.forced[frame.agent]
        stack.pop()
    return False, skipped


def _screened_out(pool: _Pool, pricing: _Pricing, frame: _Frame) -> bool:
    """Whether the child just forced (``pool.forced``) is cut by its parent's proven LP alone.

    Only the branched agent's plans differ between the two, so the parent's duals stay
    feasible for the child once that agent's convexity dual rises to the least reduced cost
    of a plan keeping the child's days: the child's LP is at least the parent's plus that
    rise (Lagrangian bound). The least plan comes from the path search, and counts only when
    the search proves it the cheapest."""
    parent = frame.parent
    if parent is None:
        return False
    agent = frame.agent
    priced = pricing.priced_keeping(agent, parent.cover_prices)
    if priced is None:
        return False
    rise = pool.reduced_cost(agent, priced, parent.cover_prices) - parent.agent_price
    return _no_better(pool, parent.value + max(0.0, rise))


def _open_columns(pool: _Pool, pricing: _Pricing) -> _Verdict | None:
    """Give every agent with forced days a column that keeps them (their LP row is empty
    otherwise): None when each has one; CUT when CP-SAT proved that some agent has no plan
    keeping their forced days, UNPROVEN when none was found without that proof."""
    for agent, forced in pool.forced.items():
        if any(pool.keeps(agent, plan) for plan in pool.columns[agent]):
            continue
        plan, none_exists = pricing.plan_keeping(agent, forced)
        if plan is None:
            return _Verdict.CUT if none_exists else _Verdict.UNPROVEN
        pool.add(agent, plan)
    return None


def _most_fractional(pool: _Pool, master: _Master) -> tuple[int, int] | None:
    """The unforced (agent, day) whose heaviest option's LP weight is nearest one half, or None
    when the LP picks one column per agent."""
    best: tuple[float, int, int] | None = None
    for agent, values in master.values.items():
        if max(values) > 1 - INTEGRAL:
            continue
        forced = pool.forced.get(agent, {})
        for day in pool.days[agent]:
            if day in forced:
                continue
            weights = _day_weights(pool, master, agent, day)
            heaviest = max(weights.values())
            if heaviest > 1 - INTEGRAL:
                continue
            key = (abs(heaviest - 0.5), agent, day)
            if best is None or key < best:
                best = key
    if best is None:
        return None
    return best[1], best[2]


def _day_weights(pool: _Pool, master: _Master, agent: int, day: int) -> dict[int | None, float]:
    """LP weight of each option (a shift, or None for off) the agent's columns take on ``day``."""
    weights: dict[int | None, float] = {}
    for value, plan in zip(master.values[agent], pool.columns[agent], strict=True):
        if value > INTEGRAL:
            option = plan.get(day)
            weights[option] = weights.get(option, 0.0) + value
    return weights


def _options(pool: _Pool, master: _Master, agent: int, day: int) -> list[int | None]:
    """Every option of the day (each shift, then a day off), the LP's heaviest first."""
    weights = _day_weights(pool, master, agent, day)
    options: list[int | None] = [*pool.problem.agents[agent].by_day[day], None]
    return sorted(options, key=lambda o: (-weights.get(o, 0.0), math.inf if o is None else o))
