"""The days of one agent's horizon as a layered graph whose paths keep the rules that chain
one day to the next, and the shortest path through it under given costs."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scheduler.domain import Contract
from scheduler.model.problem import FloatArray

_INF = math.inf


class DayGraph:
    """Shortest path over (day, state). A day's states: a working run of k days ending in one of
    the day's shifts (``work``), the same for a run begun at the horizon start that is still
    shorter than the shortest allowed run (``work_start``: it may end early), a run of j days
    off capped at the shortest allowed (``off``), and days off since the horizon start
    (``off_start``). Edges between consecutive days are stored once per agent, sorted by target,
    so each pass is a few array operations per day."""

    def __init__(
        self,
        contract: Contract,
        options: list[list[int]],
        allowed: list[np.ndarray],
        blocks: list[int | None],
        edges_for: EdgesFor,
    ) -> None:
        self.options = options
        self.days = len(options)
        self.position: dict[int, int] = {}
        self.offsets = [0]
        for day_options in options:
            for index in day_options:
                self.position[index] = len(self.position)
            self.offsets.append(len(self.position))
        self.shape = StateLayout(
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
        self.allowed = allowed
        # for swaps: the options of day d + 1 that may follow each option of day d, and those
        # of day d that may precede each option of day d + 1 (sets: days have a few options,
        # where numpy's per-call overhead had made swaps a fifth of column pricing's time)
        self.may_follow = [[frozenset(np.flatnonzero(row).tolist()) for row in a] for a in allowed]
        self.may_precede = [
            [frozenset(np.flatnonzero(column).tolist()) for column in a.T] for a in allowed
        ]
        self.edges = [
            edges_for(
                self.shape,
                len(options[day]),
                len(options[day + 1]),
                allowed,
                (entry[day + 1], carry[day + 1]),
            )
            for day, allowed in enumerate(self.allowed)
        ]
        # where each state's cost is read in the agent's cost vector (one past its end: 0),
        # every day's states end to end: a pass gathers them once, not once a day
        state_costs = [
            np.where(
                edges.target_option >= 0,
                self.offsets[day + 1] + edges.target_option,
                self.offsets[-1],
            )
            for day, edges in enumerate(self.edges)
        ]
        self.state_costs = np.concatenate([np.zeros(0, dtype=np.int64), *state_costs])
        self.state_cost_ends = np.cumsum([0] + [len(c) for c in state_costs]).tolist()

    def swaps(self, chosen: dict[int, int]) -> list[tuple[int, int]]:
        """(day, shift) pairs that could replace a worked day's shift, neighbours kept."""
        moves: list[tuple[int, int]] = []
        for day, index in chosen.items():
            options = self.options[day]
            fits: frozenset[int] | range = range(len(options))
            before, after = chosen.get(day - 1), chosen.get(day + 1)
            if before is not None:
                fits = self.may_follow[day - 1][self._option(day - 1, before)]
            if after is not None:
                precede = self.may_precede[day][self._option(day + 1, after)]
                fits = precede if isinstance(fits, range) else fits & precede
            own = self._option(day, index)
            moves += [(day, options[j]) for j in sorted(fits) if j != own]
        return moves

    def _option(self, day: int, index: int) -> int:
        """The number of shift ``index`` among its day's options."""
        return self.position[index] - self.offsets[day]

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
        state_costs, ends = padded[self.state_costs], self.state_cost_ends
        for day in range(1, self.days):
            edges = self.edges[day - 1]
            reach = values[edges.source]
            if weekend_price:
                reach = reach + weekend_price * edges.weekend
            values = np.empty(len(edges.first))
            np.minimum.reduceat(reach, edges.first[:-1], out=values[:-1])
            values[:-1] += state_costs[ends[day - 1] : ends[day]]
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
            sources = edges.source[into]
            reach = history[day - 1][sources]
            if weekend_price:
                reach = reach + weekend_price * edges.weekend[into]
            state = int(sources[int(reach.argmin())])
        return chosen


@dataclass(frozen=True)
class DayEdges:
    """The edges into one day's states: ``source`` (a state of the day before, or one past its
    last for "unreachable"), grouped by target state starting at ``first[target]``."""

    source: np.ndarray
    first: np.ndarray
    weekend: FloatArray
    target_option: np.ndarray


@dataclass(frozen=True)
class StateLayout:
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

    def edges(self, n: int, m: int, allowed: np.ndarray, entry: bool, carry: bool) -> DayEdges:
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
        return DayEdges(source[order], first, flags[order], option)


#: Builds (or recalls) the edges between two days: layout, shifts on each day, which may
#: follow which, and whether working on the second day starts a weekend (from a day off / on).
EdgesFor = Callable[[StateLayout, int, int, np.ndarray, tuple[bool, bool]], DayEdges]
