"""One agent's best plan against everyone else's shifts, by dynamic programming over the days.

:mod:`scheduler.solve.repair` re-plans agents one at a time. CP-SAT needs seconds for a year-long
plan (Curtois Instance 24, 364 days × 19 shifts a day: 4–10 s to a first legal plan per agent),
too slow for 150 agents. Here the rules that chain one day to the next are the states and
transitions of a shortest path, so every path keeps them: one shift a day, forbidden successions,
rest between consecutive days' shifts, the longest run of working days and the shortest runs of
working days and of days off (a run touching a horizon edge is exempt, as in
:mod:`scheduler.model.rules.runs`). The rules that count over the horizon or a week — total
minutes, shifts per type, weekends, weekend days, paid hours, days off and unsocial shifts per
week — are priced with Lagrangian multipliers, adjusted until the path keeps them too. Every
soft term the agent's shifts can change is linear in them when the agent covers shift-type
demand only (exactly so: one agent moves a day's count by at most one), so the path is then the
agent's best response under the prices; for agents on interval queues the coverage gain is
estimated from the demand the others leave uncovered. The caller validates the plan, and falls
back to CP-SAT when no priced path kept every rule.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from scheduler.model.evaluate import group_working
from scheduler.model.problem import AgentPlan, FloatArray, Problem
from scheduler.model.rules.weekends import weekend_block
from scheduler.model.solution import Solution
from scheduler.solve.cpsat import StopToken
from scheduler.solve.greedy import shift_cost

#: Price adjustments tried before giving up (each is one shortest-path pass).
PRICE_ROUNDS = 60
#: Rounds of pure pricing before seeded noise breaks ties, and the noise added each round
#: after them (as a share of the typical shift cost).
CALM_ROUNDS = 15
NOISE_PER_ROUND = 0.02
#: Same-day swaps tried to bring a nearly legal path within its limits.
POLISH_SWAPS = 12
#: Growth of a price step while its limit stays broken the same way.
STEP_GROWTH = 1.5
#: First price step, as a share of the typical cost of a shift per unit of the resource.
FIRST_STEP = 0.25
_INF = math.inf
_DEBUG = False


@dataclass(frozen=True)
class _Limit:
    """One counted rule: ``usage`` per candidate (in the agent's candidate order), its bounds."""

    usage: FloatArray
    low: float | None
    high: float | None


@dataclass(frozen=True)
class _Shifts:
    """An agent's candidate shifts, in day order, as arrays."""

    start: np.ndarray
    end: np.ndarray
    kind: np.ndarray  # shift type (one past the last for shifts without one)
    day: np.ndarray
    paid_minutes: FloatArray
    weekend: FloatArray
    unsocial: FloatArray

    @classmethod
    def of(cls, problem: Problem, flat: list[int]) -> _Shifts:
        cands = [problem.candidates[i] for i in flat]
        untyped = len(problem.scenario.shift_types)
        return cls(
            start=np.array([c.start for c in cands], dtype=np.int64),
            end=np.array([c.end for c in cands], dtype=np.int64),
            kind=np.array(
                [untyped if c.shift_type is None else c.shift_type for c in cands], dtype=np.int64
            ),
            day=np.array([c.day for c in cands], dtype=np.int64),
            paid_minutes=np.array([c.paid_minutes for c in cands], dtype=float),
            weekend=np.array([c.weekend for c in cands], dtype=float),
            unsocial=np.array([c.unsocial for c in cands], dtype=float),
        )


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
        self._edges: dict[tuple[object, ...], _Edges] = {}
        self._warm: dict[tuple[object, ...], tuple[FloatArray, FloatArray]] = {}

    def solution(self) -> Solution:
        return Solution(shifts=dict(self.shifts), breaks=self._breaks, allocation=self._allocation)

    def commit(self, agent: int, plan: dict[int, int]) -> None:
        """Replace the agent's shifts by ``plan`` in the roster the next plans answer."""
        for day in self.problem.agents[agent].by_day:
            old = self.shifts.pop((agent, day), None)
            if old is not None:
                self._counts[self._type_of(old), day] -= 1
        for day, index in plan.items():
            self.shifts[(agent, day)] = index
            self._counts[self._type_of(index), day] += 1

    def gain(self, agent: int, plan: dict[int, int]) -> float:
        """Points the objective drops by if the agent swaps their shifts for ``plan`` (exact for
        agents without interval queues: every soft term is then linear in their shifts)."""
        agent_plan = self.problem.agents[agent]
        flat = [index for day in sorted(agent_plan.by_day) for index in agent_plan.by_day[day]]
        base = dict(zip(flat, self._base_costs(agent_plan, flat), strict=True))
        mine = (self.shifts.get((agent, day)) for day in agent_plan.by_day)
        now = sum(base[i] for i in mine if i is not None)
        return float(now - sum(base[i] for i in plan.values()))

    def plan(self, agent: int) -> dict[int, int] | None:
        """The agent's shifts (local day → candidate) keeping every counted rule, or None.

        Deterministic: no clock, and noise seeded by the agent. None means no price found a
        path within every counted limit in :data:`PRICE_ROUNDS` passes (it does not prove
        that no plan exists).
        """
        problem = self.problem
        plan = problem.agents[agent]
        days = problem.scenario.horizon.days
        options = [plan.by_day.get(day, []) for day in range(days)]
        flat = [index for day_options in options for index in day_options]
        if not flat:
            return {}
        base = self._base_costs(plan, flat)
        shifts = _Shifts.of(problem, flat)
        limits = _limits(problem, plan, shifts)
        weekend_cap = plan.contract.max_weekends
        blocks = [weekend_block(problem, day) for day in range(days)]
        path = _Path(self, plan, shifts, options, blocks)
        usage = np.array([limit.usage for limit in limits]) if limits else np.zeros((0, len(flat)))
        if weekend_cap is not None:  # weekends are priced on the path itself (see _Path)
            limits.append(_Limit(np.zeros(0), None, weekend_cap))
        typical = max(1.0, float(np.mean(np.abs(base))))
        warm_key = (plan.contract.id, tuple((limit.low, limit.high) for limit in limits))
        cold = (
            np.zeros(len(limits)),
            np.array(
                [
                    FIRST_STEP * typical / (_typical_use(limit.usage) if limit.usage.size else 1.0)
                    for limit in limits
                ]
            ),
        )
        # at a price where two paths tie, one over and one under a limit (the dual's gap), the
        # prices alone cannot settle: seeded noise on the costs then breaks the ties other ways
        noise = np.random.default_rng(agent).uniform(-1.0, 1.0, len(flat)) * typical
        search = _Search(path, usage, limits, blocks, weekend_cap, noise)
        # the last plan's prices on the same contract first, which usually settle in a few
        # rounds; from scratch when they do not
        starts = [self._warm[warm_key], cold] if warm_key in self._warm else [cold]
        for prices, steps in starts:
            chosen, settled = search.run(base, prices, steps)
            if chosen is not None:
                self._warm[warm_key] = settled
                return chosen
        return None

    def allowed(
        self, plan: AgentPlan, shifts: _Shifts, today: slice, tomorrow: slice
    ) -> np.ndarray:
        """Which of tomorrow's shifts may follow each of today's (rest, forbidden successions)."""
        rest = math.ceil(plan.contract.min_rest_hours * 60 / self.problem.slot)
        rested = shifts.start[None, tomorrow] >= shifts.end[today, None] + rest
        forbidden = self._forbidden[shifts.kind[today, None], shifts.kind[None, tomorrow]]
        allowed: np.ndarray = rested & ~forbidden
        return allowed

    def edges(
        self, shape: _States, n: int, m: int, allowed: np.ndarray, flags: tuple[bool, bool]
    ) -> _Edges:
        key = (shape, n, m, allowed.tobytes(), flags)
        found = self._edges.get(key)
        if found is None:
            found = self._edges[key] = shape.edges(n, m, allowed, *flags)
        return found

    def _type_of(self, index: int) -> int:
        shift_type = self.problem.candidates[index].shift_type
        return len(self.problem.scenario.shift_types) if shift_type is None else shift_type

    def _base_costs(self, plan: AgentPlan, flat: list[int]) -> FloatArray:
        """Each candidate's change to the objective (points) if the agent works it, others kept."""
        problem = self.problem
        cands = [problem.candidates[i] for i in flat]
        costs = np.array([shift_cost(problem, c) for c in cands], dtype=float)
        types = np.array([self._type_of(i) for i in flat], dtype=np.int64)
        days = np.array([c.day for c in cands], dtype=np.int64)
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
            costs += delta[types, days]
        start = problem.scenario.horizon.start
        for request in plan.agent.shift_requests:
            day, wanted = (request.date - start).days, self._types[request.shift_type]
            sign = -1 if request.kind == "on" else 1
            costs[(days == day) & (types == wanted)] += sign * request.weight
        skills = list(problem.groups[plan.group])
        if skills:
            costs -= _coverage_gain(problem, self.solution(), plan, flat, skills)
        return costs


@dataclass
class _Search:
    """Price adjustment for one agent: shortest paths under prices until every limit holds."""

    path: _Path
    usage: FloatArray
    limits: list[_Limit]
    blocks: list[int | None]
    weekend_cap: int | None
    noise: FloatArray

    def run(
        self, base: FloatArray, prices: FloatArray, steps: FloatArray
    ) -> tuple[dict[int, int] | None, tuple[FloatArray, FloatArray]]:
        """A path within every limit (or None) and the prices and steps it ended with."""
        limits, usage, weekend_cap = self.limits, self.usage, self.weekend_cap
        # one signed price per limit: > 0 discourages its use, < 0 (a lower bound) encourages it
        floor = np.array([-_INF if limit.low is not None else 0.0 for limit in limits])
        ceiling = np.array([_INF if limit.high is not None else 0.0 for limit in limits])
        last_sign = np.zeros(len(limits))
        for round_ in range(PRICE_ROUNDS):
            weekend_price = prices[-1] if weekend_cap is not None else 0.0
            shake = NOISE_PER_ROUND * max(0, round_ - CALM_ROUNDS)
            costs = base + prices[: len(usage)] @ usage + shake * self.noise
            chosen = self.path.shortest(costs, weekend_price)
            if chosen is None:
                break  # no path keeps the chained rules, whatever the prices
            picked = np.zeros(usage.shape[1])
            picked[[self.path.position[index] for index in chosen.values()]] = 1
            used = list(usage @ picked)
            if weekend_cap is not None:
                used.append(_weekends_worked(chosen, self.blocks))
            if _DEBUG:
                print(
                    "round",
                    len(chosen),
                    [
                        (k, limits[k].low, limits[k].high, round(float(used[k])))
                        for k in range(len(limits))
                        if not _within(limits[k], used[k])
                    ],
                )
            if all(_within(limit, value) for limit, value in zip(limits, used, strict=True)):
                return chosen, (prices, steps)
            if weekend_cap is None or used[-1] <= weekend_cap:
                polished = _polish(self.path, chosen, base, usage, limits[: len(usage)])
                if polished is not None:
                    return polished, (prices, steps)
            # sign steps, halved when the sign flips: prices home in on a tight range quickly
            pressure = np.array(
                [_pressure(limit, value) for limit, value in zip(limits, used, strict=True)]
            )
            sign = np.sign(pressure)
            grown = np.where(sign != 0, steps * STEP_GROWTH, steps)
            steps = np.where(sign * last_sign < 0, steps / 2, grown)
            last_sign = np.where(sign != 0, sign, last_sign)
            prices = np.clip(prices + sign * steps, floor, ceiling)
        return None, (prices, steps)


def _polish(
    path: _Path,
    chosen: dict[int, int],
    base: FloatArray,
    usage: FloatArray,
    limits: list[_Limit],
) -> dict[int, int] | None:
    """Swap worked days' shifts for others on the same day (neighbours still allowed) until
    every counted limit holds: the prices often leave a path just off a narrow range (total
    minutes within one shift's length). Working days do not change, so runs and weekends hold.
    Each swap is the one that cuts the excess most, the cheaper one on ties; None if stuck."""
    chosen = dict(chosen)
    scale = np.array([_typical_use(limit.usage) for limit in limits])
    low = np.array([-_INF if limit.low is None else limit.low for limit in limits])
    high = np.array([_INF if limit.high is None else limit.high for limit in limits])
    used = usage[:, [path.position[i] for i in chosen.values()]].sum(axis=1)

    def excess(values: np.ndarray) -> np.ndarray:
        over = np.maximum(values - high[:, None], 0) + np.maximum(low[:, None] - values, 0)
        total: np.ndarray = (over / scale[:, None]).sum(axis=0)
        return total

    current = float(excess(used[:, None])[0])
    if current > POLISH_SWAPS:
        return None  # too far for a few swaps
    for _ in range(POLISH_SWAPS):
        if current == 0:
            return chosen
        moves = path.swaps(chosen)
        if not moves:
            return None
        new = np.array([path.position[index] for _, index in moves])
        old = np.array([path.position[chosen[day]] for day, _ in moves])
        after = excess(used[:, None] + usage[:, new] - usage[:, old])
        gain = base[new] - base[old]
        best = int(np.lexsort((gain, after))[0])
        if after[best] >= current:
            return None
        day, index = moves[best]
        used = used + usage[:, new[best]] - usage[:, old[best]]
        chosen[day], current = index, float(after[best])
    return chosen if current == 0 else None


def _within(limit: _Limit, value: float) -> bool:
    return (limit.high is None or value <= limit.high) and (limit.low is None or value >= limit.low)


def _pressure(limit: _Limit, value: float) -> float:
    """Which way the limit's price should move: up above the high bound, down below the low
    one; a one-sided limit also eases off while it has slack (so a price never stays high for
    nothing), a two-sided one holds still inside its range."""
    if limit.high is not None and value > limit.high:
        return value - limit.high
    if limit.low is not None and value < limit.low:
        return value - limit.low
    if limit.low is None and limit.high is not None:
        return value - limit.high
    if limit.high is None and limit.low is not None:
        return value - limit.low
    return 0.0


def _typical_use(usage: FloatArray) -> float:
    used = usage[usage > 0]
    return float(used.mean()) if used.size else 1.0


def _weekends_worked(chosen: dict[int, int], blocks: list[int | None]) -> int:
    return len({blocks[day] for day in chosen if blocks[day] is not None})


class _Path:
    """Shortest path over (day, state). A day's states: a working run of k days ending in one of
    the day's shifts (``work``), the same for a run begun at the horizon start that is still
    shorter than the shortest allowed run (``work_start``: it may end early), a run of j days
    off capped at the shortest allowed (``off``), and days off since the horizon start
    (``off_start``). Edges between consecutive days are stored once per agent, sorted by target,
    so each pass is a few array operations per day."""

    def __init__(
        self,
        responder: BestResponder,
        plan: AgentPlan,
        shifts: _Shifts,
        options: list[list[int]],
        blocks: list[int | None],
    ) -> None:
        contract = plan.contract
        self.options = options
        self.days = len(options)
        self.position: dict[int, int] = {}
        self.offsets = [0]
        for day_options in options:
            for index in day_options:
                self.position[index] = len(self.position)
            self.offsets.append(len(self.position))
        self.shape = _States(
            longest=max(1, min(contract.max_consecutive_days, self.days)),
            shortest_work=max(1, contract.min_consecutive_days or 1),
            shortest_off=max(1, contract.min_consecutive_days_off or 1),
        )
        # a weekend is paid for on its first worked day: entering work from a day off, or
        # working on from a day that was not part of the same weekend
        entry = [blocks[day] is not None for day in range(self.days)]
        carry = [
            blocks[day] is not None and (day == 0 or blocks[day - 1] != blocks[day])
            for day in range(self.days)
        ]
        self.first_weekend = float(entry[0])
        self.allowed = [
            responder.allowed(
                plan,
                shifts,
                slice(self.offsets[day], self.offsets[day + 1]),
                slice(self.offsets[day + 1], self.offsets[day + 2]),
            )
            for day in range(self.days - 1)
        ]
        self.edges = [
            responder.edges(
                self.shape,
                len(options[day]),
                len(options[day + 1]),
                allowed,
                (entry[day + 1], carry[day + 1]),
            )
            for day, allowed in enumerate(self.allowed)
        ]
        # where each state's cost is read in the agent's cost vector (one past its end: 0)
        self.state_costs = [
            np.where(
                edges.target_option >= 0,
                self.offsets[day + 1] + edges.target_option,
                self.offsets[-1],
            )
            for day, edges in enumerate(self.edges)
        ]

    def swaps(self, chosen: dict[int, int]) -> list[tuple[int, int]]:
        """(day, shift) pairs that could replace a worked day's shift, neighbours kept."""
        moves: list[tuple[int, int]] = []
        for day, index in chosen.items():
            fits = np.ones(len(self.options[day]), dtype=bool)
            before, after = chosen.get(day - 1), chosen.get(day + 1)
            if before is not None:
                fits &= self.allowed[day - 1][self.options[day - 1].index(before)]
            if after is not None:
                fits &= self.allowed[day][:, self.options[day + 1].index(after)]
            moves += [
                (day, self.options[day][j])
                for j in np.flatnonzero(fits)
                if self.options[day][j] != index
            ]
        return moves

    def shortest(self, costs: FloatArray, weekend_price: float) -> dict[int, int] | None:
        shape = self.shape
        # each day's values end with one unreachable slot, where "no such state" edges start
        padded = np.append(costs, 0.0)
        n = len(self.options[0])
        values = np.full(shape.size(n) + 1, _INF)
        start_run = shape.work_start(0, 0, n) if shape.shortest_work > 1 else 0
        values[start_run : start_run + n] = costs[:n] + weekend_price * self.first_weekend
        values[shape.off_start(n)] = 0.0
        history = [values]
        for day in range(1, self.days):
            edges = self.edges[day - 1]
            reach = values[edges.source]
            if weekend_price:
                reach = reach + weekend_price * edges.weekend
            values = np.empty(len(edges.first))
            np.minimum.reduceat(reach, edges.first[:-1], out=values[:-1])
            values[:-1] += padded[self.state_costs[day - 1]]
            values[-1] = _INF
            history.append(values)
        state = int(values[:-1].argmin())
        if values[state] == _INF:
            return None
        chosen: dict[int, int] = {}
        for day in range(self.days - 1, -1, -1):
            option = shape.option_of(state, len(self.options[day]))
            if option is not None:
                chosen[day] = self.options[day][option]
            if day == 0:
                break
            edges = self.edges[day - 1]
            into = slice(edges.first[state], edges.first[state + 1])
            reach = history[day - 1][edges.source[into]] + weekend_price * edges.weekend[into]
            state = int(edges.source[into][int(reach.argmin())])
        return chosen

    def _day_costs(self, costs: FloatArray, day: int) -> FloatArray:
        return costs[self.offsets[day] : self.offsets[day + 1]]


@dataclass(frozen=True)
class _Edges:
    """The edges into one day's states: ``source`` (a state of the day before, or one past its
    last for "unreachable"), grouped by target state starting at ``first[target]``."""

    source: np.ndarray
    first: np.ndarray
    weekend: FloatArray
    target_option: np.ndarray


@dataclass(frozen=True)
class _States:
    """Numbering of one day's states, for a day with ``n`` shifts to choose from."""

    longest: int
    shortest_work: int
    shortest_off: int

    def size(self, n: int) -> int:
        return self.off_start(n) + 1

    def work_start(self, k: int, option: int, n: int) -> int:
        return (self.longest + k) * n + option

    def off(self, j: int, n: int) -> int:
        return (self.longest + self.shortest_work - 1) * n + j

    def off_start(self, n: int) -> int:
        return self.off(self.shortest_off, n)

    def option_of(self, state: int, n: int) -> int | None:
        return state % n if state < (self.longest + self.shortest_work - 1) * n else None

    def edges(self, n: int, m: int, allowed: np.ndarray, entry: bool, carry: bool) -> _Edges:
        """Every move from a day with ``n`` shifts to one with ``m`` (``allowed[i, j]``: shift j
        may follow shift i); ``entry`` / ``carry``: starting / continuing work there begins a
        weekend."""
        longest, shortest_work, shortest_off = self.longest, self.shortest_work, self.shortest_off
        sources: list[np.ndarray] = []
        targets: list[np.ndarray] = []
        weekend: list[np.ndarray] = []

        def add(source: np.ndarray | list[int], target: np.ndarray | list[int], flag: bool) -> None:
            sources.append(np.asarray(source, dtype=np.int64))
            targets.append(np.asarray(target, dtype=np.int64))
            weekend.append(np.full(len(sources[-1]), float(flag)))

        i, j = np.nonzero(allowed)
        for k in range(longest - 1):  # a working run goes on
            add(k * n + i, (k + 1) * m + j, carry)
        for k in range(shortest_work - 1):  # ... or one begun at the start, still short
            following = (longest + k + 1) * m + j if k + 1 < shortest_work - 1 else (k + 1) * m + j
            if k + 1 < longest:
                add((longest + k) * n + i, following, carry)
        off0 = self.off(0, m)
        for k in range(shortest_work - 1, longest):  # a long enough run ends
            add(k * n + np.arange(n), np.full(n, off0), False)
        for k in range(shortest_work - 1):  # a run from the start may end at any length
            add((longest + k) * n + np.arange(n), np.full(n, off0), False)
        for step in range(shortest_off):  # days off go on
            add([self.off(step, n)], [self.off(min(step + 1, shortest_off - 1), m)], False)
        add([self.off_start(n)], [self.off_start(m)], False)
        for rested in (self.off(shortest_off - 1, n), self.off_start(n)):  # work starts again
            add(np.full(m, rested), np.arange(m), entry)
        size = self.size(m)
        add(np.full(size, self.size(n)), np.arange(size), False)  # every target has an edge
        source, target, flags = (np.concatenate(x) for x in (sources, targets, weekend))
        order = np.argsort(target, kind="stable")
        first = np.searchsorted(target[order], np.arange(size + 1))
        option = np.full(size, -1, dtype=np.int64)
        for k in range(longest + shortest_work - 1):
            option[k * m : (k + 1) * m] = np.arange(m)
        return _Edges(source[order], first, flags[order], option)


def _coverage_gain(
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


def _limits(problem: Problem, plan: AgentPlan, shifts: _Shifts) -> list[_Limit]:
    """The counted rules of the agent's contract, as usage per candidate and bounds."""
    contract = plan.contract
    limits: list[_Limit] = []
    if contract.min_total_minutes or contract.max_total_minutes is not None:
        limits.append(
            _Limit(shifts.paid_minutes, contract.min_total_minutes, contract.max_total_minutes)
        )
    for type_index, shift_type in enumerate(problem.scenario.shift_types):
        cap = contract.max_shifts_per_type.get(shift_type.id)
        if cap is not None:
            usage = (shifts.kind == type_index).astype(float)
            if usage.sum() > cap:
                limits.append(_Limit(usage, None, cap))
    if contract.max_weekend_days is not None and shifts.weekend.sum() > contract.max_weekend_days:
        limits.append(_Limit(shifts.weekend, None, contract.max_weekend_days))
    weeks = shifts.day // 7  # Problem.week_of: 7-day blocks from the horizon start
    slot_cap = int(contract.max_hours_per_week * 60 // problem.slot)
    paid_slots = shifts.paid_minutes // problem.slot
    worked = np.ones(len(weeks))
    for week in np.unique(weeks):
        inside = weeks == week
        for usage, cap in (
            (paid_slots, slot_cap),
            (worked, 7 - contract.min_days_off_per_week),
            (shifts.unsocial, contract.max_unsocial_shifts_per_week),
        ):
            if cap is None:
                continue
            weekly = np.where(inside, usage, 0.0)
            if _most_in_week(weekly, shifts.day) > cap:
                limits.append(_Limit(weekly, None, cap))
    return limits


def _most_in_week(usage: FloatArray, days: np.ndarray) -> float:
    """The most a usage can reach with one shift a day (so rows with slack are skipped)."""
    starts = np.flatnonzero(np.diff(days, prepend=-1))  # candidates are in day order
    return float(np.maximum.reduceat(usage, starts).sum())


def improve_by_paths(
    problem: Problem,
    solution: Solution,
    *,
    deadline: float | None,
    stop: StopToken | None = None,
) -> tuple[Solution, int]:
    """Best-response sweeps: each agent in turn is re-planned against everyone else and keeps
    the new plan when it lowers the objective; sweeps repeat until one improves nothing or the
    ``deadline`` passes. Only agents on shift-type demand alone take part (their plan's cost is
    exact there; interval coverage is only estimated). Returns the roster and plans accepted."""
    responder = BestResponder(problem, solution)
    accepted = 0
    agents = [plan.index for plan in problem.agents if not problem.groups[plan.group]]
    improved = True
    while improved:
        improved = False
        for agent in agents:
            out_of_time = deadline is not None and deadline <= time.monotonic()
            if out_of_time or (stop is not None and stop.stopped):
                return responder.solution(), accepted
            plan = responder.plan(agent)
            if plan is not None and responder.gain(agent, plan) > 1e-9:
                responder.commit(agent, plan)
                accepted += 1
                improved = True
    return responder.solution(), accepted
