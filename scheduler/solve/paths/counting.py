"""Counted limits carried exactly in the path's state, so the shortest path is the agent's
cheapest plan outright rather than a Lagrangian guess.

A price on a counted limit cannot settle a two-sided one such as total minutes (Curtois:
7,560–8,640, 16 to 18 shifts of 480): between two prices the path jumps from too few shifts to
too many, and the plan in between is never a shortest path. Here each such limit is a digit of
a mixed-radix counter that every state of :class:`~scheduler.solve.paths.day_graph.DayGraph`
carries: a shift adds its use, a count past the limit's high is no state at all, and the path
may end only where every count reaches its low. Limits whose use is a whole number of some unit
(minutes in steps of their greatest common divisor, shifts of a type, weekend days) qualify, as
many as fit in :data:`MAX_COUNTS` counter values together; the weekends worked are counted on
the path's weekend edges. The rest stay priced by :mod:`scheduler.solve.paths.pricing`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from scheduler.model.problem import FloatArray
from scheduler.solve.paths.day_graph import DayGraph
from scheduler.solve.paths.limits import Limit

#: Counter values (the product of every carried limit's range) at most: time and memory of a
#: pass grow with it (days × states × values).
MAX_COUNTS = 8192
_INF = math.inf
#: A day's least values over each target's edges are taken row by row (targets with up to
#: ``_SMALL_GROUP`` edges) and by slice (more) once the block holds ``_SLICED_FROM`` values,
#: by one ``reduceat`` below (see :meth:`_LiveStep.least`; replayed pricing calls of Curtois
#: Instances 7, 8 and 16 took least time at 5,000 of 0, 5,000, 20,000 and never).
_SMALL_GROUP = 4
_SLICED_FROM = 5_000


@dataclass(frozen=True)
class Counters:
    """The carried limits as digits: ``steps[k, c]`` units candidate ``c`` adds to digit ``k``,
    which must end in ``low[k]..radix[k] - 1``; ``weekend_digit`` counts weekends worked."""

    steps: np.ndarray  # int64 (digits, candidates)
    radix: np.ndarray  # int64 (digits,)
    low: np.ndarray  # int64 (digits,)
    weekend_digit: int | None

    @property
    def size(self) -> int:
        return int(np.prod(self.radix))

    def strides(self) -> np.ndarray:
        return np.concatenate(([1], np.cumprod(self.radix)[:-1])).astype(np.int64)


@dataclass(frozen=True)
class Split:
    """Which counted limits a counter carries and which stay priced."""

    counters: Counters | None  # None: nothing worth carrying
    carried: list[Limit]  # the counted limits the counter keeps (the weekend cap aside)
    priced: list[Limit]
    weekends_carried: bool  # the weekend cap needs no price (carried, or it cannot bind)


def split_limits(
    limits: list[Limit],
    most: list[float],
    weekend_cap: int | None,
    weekend_blocks: int,
    candidates: int,
) -> Split:
    """Carry what fits in :data:`MAX_COUNTS`: two-sided limits first (prices cannot settle
    them), then the narrowest, the weekend cap among them by its own width (a narrow digit
    left to a price would cost a price search, a wide one carried would multiply every pass).
    ``most[k]``: the most limit ``k``'s use can reach (one shift a day); ``weekend_blocks``:
    the weekends the agent could work at all."""
    digits: list[tuple[np.ndarray, int, int]] = []
    carried: list[Limit] = []
    priced: list[Limit] = []
    room = MAX_COUNTS
    weekend_digit = None
    weekends_carried = weekend_cap is None or weekend_blocks <= weekend_cap
    weekend = len(limits)  # the weekend cap's place in the order, when it can bind
    order = sorted(
        range(len(limits) + (not weekends_carried)),
        key=lambda k: (
            (True, float(weekend_cap or 0))
            if k == weekend
            else (limits[k].low is None or limits[k].high is None, _span(limits[k]))
        ),
    )
    for k in order:
        if k == weekend:
            assert weekend_cap is not None
            if weekend_cap + 1 <= room:
                weekend_digit = len(digits)
                digits.append((np.zeros(candidates, dtype=np.int64), weekend_cap + 1, 0))
                room //= weekend_cap + 1
                weekends_carried = True
            continue
        limit = limits[k]
        digit = _digit(limit, most[k])
        if digit is None or digit[1] > room:
            priced.append(limit)
            continue
        if digit[1] > 0:  # a limit that can bind
            digits.append(digit)
            room //= digit[1]
        carried.append(limit)
    if not digits:
        return Split(None, carried, priced, weekends_carried)
    # the widest digit last: its stride is then the largest, and each day's window of its
    # values a contiguous range (see CountingPaths._windows)
    order = sorted(range(len(digits)), key=lambda k: digits[k][1])
    digits = [digits[k] for k in order]
    if weekend_digit is not None:
        weekend_digit = order.index(weekend_digit)
    counters = Counters(
        steps=np.array([d[0] for d in digits], dtype=np.int64),
        radix=np.array([d[1] for d in digits], dtype=np.int64),
        low=np.array([d[2] for d in digits], dtype=np.int64),
        weekend_digit=weekend_digit,
    )
    return Split(counters, carried, priced, weekends_carried)


def _span(limit: Limit) -> float:
    return limit.high if limit.high is not None else math.inf


def _digit(limit: Limit, most: float) -> tuple[np.ndarray, int, int] | None:
    """(steps, radix, low) of ``limit`` as a digit, radix 0 when it cannot bind; None when
    its use is not a whole number of one unit (a low alone counts up to ``most``)."""
    usage = limit.usage
    if (usage < 0).any() or not np.allclose(usage, np.round(usage)):
        return None
    whole = np.round(usage).astype(np.int64)
    unit = int(np.gcd.reduce(whole[whole > 0])) if (whole > 0).any() else 1
    reach = math.floor(most / unit + 1e-9)
    high = reach if limit.high is None else math.floor(limit.high / unit + 1e-9)
    low = 0 if limit.low is None else math.ceil(limit.low / unit - 1e-9)
    if low <= 0 and high >= reach:
        return whole // unit, 0, 0  # every plan keeps it
    if high < 0 or low > min(high, reach):
        return None  # no plan keeps it: let the priced search say so
    return whole // unit, min(high, reach) + 1, max(0, low)


@dataclass(frozen=True)
class _LiveStep:
    """One day's edges from live states: ``source`` grouped by target (``targets[g]``'s
    edges start at ``first[g]``), and which of them start a weekend."""

    source: np.ndarray
    first: np.ndarray
    weekend: np.ndarray
    targets: np.ndarray
    later: list[tuple[np.ndarray, np.ndarray]]  # per later edge of the small groups: the
    # groups that have it, and its row
    large: list[tuple[int, int, int]]  # groups of more edges: (group, first row, end row)

    @classmethod
    def grouped(
        cls, source: np.ndarray, first: np.ndarray, weekend: np.ndarray, targets: np.ndarray
    ) -> _LiveStep:
        """The step, with its groups sorted by size for :meth:`least`."""
        sizes = np.diff(np.append(first, len(source)))
        small = (sizes > 1) & (sizes <= _SMALL_GROUP)
        later = []
        for k in range(1, int(sizes[small].max(initial=1))):
            groups = np.flatnonzero(small & (sizes > k))
            later.append((groups, first[groups] + k))
        large = [
            (int(g), int(first[g]), int(first[g] + sizes[g]))
            for g in np.flatnonzero(sizes > _SMALL_GROUP)
        ]
        return cls(source, first, weekend, targets, later, large)

    def least(self, reach: np.ndarray, out: np.ndarray) -> None:
        """Each target's least value over its edges' rows of ``reach``, into ``out``.

        ``np.minimum.reduceat`` over rows does this in one call but ~8 times slower than
        ``np.minimum.reduce`` over a slice (20 rows of 2,673 values: 0.08 against 0.011 ms),
        and took most of a pass: small groups are done a row at a time, large ones by slice."""
        if reach.size < _SLICED_FROM:
            np.minimum.reduceat(reach, self.first, axis=0, out=out)
            return
        np.take(reach, self.first, axis=0, out=out)
        for groups, rows in self.later:
            out[groups] = np.minimum(out[groups], reach[rows])
        for group, first, stop in self.large:
            np.minimum.reduce(reach[first:stop], axis=0, out=out[group])


@dataclass(frozen=True)
class _StepTable:
    """One day's moves of the counter as a gather: per target state and column of today's
    window, the flat position in the day's block (a row per target, one column per counter
    value from yesterday's window's start, and a last, infinite one) it takes its value from
    under the target's option (the infinite column where the move has no source: below the
    window, or a digit past its limit); and each target's candidate in the pass's costs (the
    last, a 0, for a day off)."""

    flat: np.ndarray
    candidate: np.ndarray


class CountingPaths:
    """Shortest paths through ``graph`` whose states also carry ``counters`` (see the module
    docstring): the cheapest plan that keeps every carried limit, or None when none does."""

    def __init__(self, graph: DayGraph, counters: Counters) -> None:
        self.graph = graph
        self.position = graph.position
        self.counters = counters
        self.strides = counters.strides()
        size = counters.size
        self.digits = (np.arange(size)[None, :] // self.strides[:, None]) % counters.radix[:, None]
        self.ends = np.flatnonzero((self.digits >= counters.low[:, None]).all(axis=0))
        # each candidate's move of the counter, as a flat offset
        self.offset = counters.steps.T @ self.strides
        self._moves: dict[tuple[int, ...], np.ndarray] = {}
        self._spans: dict[tuple[tuple[int, ...], int, int], tuple[np.ndarray, np.ndarray]] = {}
        self.counts_weekends = counters.weekend_digit is not None
        self.steps = self._live_steps()
        self.windows = self._windows()
        self.stored = self._stored_columns()
        low, high = self.stored[-1]
        # the end values the last day's array holds (the others no path reaches), and their
        # columns in it
        self.last_day_ends = self.ends[(self.ends >= low) & (self.ends < high)]
        self.last_day_columns = self.last_day_ends - low
        self._tables: dict[int, _StepTable] = {}
        # per day: each state's first incoming edge, and every edge's source and weekend flag
        self._incoming = [
            (e.first.tolist(), e.source.tolist(), (e.weekend > 0).tolist()) for e in graph.edges
        ]

    def _windows(self) -> list[tuple[int, int]]:
        """Per day, the counter values (a flat range) some path can hold after it: the widest
        digit (the most significant) can have grown at most by each day's largest step so far,
        and must still be able to reach its low with the days left. Most values of a day lie
        outside (Curtois Instance 8: 93 % of a pass's values were unreachable)."""
        counters, graph = self.counters, self.graph
        size = counters.size
        digit = len(counters.radix) - 1
        if digit == counters.weekend_digit:
            return [(0, size)] * graph.days
        stride, radix, low = (
            int(self.strides[digit]),
            int(counters.radix[digit]),
            int(counters.low[digit]),
        )
        most = [
            int(counters.steps[digit, graph.offsets[day] : graph.offsets[day + 1]].max(initial=0))
            for day in range(graph.days)
        ]
        grown = np.cumsum(most)
        left = np.cumsum(most[::-1])[::-1] - most  # after each day
        return [
            (max(0, low - int(left[day])) * stride, min(radix, int(grown[day]) + 1) * stride)
            for day in range(graph.days)
        ]

    def _live_steps(self) -> list[_LiveStep]:
        """Each day's edges from states some path can be in (about half of them: runs begun
        at the horizon start die out, short runs cannot yet be long): the others carry only
        unreachable values, and a pass over them is wasted."""
        graph, shape = self.graph, self.graph.shape
        n = len(graph.options[0])
        live = np.zeros(shape.size(n) + 1, dtype=bool)
        start_run = shape.work_start(0, 0, n) if shape.shortest_work > 1 else 0
        live[start_run : start_run + n] = True
        live[shape.off_start(n)] = True
        steps = []
        for day in range(1, graph.days):
            edges = graph.edges[day - 1]
            target = np.repeat(np.arange(len(edges.first) - 1), np.diff(edges.first))
            kept = live[edges.source]
            targets, first = np.unique(target[kept], return_index=True)
            steps.append(
                _LiveStep.grouped(
                    source=edges.source[kept],
                    first=first,
                    weekend=np.flatnonzero(edges.weekend[kept] > 0),
                    targets=targets,
                )
            )
            live = np.zeros(len(edges.first), dtype=bool)
            live[targets] = True
        return steps

    def swaps(self, chosen: dict[int, int]) -> list[tuple[int, int]]:
        return self.graph.swaps(chosen)

    def shortest(self, costs: FloatArray, weekend_price: float = 0.0) -> dict[int, int] | None:
        """The cheapest path under ``costs`` keeping every carried limit (weekends priced at
        ``weekend_price`` only when they are not carried)."""
        ends = self.last_day_ends
        if not len(ends):
            return None  # no path ends within the limits, whatever the costs
        graph, shape = self.graph, self.graph.shape
        n = len(graph.options[0])
        low, high = self.stored[0]
        values = np.full((shape.size(n) + 1, high - low), _INF)
        start_run = shape.work_start(0, 0, n) if shape.shortest_work > 1 else 0
        first_weekend = graph.first_weekend > 0
        for option in range(n):
            row = values[start_run + option]
            self._enter(row, costs[option], option, first_weekend and self.counts_weekends)
        if first_weekend and not self.counts_weekends:
            values[start_run : start_run + n] += weekend_price
        if low == 0:  # a day off counts nothing: the zero counter value, when it can end well
            values[shape.off_start(n), 0] = 0.0
        history = [values]
        with_off = np.append(costs, 0.0)
        for day in range(1, graph.days):
            values = self._step(day, values, with_off, weekend_price)
            history.append(values)
        final = values[:-1, self.last_day_columns]
        at = int(final.argmin())
        if final.flat[at] == _INF:
            return None
        state, count = divmod(at, len(ends))
        return self._walk_back(history, state, int(ends[count]), weekend_price)

    def _stored_columns(self) -> list[tuple[int, int]]:
        """Per day, the counter values its array holds: from its window's start to the next
        day's window's end (beyond its own end they stay infinite), so the next day reads
        its columns whole and values no path can hold are never written."""
        after = [end for _, end in self.windows[1:]] + [self.windows[-1][1]]
        return [
            (start, max(end, next_end))
            for (start, end), next_end in zip(self.windows, after, strict=True)
        ]

    def _step(
        self, day: int, values: np.ndarray, costs: FloatArray, weekend_price: float
    ) -> np.ndarray:
        """Values of day ``day``'s states from the day before's (which hold the counter values
        between yesterday's window's start and today's window's end: see
        :meth:`_stored_columns`).

        ``costs`` ends with an extra 0 (a day off's). Every target state's shift moves the
        counter by its own step: one gather through :meth:`_table`'s flat indices does them
        all, where a loop over the day's options took most of a pass in small numpy calls."""
        step, table = self.steps[day - 1], self._table(day)
        begin, _ = self.windows[day - 1]
        start, end = self.windows[day]
        span = end - begin
        reach = values[step.source, :span]
        if step.weekend.size:
            if self.counts_weekends:
                unit = self._unit(self._weekend_digit())
                reach[step.weekend] = self._shift(reach[step.weekend], unit, (begin, end))
            else:
                reach[step.weekend] += weekend_price
        live = np.empty((len(step.first), span + 1))
        live[:, span] = _INF  # where a move has no source
        step.least(reach, live[:, :span])
        moved = live.take(table.flat)
        moved += costs[table.candidate][:, None]
        low, high = self.stored[day]
        out = np.full((len(self.graph.edges[day - 1].first), high - low), _INF)
        out[step.targets, : end - start] = moved
        return out

    def _table(self, day: int) -> _StepTable:
        """Day ``day``'s moves as gathers (built on first use, kept)."""
        table = self._tables.get(day)
        if table is not None:
            return table
        graph, step = self.graph, self.steps[day - 1]
        begin, _ = self.windows[day - 1]
        start, end = self.windows[day]
        span, n, base = end - begin, len(graph.options[day]), graph.offsets[day]
        target = np.arange(start - begin, span)  # today's window, in the block's columns
        columns = np.empty((n + 1, len(target)), dtype=np.int64)
        columns[n] = target  # a day off moves nothing
        for option in range(n):
            steps = self._steps_of(base + option)
            source = target - int(steps @ self.strides)
            fits = np.zeros(self.counters.size, dtype=bool)
            fits[self._from(steps)] = True
            ok = (source >= 0) & fits[np.maximum(source, 0) + begin]
            columns[option] = np.where(ok, source, span)
        option_of = graph.edges[day - 1].target_option[step.targets]
        option_of = np.where(option_of >= 0, option_of, n)
        candidate = np.where(option_of < n, base + option_of, graph.offsets[-1])
        rows = np.arange(len(option_of), dtype=np.int64)[:, None] * (span + 1)
        table = self._tables[day] = _StepTable(rows + columns[option_of], candidate)
        return table

    def _walk_back(
        self,
        history: list[np.ndarray],
        state: int,
        count: int,
        weekend_price: float,
    ) -> dict[int, int]:
        """Back from the best end (``state``, ``count``) to the plan, one day at a time: the
        first of a state's incoming edges whose source holds its least value.

        A state has a handful of incoming edges, so they are walked in plain Python over
        lists made once (:attr:`_incoming`): numpy's per-call cost made a walk ~400 µs on
        Curtois Instance 7, a quarter of a pass."""
        graph, shape = self.graph, self.graph.shape
        weekend_digit = self.counters.weekend_digit if self.counts_weekends else None
        weekend_stride = 0 if weekend_digit is None else int(self.strides[weekend_digit])
        chosen: dict[int, int] = {}
        for day in range(graph.days - 1, -1, -1):
            n = len(graph.options[day])
            option = shape.option_of(state, n)
            if option is not None:
                chosen[day] = graph.options[day][option]
                count -= int(self.offset[graph.offsets[day] + option])
            if day == 0:
                break
            first, sources, weekends = self._incoming[day - 1]
            low, high = self.stored[day - 1]
            previous = history[day - 1]
            had = weekend_digit is not None and bool(self.digits[weekend_digit, count] > 0)
            best, picked = _INF, (state, count)
            for edge in range(first[state], first[state + 1]):
                before = count
                if weekends[edge] and weekend_digit is not None:
                    if not had:
                        continue
                    before -= weekend_stride
                if not low <= before < high:
                    continue
                value = previous[sources[edge], before - low]
                if weekends[edge] and weekend_digit is None:
                    value += weekend_price
                if value < best:
                    best, picked = value, (sources[edge], before)
            state, count = picked
        return chosen

    def _enter(self, row: np.ndarray, cost: float, candidate: int, weekend: bool) -> None:
        """Put the first day's ``candidate`` into ``row`` (the first day's stored counter
        values), counted from zero."""
        steps = self._steps_of(candidate).copy()
        if weekend:
            steps[self._weekend_digit()] += 1
        low, high = self.stored[0]
        value = int(steps @ self.strides)
        if (steps < self.counters.radix).all() and low <= value < high:
            row[value - low] = cost

    def _shift(
        self, block: np.ndarray, steps: np.ndarray, span: tuple[int, int] | None = None
    ) -> np.ndarray:
        """``block``'s columns (the counter values ``span``, all by default) moved up the
        counter by ``steps`` (values past a limit, or past the span, dropped)."""
        if not steps.any():
            return block
        begin, end = span or (0, self.counters.size)
        key = (tuple(steps.tolist()), begin, end)
        moves = self._spans.get(key)
        if moves is None:  # a pass shifts by the same few steps over the same spans
            offset = int(steps @ self.strides)
            start = self._from(steps)
            start = start[(start >= begin) & (start + offset < end)] - begin
            moves = self._spans[key] = (start, start + offset)
        source, target = moves
        moved = np.full_like(block, _INF)
        moved[:, target] = block[:, source]
        return moved

    def _from(self, steps: np.ndarray) -> np.ndarray:
        """Counter values that ``steps`` can be added to without passing a limit."""
        key = tuple(int(s) for s in steps)
        found = self._moves.get(key)
        if found is None:
            fits = (self.digits + steps[:, None] < self.counters.radix[:, None]).all(axis=0)
            found = self._moves[key] = np.flatnonzero(fits)
        return found

    def _steps_of(self, candidate: int) -> np.ndarray:
        steps: np.ndarray = self.counters.steps[:, candidate]
        return steps

    def _unit(self, digit: int) -> np.ndarray:
        unit = np.zeros(len(self.counters.radix), dtype=np.int64)
        unit[digit] = 1
        return unit

    def _weekend_digit(self) -> int:
        digit = self.counters.weekend_digit
        assert digit is not None
        return digit
