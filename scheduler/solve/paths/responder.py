"""Best responses: each agent's plan against everyone else's shifts, kept up to date as plans
are committed, and the sweeps that improve a roster with them."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from scheduler.model.evaluate import group_working
from scheduler.model.problem import AgentPlan, FloatArray, Problem
from scheduler.model.rules.weekends import weekend_block
from scheduler.model.solution import Solution
from scheduler.solve.greedy import allocate, place_breaks, shift_cost
from scheduler.solve.paths.counting import CountingPaths, Split, split_limits
from scheduler.solve.paths.day_graph import DayEdges, DayGraph, StateLayout
from scheduler.solve.paths.limits import (
    AgentShifts,
    Limit,
    counted_limits,
    most_in_week,
)
from scheduler.solve.paths.pricing import (
    CERTIFY_ROUNDS,
    FIRST_STEP,
    QUICK_CERTIFY_ROUNDS,
    PriceSearch,
)

#: Days a plan must keep: local day → the candidate worked that day, or None for a day off.
Forced = dict[int, int | None]


@dataclass(frozen=True)
class PricedPlan:
    """An agent's plan at given cover prices (None: no path kept every limit), and whether
    it is proven the agent's cheapest plan at those prices."""

    plan: dict[int, int] | None
    cheapest: bool


class BestResponder:
    """Plans agents one at a time against a roster it keeps up to date (:meth:`commit`).

    Shared work is done once per problem: shift-type demand as arrays, the forbidden
    successions, the edges between days (equal for most days of most agents) and, per contract,
    the prices the last agent's plan settled on, where the next agent's search starts.
    """

    def __init__(self, problem: Problem, solution: Solution) -> None:
        self.problem = problem
        scenario = problem.scenario
        self.shifts = dict(solution.shifts)
        self._breaks, self._allocation = solution.breaks, solution.allocation
        self._moved_skilled = False  # whether the allocation to queues must be made again
        self._types = {t.id: k for k, t in enumerate(scenario.shift_types)}
        days = scenario.horizon.days
        none = len(scenario.shift_types)  # shifts without a type count in a row nobody reads
        self._counts = np.zeros((none + 1, days), dtype=np.int64)
        for index in self.shifts.values():
            self._counts[self._type_of(index), problem.candidates[index].day] += 1
        rows = scenario.shift_demand
        start = scenario.horizon.start
        self._row_type = np.array([self._types[r.shift_type] for r in rows], dtype=np.int64)
        self._row_day = np.array([(r.date - start).days for r in rows], dtype=np.int64)
        self._row_required = np.array([r.required for r in rows], dtype=np.int64)
        self._row_under = np.array([r.under_weight for r in rows], dtype=float)
        self._row_over = np.array([r.over_weight for r in rows], dtype=float)
        self._forbidden = np.zeros((none + 1, none + 1), dtype=bool)
        for k, shift_type in enumerate(scenario.shift_types):
            for other in shift_type.cannot_follow:
                self._forbidden[k, self._types[other]] = True
        self._edges: dict[tuple[object, ...], DayEdges] = {}
        self._warm: dict[object, tuple[FloatArray, FloatArray]] = {}
        #: the last planned agent's costs, which :meth:`gain` reads instead of computing again
        self._last_costs: tuple[int, FloatArray] | None = None
        self._graphs: dict[int, _AgentGraph] = {}
        self._pricing_graphs: dict[int, _AgentGraph] = {}

    def solution(self) -> Solution:
        """The roster as committed so far. Breaks are kept for shifts it already had and placed
        at their earliest fitting start on new ones, and multi-skill agents' time is allocated
        again (as greedy does): plans only choose shifts."""
        problem = self.problem
        breaks = {i: self._breaks[i] for i in self.shifts.values() if i in self._breaks}
        unvalued = np.zeros(problem.n_slots)
        for index in self.shifts.values():
            cand = problem.candidates[index]
            if cand.breaks and index not in breaks:
                breaks[index] = place_breaks(problem, cand, unvalued)
        solution = Solution(shifts=dict(self.shifts), breaks=breaks, allocation=self._allocation)
        if self._moved_skilled:
            solution.allocation = allocate(problem, solution)
        return solution

    def commit(self, agent: int, plan: dict[int, int]) -> None:
        """Replace the agent's shifts by ``plan`` in the roster the next plans answer."""
        for day in self.problem.agents[agent].by_day:
            old = self.shifts.pop((agent, day), None)
            if old is not None:
                self._counts[self._type_of(old), day] -= 1
        for day, index in plan.items():
            self.shifts[(agent, day)] = index
            self._counts[self._type_of(index), day] += 1
        self._last_costs = None  # the others' counts changed
        self._moved_skilled |= bool(self.problem.groups[self.problem.agents[agent].group])

    def gain(self, agent: int, plan: dict[int, int]) -> float:
        """Points the objective drops by if the agent swaps their shifts for ``plan`` (exact for
        agents without interval queues: every soft term is then linear in their shifts)."""
        if not any(self.problem.agents[agent].by_day.values()):
            return 0.0  # nothing to work, nothing to change
        graph = self._graph(agent)
        if self._last_costs is not None and self._last_costs[0] == agent:
            base = self._last_costs[1]
        else:
            base = self._base_costs(agent, graph)
        position = graph.path.position
        mine = (self.shifts.get((agent, day)) for day in self.problem.agents[agent].by_day)
        now = sum(base[position[i]] for i in mine if i is not None)
        return float(now - sum(base[position[i]] for i in plan.values()))

    def plan(
        self, agent: int, *, shake: float = 0.0, rng: np.random.Generator | None = None
    ) -> dict[int, int] | None:
        """The agent's shifts (local day → candidate) keeping every counted rule, or None.

        Deterministic: no clock, and noise seeded by the agent. None means no price found a
        path within every counted limit in :data:`~scheduler.solve.paths.pricing.PRICE_ROUNDS`
        passes (it does not prove that no plan exists). ``shake`` > 0 plans against costs
        disturbed by ``rng``'s normal noise of that many typical shift costs: a kick that moves
        a search off a roster where no single agent's best response improves.
        """
        if not any(self.problem.agents[agent].by_day.values()):
            return {}
        graph = self._graph(agent)
        base = self._base_costs(agent, graph)
        self._last_costs = (agent, base)
        typical = _typical(base)
        if shake and rng is not None:
            base = base + rng.normal(0.0, shake * typical, len(base))
        return self._cheapest(agent, graph, base, typical)[0]

    def priced_plan(
        self,
        agent: int,
        cover_prices: FloatArray,
        *,
        quick: bool = False,
        forced: Forced | None = None,
    ) -> PricedPlan:
        """The agent's plan (as :meth:`plan`) when a shift of type ``t`` on day ``d`` earns
        ``cover_prices[t, d]`` points instead of what it adds to the roster's cover: the
        pricing step of column generation, whose prices are the master LP's duals.

        The path carries in its states every counted limit that fits the counter even where
        others stay priced (:meth:`_pricing_graph`), so the plan is often proven the cheapest
        outright and the column step needs no CP-SAT call for the agent. ``quick`` plans on
        the sweeps' graph instead, where such limits are priced unless all of them fit: the
        cheapest legal path its price search meets, rarely proven, but a pass costs a fraction
        of a counting one (Curtois Instance 13: ~0.3 ms against ~250 ms), and column
        generation's early rounds need good columns, not proofs.

        ``forced`` days (a dive's) must keep their shift, or stay off (None): see
        :meth:`priced_costs`; the plan is the cheapest of those that keep them when any does."""
        if not any(self.problem.agents[agent].by_day.values()):
            return PricedPlan({}, cheapest=True)
        graph = self._graph(agent) if quick else self._pricing_graph(agent)
        costs = self.priced_costs(agent, cover_prices)[1]
        typical = _typical(costs)  # the shifts' own scale, not the forcing's
        if forced:
            costs = costs + _forcing(graph, forced, costs)
        certify = QUICK_CERTIFY_ROUNDS if quick else CERTIFY_ROUNDS
        plan, proven = self._cheapest(agent, graph, costs, typical, certify=certify)
        return PricedPlan(plan, cheapest=plan is not None and (proven or not graph.limits))

    def prices_exactly(self, agent: int) -> bool:
        """Whether every counted limit of the agent is carried by the path's states
        (:mod:`scheduler.solve.paths.counting`), none priced: one shortest path then settles
        any plan, a best response as much as a priced one."""
        return not self._graph(agent).limits

    def priced_costs(
        self, agent: int, cover_prices: FloatArray, forced: Forced | None = None
    ) -> tuple[list[int], FloatArray]:
        """The agent's candidates and what each costs at ``cover_prices`` (see
        :meth:`priced_plan`); with ``forced`` days, a shift that breaks one costs more, and a
        forced shift less, than any difference between two plans' costs can make up."""
        graph = self._graph(agent)
        costs = graph.fixed_costs - cover_prices[graph.types, graph.days]
        if forced:
            costs = costs + _forcing(graph, forced, costs)
        return graph.flat, costs

    def own_cost(self, agent: int, plan: dict[int, int]) -> float:
        """Points the agent's ``plan`` costs apart from cover: labour, unsocial hours,
        preferences and shift requests (exact for agents without interval queues)."""
        if not plan:
            return 0.0
        graph = self._graph(agent)
        return float(sum(graph.fixed_costs[graph.path.position[i]] for i in plan.values()))

    def cover_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """(type, day) of each ``shift_demand`` row, in scenario order."""
        return self._row_type, self._row_day

    def _cheapest(
        self,
        agent: int,
        graph: _AgentGraph,
        base: FloatArray,
        typical: float,
        *,
        certify: int = 0,
    ) -> tuple[dict[int, int] | None, bool]:
        """The cheapest path under ``base`` costs that keeps every counted limit, or None
        (``typical``: the size of a shift's cost, which scales the first price steps); and
        whether its prices prove it the cheapest plan (see
        :func:`~scheduler.solve.paths.pricing.complementary`)."""
        limits = graph.limits
        cold = (
            np.zeros(len(limits)),
            np.array([FIRST_STEP * typical / limit.typical for limit in limits]),
        )
        # at a price where two paths tie, one over and one under a limit (the dual's gap), the
        # prices alone cannot settle: seeded noise on the costs then breaks the ties other ways
        search = PriceSearch(
            graph.path,
            graph.usage,
            limits,
            graph.blocks,
            graph.weekend_cap,
            graph.tie_noise * typical,
            graph.carried,
        )
        # the prices this agent's last plan settled on first (a sweep re-plans them against a
        # roster that barely moved), then the last plan's on the same contract, which usually
        # settle in a few rounds; from scratch when neither does
        starts = [self._warm.get(graph.agent_key), self._warm.get(graph.warm_key), cold]
        for start in starts:
            if start is None:
                continue
            chosen, settled, proven = search.run(base, *start, certify=certify)
            if chosen is not None:
                self._warm[graph.agent_key] = self._warm[graph.warm_key] = settled
                return chosen, proven
        return None, False

    def reset(self, shifts: dict[tuple[int, int], int]) -> None:
        """Go back to an earlier roster of shifts (the same agents' breaks and queue time)."""
        self.shifts = dict(shifts)
        self._counts[:] = 0
        for (_, day), index in self.shifts.items():
            self._counts[self._type_of(index), day] += 1
        self._last_costs = None

    def _graph(self, agent: int) -> _AgentGraph:
        """The agent's candidates, path graph, counted limits and fixed costs (built once)."""
        found = self._graphs.get(agent)
        if found is not None:
            return found
        problem = self.problem
        plan = problem.agents[agent]
        days = problem.scenario.horizon.days
        options = [plan.by_day.get(day, []) for day in range(days)]
        flat = [index for day_options in options for index in day_options]
        shifts = AgentShifts.of(problem, flat)
        limits = counted_limits(problem, plan, shifts)
        blocks = [weekend_block(problem, day) for day in range(days)]
        offsets = np.cumsum([0] + [len(day_options) for day_options in options])
        allowed = [
            self.allowed(
                plan,
                shifts,
                slice(offsets[day], offsets[day + 1]),
                slice(offsets[day + 1], offsets[day + 2]),
            )
            for day in range(days - 1)
        ]
        days_graph = DayGraph(plan.contract, options, allowed, blocks, self.edges)
        cap = plan.contract.max_weekends
        split = split_limits(
            limits,
            [most_in_week(limit.usage, shifts.day) for limit in limits],
            cap,
            len({blocks[day] for day in range(days) if options[day] and blocks[day] is not None}),
            len(flat),
        )
        # carried only when every limit is: a counting pass costs ~10 plain ones, too many
        # for the price search's rounds over limits left priced
        exact = not split.priced and split.weekends_carried
        path: DayGraph | CountingPaths = days_graph
        if exact and split.counters is not None:
            path = CountingPaths(days_graph, split.counters)
        carried, limits = (limits, []) if exact else ([], limits)
        usage = np.array([limit.usage for limit in limits]) if limits else np.zeros((0, len(flat)))
        weekend_cap = None if exact else cap
        if weekend_cap is not None:  # priced on the path itself (see DayGraph)
            limits.append(Limit(np.zeros(0), None, weekend_cap))
        fixed = np.array([shift_cost(problem, problem.candidates[i]) for i in flat], dtype=float)
        types = np.array([self._type_of(i) for i in flat], dtype=np.int64)
        start = problem.scenario.horizon.start
        for request in plan.agent.shift_requests:
            day, wanted = (request.date - start).days, self._types[request.shift_type]
            sign = -1 if request.kind == "on" else 1
            fixed[(shifts.day == day) & (types == wanted)] += sign * request.weight
        graph = self._graphs[agent] = _AgentGraph(
            flat=flat,
            path=path,
            limits=limits,
            usage=usage,
            carried=carried,
            weekend_cap=weekend_cap,
            blocks=blocks,
            fixed_costs=fixed,
            types=types,
            days=shifts.day,
            tie_noise=np.random.default_rng(agent).uniform(-1.0, 1.0, len(flat)),
            warm_key=(plan.contract.id, tuple((limit.low, limit.high) for limit in limits)),
            agent_key=agent,
            day_graph=days_graph,
            split=split,
        )
        return graph

    def _pricing_graph(self, agent: int) -> _AgentGraph:
        """The agent's graph with every counted limit the counter fits carried, the rest
        priced (built on first use).

        Sweeps carry limits only when all of them fit: a counting pass costs ~10 plain ones,
        too many for every round of a price search. Pricing a column is different: the
        alternative is a CP-SAT solve (~0.5 s on 84 days), and with the two-sided total
        minutes carried, a single priced cap (Curtois Instance 18: late shifts ≤ 43 of 52–54)
        usually settles at a price where the path is proven the cheapest plan."""
        graph = self._graph(agent)
        split = graph.split
        if not graph.limits or split.counters is None:
            return graph  # exact already, or nothing fits the counter
        found = self._pricing_graphs.get(agent)
        if found is not None:
            return found
        limits = list(split.priced)
        usage = np.array([x.usage for x in limits]) if limits else np.zeros((0, len(graph.flat)))
        cap = None if split.weekends_carried else self.problem.agents[agent].contract.max_weekends
        if cap is not None:  # priced on the path itself (see DayGraph)
            limits.append(Limit(np.zeros(0), None, cap))
        found = self._pricing_graphs[agent] = replace(
            graph,
            path=CountingPaths(graph.day_graph, split.counters),
            limits=limits,
            usage=usage,
            carried=split.carried,
            weekend_cap=cap,
            warm_key=("carried", graph.warm_key[0], *((x.low, x.high) for x in limits)),
            agent_key=("carried", agent),
        )
        return found

    def allowed(
        self, plan: AgentPlan, shifts: AgentShifts, today: slice, tomorrow: slice
    ) -> np.ndarray:
        """Which of tomorrow's shifts may follow each of today's (rest, forbidden successions)."""
        rest = math.ceil(plan.contract.min_rest_hours * 60 / self.problem.slot)
        rested = shifts.start[None, tomorrow] >= shifts.end[today, None] + rest
        forbidden = self._forbidden[shifts.kind[today, None], shifts.kind[None, tomorrow]]
        allowed: np.ndarray = rested & ~forbidden
        return allowed

    def edges(
        self, layout: StateLayout, n: int, m: int, allowed: np.ndarray, flags: tuple[bool, bool]
    ) -> DayEdges:
        """The edges between two days, built once for every agent and day that share them."""
        key = (layout, n, m, allowed.tobytes(), flags)
        found = self._edges.get(key)
        if found is None:
            found = self._edges[key] = layout.edges(n, m, allowed, *flags)
        return found

    def _type_of(self, index: int) -> int:
        shift_type = self.problem.candidates[index].shift_type
        return len(self.problem.scenario.shift_types) if shift_type is None else shift_type

    def _base_costs(self, agent: int, graph: _AgentGraph) -> FloatArray:
        """Each candidate's change to the objective (points) if the agent works it, others kept."""
        problem = self.problem
        plan = problem.agents[agent]
        costs = graph.fixed_costs.copy()
        if len(self._row_type):
            others = self._counts.copy()
            for day in plan.by_day:
                mine = self.shifts.get((plan.index, day))
                if mine is not None:
                    others[self._type_of(mine), day] -= 1
            worked = others[self._row_type, self._row_day]
            delta = np.zeros_like(others, dtype=float)
            change = np.where(worked >= self._row_required, self._row_over, -self._row_under)
            np.add.at(delta, (self._row_type, self._row_day), change)
            costs += delta[graph.types, graph.days]
        skills = list(problem.groups[plan.group])
        if skills:
            # breaks not placed yet are ignored here: an estimate, where the roster is not needed
            shifts = Solution(dict(self.shifts), self._breaks, self._allocation)
            costs -= coverage_gain(problem, shifts, plan, graph.flat, skills)
        return costs


@dataclass(frozen=True)
class _AgentGraph:
    """What planning one agent needs that the roster does not change, built on first use."""

    flat: list[int]  # candidates in day order: the order of every array here
    path: DayGraph | CountingPaths
    limits: list[Limit]  # the counted limits priced (the weekend cap last, when priced)
    usage: FloatArray
    carried: list[Limit]  # the counted limits the path's states keep
    weekend_cap: int | None  # when priced
    blocks: list[int | None]
    fixed_costs: FloatArray  # labour, unsocial hours, preferences and shift requests
    types: np.ndarray
    days: np.ndarray
    tie_noise: FloatArray
    warm_key: tuple[object, ...]  # whose settled prices a search may start from: same limits
    agent_key: object  # where this agent's own settled prices are kept
    day_graph: DayGraph  # the path without counters
    split: Split  # which counted limits a counter could carry


def _forcing(graph: _AgentGraph, forced: Forced, costs: FloatArray) -> FloatArray:
    """Costs that make every plan keeping ``forced`` cheaper than every plan breaking it: a
    forced shift earns, and another shift on a forced day costs, more than ``costs`` can sum
    to over any plan."""
    big = 2.0 * float(np.abs(costs).sum()) + 1.0
    extra = np.zeros(len(graph.flat))
    position = graph.path.position
    for day, index in forced.items():
        extra[graph.days == day] = big
        if index is not None:
            extra[position[index]] = -big
    return extra


def _typical(costs: FloatArray) -> float:
    return max(1.0, float(np.mean(np.abs(costs))))


def coverage_gain(
    problem: Problem, solution: Solution, plan: AgentPlan, flat: list[int], skills: list[int]
) -> FloatArray:
    """Under-staffing a shift would cover: demand the others leave uncovered, by priority."""
    spi = problem.slots_per_interval
    others = Solution(
        shifts={k: v for k, v in solution.shifts.items() if k[0] != plan.index},
        breaks=solution.breaks,
        allocation=solution.allocation,
    )
    working = group_working(problem, others).reshape(len(problem.groups), -1, spi).sum(axis=2)
    share = np.zeros_like(problem.required_units, dtype=float)
    for group, group_skills in enumerate(problem.groups):
        for queue in group_skills:
            share[queue] += working[group] / len(group_skills)
    residual = np.repeat(problem.required_units - share, spi, axis=1) / spi
    priority = np.array([q.priority for q in problem.queues], dtype=float)
    value = (np.clip(residual[skills], 0, 1) * priority[skills, None]).max(axis=0)
    prefix = np.concatenate(([0.0], np.cumsum(value)))
    per_slot = problem.scenario.policy.weights.under_staffing * problem.slot / 60
    return np.array(
        [
            (prefix[problem.candidates[i].end] - prefix[problem.candidates[i].start]) * per_slot
            for i in flat
        ]
    )
