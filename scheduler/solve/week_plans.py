"""Each agent-week's most valuable plan under the week's own rules, by dynamic programming.

The Lagrangian bound prices every candidate shift; per (agent, week) it then needs the best set
of shifts the week's rules allow. Taking the best days alone (at most ``7 − min days off``)
drops the contract's paid-hours maximum, its cap on unsocial shifts and the weekly minimum, which
then has to be priced by a multiplier of its own; every such gap loosens the bound. Here those
rules are exact: shifts of one day differ for them only by paid length and by being unsocial, so
each day offers its best shift of every such class, and a week's states are (days worked, paid
hours, unsocial shifts) — a few hundred at most, all agent-weeks of one contract stepped at once
in numpy. The weekly minimum's shortfall is charged at its full weight when the week ends. Rules
that span weeks (rest between shifts, runs of days) stay relaxed, which keeps the bound valid.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from scheduler.model.problem import BoolArray, Candidate, FloatArray, IntArray, Problem

#: Day positions in a week block.
WEEK = 7


@dataclass(frozen=True)
class _Kind:
    """Agent-weeks with the same rules, stepped together: ``rows`` of them, each with the
    states (days worked < ``days``, paid-hour steps < ``hours``, unsocial shifts < ``unsocial``)."""

    offset: int  # first of its cells: (row, day position, class), row-major
    rows: int
    days: int
    hours: int
    unsocial: int
    steps: tuple[tuple[int, int], ...]  # per class: (paid-hour steps, unsocial shifts) it adds
    ending: FloatArray  # rows × hours: value at the week's end (minus the minimum's shortfall)

    @property
    def cells(self) -> int:
        return self.rows * WEEK * len(self.steps)


@dataclass(frozen=True)
class WeekRules:
    """The candidates' cells and the kinds of agent-week, compiled once per problem."""

    cell_of: IntArray  # per candidate (in the pricing's order): its cell
    occupied: IntArray  # cells with a candidate, ascending
    by_cell: IntArray  # candidates sorted by cell (stable)
    cell_starts: IntArray  # per occupied cell: its first position in ``by_cell``
    kinds: tuple[_Kind, ...]
    n_cells: int


def compile_week_rules(
    problem: Problem,
    cands: list[Candidate],
    week_row: IntArray,
    minimum: FloatArray,
    shortfall_price: FloatArray,
) -> WeekRules:
    """``cands`` sorted by (agent, day); ``week_row`` per candidate; per (agent, week) row
    ``minimum`` paid slots and the points each slot short of it costs (0: no minimum)."""
    shifts = _Shifts(
        np.array([c.paid_minutes // problem.slot for c in cands], dtype=np.int64),
        np.array([c.unsocial for c in cands], dtype=np.int64),
        np.array([c.day % WEEK for c in cands], dtype=np.int64),
    )
    first_of_row = np.unique(week_row, return_index=True)[1]
    members: dict[tuple[int, int, int | None], list[int]] = defaultdict(list)
    for row, first in enumerate(first_of_row):
        contract = problem.agents[cands[first].agent].contract
        key = (
            min(WEEK - contract.min_days_off_per_week, WEEK),
            int(contract.max_hours_per_week * 60 // problem.slot),
            contract.max_unsocial_shifts_per_week,
        )
        members[key].append(row)
    kind_of_row = np.zeros(len(first_of_row), dtype=np.int64)
    place_in_kind = np.zeros(len(first_of_row), dtype=np.int64)
    for k, rows in enumerate(members.values()):
        kind_of_row[rows] = k
        place_in_kind[rows] = np.arange(len(rows))
    kind_of = kind_of_row[week_row]

    cell_of = np.zeros(len(cands), dtype=np.int64)
    kinds: list[_Kind] = []
    offset = 0
    for k, (caps, rows) in enumerate(members.items()):
        positions = np.flatnonzero(kind_of == k)
        kind, cells = _compile_kind(
            shifts.at(positions),
            place_in_kind[week_row[positions]],
            caps,
            minimum[rows],
            shortfall_price[rows],
            offset,
        )
        cell_of[positions] = cells
        kinds.append(kind)
        offset += kind.cells
    by_cell = np.argsort(cell_of, kind="stable")
    occupied, cell_starts = np.unique(cell_of[by_cell], return_index=True)
    return WeekRules(cell_of, occupied, by_cell, cell_starts, tuple(kinds), offset)


@dataclass(frozen=True)
class _Shifts:
    """What the week's rules see of each candidate."""

    paid: IntArray  # paid slots
    unsocial: IntArray  # 1: an unsocial shift
    position: IntArray  # day position in its week block

    def at(self, positions: IntArray) -> _Shifts:
        return _Shifts(self.paid[positions], self.unsocial[positions], self.position[positions])


def _compile_kind(
    shifts: _Shifts,
    row: IntArray,
    caps: tuple[int, int, int | None],
    minimum: FloatArray,
    shortfall_price: FloatArray,
    offset: int,
) -> tuple[_Kind, IntArray]:
    """One kind's states and classes, and the cell of each of its candidates (``shifts``, in
    agent-week ``row`` of the kind).

    ``caps``: working days, paid slots and unsocial shifts a week allows (None: no cap).

    Paid hours are tracked only where they matter (a maximum more days could exceed, or a
    minimum), in steps of the greatest common divisor of the shifts' paid slots; unsocial
    shifts only where the cap is below the days that may be worked.
    """
    day_cap, hour_cap, unsocial_cap = caps
    longest = int(shifts.paid.max(initial=0))
    track_hours = day_cap * longest > hour_cap or bool((minimum * shortfall_price > 0).any())
    step = (int(np.gcd.reduce(shifts.paid)) or 1) if track_hours else 1
    hours = min(hour_cap, day_cap * longest) // step + 1 if track_hours else 1
    track_unsocial = unsocial_cap is not None and unsocial_cap < day_cap
    unsocial = (unsocial_cap or 0) + 1 if track_unsocial else 1

    # a class is (paid-hour steps, unsocial shifts), one integer for a fast unique
    none = np.zeros_like(shifts.paid)
    keys = 2 * (shifts.paid // step if track_hours else none) + (
        shifts.unsocial if track_unsocial else none
    )
    classes, label = np.unique(keys, return_inverse=True)
    n_classes = max(len(classes), 1)
    cells = offset + (row * WEEK + shifts.position) * n_classes + label.reshape(-1)
    steps = tuple((int(key) // 2, int(key) % 2) for key in classes) or ((0, 0),)
    worked = np.arange(hours, dtype=np.float64) * step
    short = np.maximum(minimum[:, None] - worked[None, :], 0.0)
    ending = -shortfall_price[:, None] * short if track_hours else np.zeros((len(minimum), 1))
    kind = _Kind(offset, len(minimum), day_cap + 1, hours, unsocial, steps, ending)
    return kind, cells


def best_plans(rules: WeekRules, value: FloatArray) -> tuple[float, BoolArray]:
    """The summed value of every agent-week's best plan, and the candidates those plans work.

    ``value`` is each candidate's worth (in the pricing's order); a week may also be left idle
    (worth 0 less its minimum's shortfall).
    """
    cell_value = np.full(rules.n_cells, -np.inf)
    cell_value[rules.occupied] = np.maximum.reduceat(value[rules.by_cell], rules.cell_starts)
    best_in_cell = np.full(rules.n_cells, -1, dtype=np.int64)
    at_best = np.nonzero(value >= cell_value[rules.cell_of])[0][::-1]
    best_in_cell[rules.cell_of[at_best]] = at_best  # reversed: the first best one wins
    total = 0.0
    chosen = np.zeros(len(value), dtype=bool)
    for kind in rules.kinds:
        worth = cell_value[kind.offset : kind.offset + kind.cells]
        kind_total, cells = _best_of_kind(kind, worth.reshape(kind.rows, WEEK, len(kind.steps)))
        total += kind_total
        chosen[best_in_cell[kind.offset + cells]] = True
    return total, chosen


def _best_of_kind(kind: _Kind, worth: FloatArray) -> tuple[float, IntArray]:
    """Forward over the week's days keeping every state's best value, then back from each
    row's best end state to the cells it worked (offsets within the kind)."""
    states = np.full((kind.rows, kind.days, kind.hours, kind.unsocial), -np.inf)
    states[:, 0, 0, 0] = 0.0
    history = [states]
    for day in range(WEEK):
        after = states.copy()
        for c, (hours, unsocial) in enumerate(kind.steps):
            if hours >= kind.hours or unsocial >= kind.unsocial:
                continue
            today = worth[:, day, c]
            if not np.isfinite(today).any():
                continue
            reached = states[:, :-1, : kind.hours - hours, : kind.unsocial - unsocial]
            target = after[:, 1:, hours:, unsocial:]
            np.maximum(target, reached + today[:, None, None, None], out=target)
        history.append(after)
        states = after
    final = (states + kind.ending[:, None, :, None]).reshape(kind.rows, -1)
    end = final.argmax(axis=1)
    rows = np.arange(kind.rows)
    total = float(final[rows, end].sum())
    n, h, u = np.unravel_index(end, states.shape[1:])
    n, h, u = n.copy(), h.copy(), u.copy()
    worked: list[IntArray] = []
    n_classes = len(kind.steps)
    for day in range(WEEK - 1, -1, -1):
        before, after = history[day], history[day + 1]
        current = after[rows, n, h, u]
        pending = before[rows, n, h, u] != current
        for c, (hours, unsocial) in enumerate(kind.steps):
            candidates = np.nonzero(pending & (n >= 1) & (h >= hours) & (u >= unsocial))[0]
            if not len(candidates):
                continue
            came = before[
                candidates, n[candidates] - 1, h[candidates] - hours, u[candidates] - unsocial
            ]
            took = candidates[came + worth[candidates, day, c] == current[candidates]]
            worked.append((took * WEEK + day) * n_classes + c)
            n[took] -= 1
            h[took] -= hours
            u[took] -= unsocial
            pending[took] = False
    cells = np.concatenate(worked) if worked else np.zeros(0, dtype=np.int64)
    return total, cells
