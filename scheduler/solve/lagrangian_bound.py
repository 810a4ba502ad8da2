"""Lower bounds by Lagrangian relaxation of the coverage rows: on the objective, and on
live-queue under-staffing.

Pricing each queue-interval's coverage at ``μ`` per agent-slot splits the roster problem into one
small problem per agent — pick the schedule whose working slots, each worth the best price among
the agent's skills (an agent serves one queue at a time), minus the shifts' own costs, are worth
the most — and one scalar problem per queue-interval (the cheapest coverage level given its
penalty and price). For any prices the sum is a lower bound on every roster; a projected,
deflected subgradient search with Polyak steps, aimed at the incumbent, raises it. Any stopping
point is a valid bound, so the search runs within a budget of seconds at any size — the LP on
the CP-SAT proto does not finish within a minute at 200 agents × 14 days.

Each agent's problem is solved exactly within each week block and relaxed across them, which
keeps the bound valid and pricing a few numpy passes: each break where it costs least (breaks may
overlap), then each (agent, week)'s best plan under its own rules — one shift a day, ``7 − min
days off`` days, the paid-hours maximum, the unsocial-shift cap, the minimum's shortfall charged
at its weight (:mod:`scheduler.solve.week_plans`); rules across weeks (rest, runs) dropped. Email
backlog rows are priced like coverage; other objective terms that are never negative (fairness,
working email ahead, shift requests, shift-type cover) are dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scheduler.model.coverage import UNDER_SEGMENTS
from scheduler.model.problem import Problem
from scheduler.model.rules.shift_costs import candidate_points
from scheduler.model.rules.weekly_hours import weekly_min_targets
from scheduler.solve.week_plans import WeekRules, best_plans, compile_week_rules

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Stop when the Polyak step factor has been halved below this.
_MIN_STEP_FACTOR = 1e-4
#: Taken off the bound (relative): it is summed in floating point, and a bound must not claim
#: more than it has proven when it meets the optimum exactly.
_FLOAT_MARGIN = 1e-9
#: Halve the step factor after this many iterations without a better bound, and keep this
#: share of the previous direction in the next (a deflected subgradient: it damps the zig-zag
#: between neighbouring intervals' prices). Measured at 200 agents × 14 days, 5 s: patience 25
#: alone stalled at 300.5k points after 2 s; 100 reached 303.0k, 100 with 0.6 deflection 303.4k;
#: at 40 agents × 7 days 35.6k, 45.6k and 46.5k (0.3), against the whole LP's 50.6k.
_PATIENCE = 100
_DEFLECTION = 0.6


def objective_lower_bound(
    problem: Problem,
    target: float,
    *,
    time_limit: float = 10.0,
    stop: Callable[[], bool] | None = None,
) -> float:
    """A lower bound on the objective (points) of every roster of ``problem``, the best met
    within ``time_limit`` seconds or before ``stop`` says so.

    ``target`` (the incumbent's objective) aims the step sizes; a bound that reaches it proves
    the incumbent optimal.
    """
    if not problem.candidates:
        return 0.0
    weights = problem.scenario.policy.weights
    per_slot = problem.slot / 60
    under = np.array(
        [weights.under_staffing * q.priority * per_slot for q in problem.queues], dtype=np.float64
    )
    costs = np.array([candidate_points(problem, c) for c in problem.candidates]) / 60
    penalty = _penalty(
        problem, under, weights.over_staffing * per_slot, UNDER_SEGMENTS, backlog=True
    )
    pricing = _pricing(
        problem, costs, weights.min_hours_shortfall * per_slot, float(under.max(initial=0.0))
    )
    return _search(problem, pricing, penalty, target, time_limit, stop)


def under_staffing_lower_bound_hours(
    problem: Problem,
    target_hours: float,
    *,
    time_limit: float = 10.0,
    stop: Callable[[], bool] | None = None,
) -> float:
    """Hours short on live queues that no roster can avoid (0 when nothing better is proven),
    within ``time_limit`` seconds or before ``stop`` says so.

    ``target_hours`` (the incumbent's live shortfall) aims the step sizes.
    """
    if not problem.candidates:
        return problem.hours(float(_live_need(problem).sum()))
    ones = np.ones(len(problem.queues))
    penalty = _penalty(problem, ones, 0.0, (1, 1, 1), backlog=False)
    pricing = _pricing(problem, np.zeros(len(problem.candidates)), 0.0, 0.0)
    target = target_hours * 60 / problem.slot
    return problem.hours(_search(problem, pricing, penalty, target, time_limit, stop))


@dataclass(frozen=True)
class _Shapes:
    """Distinct (skill group, start, end) shifts: agents of one group working the same hours
    earn the same, so each is priced once per iteration, not once per candidate."""

    group: IntArray
    start: IntArray
    end: IntArray


@dataclass(frozen=True)
class _BreakPlan:
    """Candidates with one break rule: where the break may start, and how long it is.

    Where the break costs least depends only on the skill group and the shift start, so it is
    found once per distinct (group, start) and shared by every candidate with that pair.
    """

    rows: IntArray  # positions in the candidate arrays
    key: IntArray  # per row: its distinct (group, start) pair
    group: IntArray  # per pair
    start: IntArray  # per pair
    offsets: IntArray  # slot offsets after the shift start the break may start at
    length: int


@dataclass(frozen=True)
class _Pricing:
    """The candidates as arrays, sorted by (agent, day), ready to be priced."""

    group: IntArray  # skill group of each candidate's agent
    start: IntArray
    end: IntArray
    shape: IntArray  # each candidate's distinct shift in ``shapes``
    shapes: _Shapes
    cost: FloatArray  # the shift's own objective points
    weeks: WeekRules  # each (agent, week)'s rules, for its best plan
    fixed: float  # shortfall no roster can avoid: weeks with a minimum and nothing to work
    breaks: tuple[_BreakPlan, ...]
    n_slots: int  # slots priced: the horizon, or further when shifts run past its end


@dataclass(frozen=True)
class _Penalty:
    """Per queue-interval: the coverage levels where the penalty bends and its value there.

    ``h(μ) = min_k f(level_k) + μ·level_k`` is the cheapest coverage at price ``μ``; prices stay
    within ``[low, high]`` (below ``low`` more coverage would be free; above ``high`` nothing
    changes). Deferred (email) queues are priced through their overdue rows instead:
    ``late_i ≥ due_i − Σ_{j ≤ i} cover_j`` priced at ``ν_i ∈ [0, weight]`` makes an agent-slot in
    interval ``j`` worth ``Σ_{i ≥ j} ν_i`` (working ahead, a penalty, is dropped).
    """

    levels: FloatArray  # queue × interval × breakpoint
    values: FloatArray
    low: FloatArray  # queue × interval
    high: FloatArray
    skills: BoolArray  # group × queue: may serve, for every queue the groups allocate to
    due: FloatArray  # queue × interval: deferred work that must be done by the interval's end
    late_cap: FloatArray  # queue × interval: the most an overdue agent-slot may be priced at
    late_scale: FloatArray  # queue × interval: preconditioner of the backlog rows' prices


def _live_need(problem: Problem) -> FloatArray:
    live = np.array([not q.deferred for q in problem.queues], dtype=bool)
    need: FloatArray = problem.required_units.astype(np.float64) * live[:, None]
    return need


def _penalty(
    problem: Problem,
    under: FloatArray,
    over: float,
    slopes: tuple[int, ...],
    *,
    backlog: bool,
) -> _Penalty:
    """Under-staffing in convex pieces (deepest shortfall first), over-staffing linear;
    ``backlog``: deferred queues' overdue work too."""
    need = _live_need(problem)
    spi = problem.slots_per_interval
    caps = [  # pieces as in the model, from the nearest agent short to the deepest
        np.minimum(need, spi),
        np.minimum(np.maximum(need - spi, 0), spi),
        np.maximum(need - 2 * spi, 0),
    ]
    weight = under[:, None]
    deep_first = list(zip(caps, slopes, strict=True))[::-1]
    levels = [np.zeros_like(need)]
    values = [sum(weight * slope * cap for cap, slope in deep_first)]
    for cap, slope in deep_first:
        levels.append(levels[-1] + cap)
        values.append(values[-1] - weight * slope * cap)
    live = np.array([not q.deferred for q in problem.queues], dtype=bool)[:, None]
    low = np.where(live, -over, 0.0) * np.ones_like(need)
    high = np.where(live, weight * max(slopes), 0.0) * np.ones_like(need)
    skills = np.zeros((len(problem.groups), len(problem.queues)), dtype=bool)
    for g, queues in enumerate(problem.groups):
        skills[g, list(queues)] = True
    due, late_cap, late_scale = _backlog_rows(problem, under if backlog else np.zeros_like(under))
    return _Penalty(
        np.stack(levels, axis=2),
        np.stack(values, axis=2),
        low,
        high,
        skills,
        due,
        late_cap,
        late_scale,
    )


def _backlog_rows(
    problem: Problem, weight: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Deferred queues' overdue rows as the model writes them: by the end of interval ``i``,
    the work that arrived a response window earlier must be done, else each late agent-slot
    costs the queue's under-staffing ``weight`` (0: leave the rows out).

    Row ``i`` sums ``i + 1`` intervals of coverage, so its subgradient is that much larger than
    a coverage row's; scaling its steps by ``1/(i + 1)²`` keeps the blocks in balance (measured
    at 200 agents × 14 days: the bound reaches 302k points within 5 s, against 262k unscaled
    after 10 s and 260k with email left out).
    """
    due = np.zeros(problem.required_units.shape)
    cap = np.zeros_like(due)
    for q, queue in enumerate(problem.queues):
        if not queue.deferred or weight[q] == 0:
            continue
        arrived = np.cumsum(problem.required_units[q]).astype(np.float64)
        window = int(queue.response_window_hours * 60 // problem.scenario.horizon.interval_minutes)
        if window < len(arrived):
            due[q, window:] = arrived[: len(arrived) - window]
            cap[q] = np.where(due[q] > 0, weight[q], 0.0)
    rows = np.arange(problem.n_intervals, dtype=np.float64) + 1.0
    scale: FloatArray = np.broadcast_to(1.0 / rows**2, due.shape).copy()
    return due, cap, scale


def _pricing(
    problem: Problem, costs: FloatArray, shortfall_weight: float, hard_cap: float
) -> _Pricing:
    """``shortfall_weight``: points per paid slot under a soft weekly minimum (0: ignore
    minimums); ``hard_cap``: the highest price put on a hard minimum's slots."""
    order = sorted(
        range(len(problem.candidates)),
        key=lambda i: (problem.candidates[i].agent, problem.candidates[i].day, i),
    )
    cands = [problem.candidates[i] for i in order]
    week_index: dict[tuple[int, int], int] = {}
    week_row = np.array(
        [week_index.setdefault((c.agent, problem.week_of(c.day)), len(week_index)) for c in cands],
        dtype=np.int64,
    )
    group = np.array([problem.agents[c.agent].group for c in cands], dtype=np.int64)
    start = np.array([c.start for c in cands], dtype=np.int64)
    end = np.array([c.end for c in cands], dtype=np.int64)
    shapes, shape = np.unique(np.stack([group, start, end], axis=1), axis=0, return_inverse=True)
    breaks = []
    for shape_index, rule in enumerate(problem.break_shapes):
        rows = np.array([i for i, c in enumerate(cands) if shape_index in c.breaks], dtype=np.int64)
        if len(rows):
            pairs, key = np.unique(
                np.stack([group[rows], start[rows]], axis=1), axis=0, return_inverse=True
            )
            breaks.append(
                _BreakPlan(
                    rows,
                    key.reshape(-1),
                    pairs[:, 0],
                    pairs[:, 1],
                    np.arange(rule.earliest, rule.latest + 1, dtype=np.int64),
                    rule.length,
                )
            )
    minimum, price_cap, fixed = _weekly_minimums(problem, week_index, shortfall_weight, hard_cap)
    return _Pricing(
        group=group,
        start=start,
        end=end,
        shape=shape.reshape(-1),
        shapes=_Shapes(shapes[:, 0], shapes[:, 1], shapes[:, 2]),
        cost=costs[np.array(order, dtype=np.int64)],
        weeks=compile_week_rules(problem, cands, week_row, minimum, price_cap),
        fixed=fixed,
        breaks=tuple(breaks),
        n_slots=max(problem.n_intervals * problem.slots_per_interval, int(end.max())),
    )


def _weekly_minimums(
    problem: Problem, week_index: dict[tuple[int, int], int], weight: float, hard_cap: float
) -> tuple[FloatArray, FloatArray, float]:
    """Per (agent, week) row: the minimum paid slots and the points per slot short of it; plus
    the fixed shortfall.

    Mirrors ``weekly_hours.build_minimum``: prorated by the week's days inside the horizon and not
    on time off. A soft minimum is charged at its weight, which is exact; a hard one at
    ``hard_cap``, which is valid because every roster that meets it is charged nothing.
    """
    minimum = np.zeros(len(week_index))
    cap = np.zeros(len(week_index))
    fixed = 0.0
    for plan in problem.agents:
        hard = plan.contract.min_hours_hard
        if (weight == 0 and not hard) or (hard and hard_cap == 0):
            continue
        for week, target in weekly_min_targets(problem, plan).items():
            row = week_index.get((plan.index, week))
            if row is None:
                fixed += 0.0 if hard else weight * target  # nothing to work: short all week
                continue
            minimum[row] = target
            cap[row] = hard_cap if hard else weight
    return minimum, cap, fixed


def _search(
    problem: Problem,
    pricing: _Pricing,
    penalty: _Penalty,
    target: float,
    time_limit: float,
    stop: Callable[[], bool] | None = None,
) -> float:
    """Projected subgradient ascent on the prices; the best bound met."""
    deadline = time.monotonic() + time_limit
    prices = np.clip(np.zeros_like(penalty.low), penalty.low, penalty.high)
    late_prices = np.zeros_like(penalty.due)
    best, factor, stale = 0.0, 1.0, 0  # no roster costs less than nothing
    previous: tuple[FloatArray, FloatArray] | None = None
    while time.monotonic() < deadline and factor > _MIN_STEP_FACTOR:
        if stop is not None and stop():
            break
        deferred = np.flip(np.cumsum(np.flip(late_prices, axis=1), axis=1), axis=1)
        value, direction, cover = _dual(problem, pricing, penalty, prices + deferred)
        value += float((late_prices * penalty.due).sum())
        late_direction = np.where(penalty.late_cap > 0, penalty.due - np.cumsum(cover, axis=1), 0.0)
        if value > best + 1e-9 * max(1.0, abs(best)):
            best, stale = value, 0
        else:
            stale += 1
            if stale >= _PATIENCE:
                factor, stale = factor / 2, 0
        if best >= target - 1e-9 or _squared_norm(penalty, direction, late_direction) == 0:
            break  # the incumbent is proven optimal, or the prices are
        if previous is not None:
            direction = direction + _DEFLECTION * previous[0]
            late_direction = late_direction + _DEFLECTION * previous[1]
        previous = direction, late_direction
        norm = max(_squared_norm(penalty, direction, late_direction), 1e-12)
        step = factor * max(target - value, 1e-6 * max(1.0, abs(target))) / norm
        prices = np.clip(prices + step * direction, penalty.low, penalty.high)
        late_prices = np.clip(
            late_prices + step * penalty.late_scale * late_direction, 0.0, penalty.late_cap
        )
    return max(0.0, best - _FLOAT_MARGIN * max(1.0, abs(best)))


def _squared_norm(penalty: _Penalty, coverage: FloatArray, late: FloatArray) -> float:
    """Squared length of a step direction, the backlog rows weighed by their preconditioner."""
    return float((coverage**2).sum() + (penalty.late_scale * late**2).sum())


def _dual(
    problem: Problem,
    pricing: _Pricing,
    penalty: _Penalty,
    prices: FloatArray,
) -> tuple[float, FloatArray, FloatArray]:
    """The Lagrangian function at the prices (without the backlog rows' constant), its
    subgradient on coverage, and the chosen schedules' coverage."""
    spi = problem.slots_per_interval
    # a working agent-slot of a group is worth the best price among its skills
    priced = np.where(penalty.skills[:, :, None], prices[None, :, :], -np.inf)
    if priced.shape[1] == 0:  # no queues (a team staffed by shift types only): nothing to serve
        priced = np.zeros((priced.shape[0], 1, problem.n_intervals))
    best_queue = priced.argmax(axis=1)  # group × interval
    worth_interval = priced.max(axis=1)
    worth_interval[~penalty.skills.any(axis=1)] = 0.0  # agents without skills serve nothing
    worth = np.repeat(worth_interval, spi, axis=1)
    worth = np.pad(worth, ((0, 0), (0, pricing.n_slots - worth.shape[1])))  # past the horizon
    cumulative = np.concatenate([np.zeros((len(worth), 1)), np.cumsum(worth, axis=1)], axis=1)

    shapes = pricing.shapes
    earned = cumulative[shapes.group, shapes.end] - cumulative[shapes.group, shapes.start]
    value = earned[pricing.shape] - pricing.cost
    break_at: list[IntArray] = []
    for plan in pricing.breaks:
        first = plan.start[:, None] + plan.offsets[None, :]
        window = cumulative[plan.group[:, None], first + plan.length]
        window = window - cumulative[plan.group[:, None], first]
        choice = window.argmin(axis=1)
        picked = np.arange(len(plan.start))
        value[plan.rows] -= window[picked, choice][plan.key]
        break_at.append(first[picked, choice][plan.key])

    planned, chosen = best_plans(pricing.weeks, value)

    totals = penalty.values + prices[:, :, None] * penalty.levels
    level = totals.argmin(axis=2)
    cheapest = np.take_along_axis(totals, level[:, :, None], axis=2)[:, :, 0]
    target_cover = np.take_along_axis(penalty.levels, level[:, :, None], axis=2)[:, :, 0]
    dual = float(cheapest.sum()) + pricing.fixed - planned
    cover = _coverage(problem, pricing, chosen, break_at, best_queue, penalty.skills)
    coverage_direction = np.where(penalty.high > penalty.low, target_cover - cover, 0.0)
    return dual, coverage_direction, cover


def _coverage(
    problem: Problem,
    pricing: _Pricing,
    chosen: BoolArray,
    break_at: list[IntArray],
    best_queue: IntArray,
    skills: BoolArray,
) -> FloatArray:
    """Agent-slots per queue and interval worked by the chosen shifts (breaks taken out)."""
    n_groups, spi = skills.shape[0], problem.slots_per_interval
    delta = np.zeros((n_groups, pricing.n_slots + 1))
    np.add.at(delta, (pricing.group[chosen], pricing.start[chosen]), 1.0)
    np.add.at(delta, (pricing.group[chosen], pricing.end[chosen]), -1.0)
    for plan, at in zip(pricing.breaks, break_at, strict=True):
        taken = chosen[plan.rows]
        groups = pricing.group[plan.rows][taken]
        np.add.at(delta, (groups, at[taken]), -1.0)
        np.add.at(delta, (groups, at[taken] + plan.length), 1.0)
    n_intervals = problem.n_intervals
    working = np.cumsum(delta, axis=1)[:, : n_intervals * spi]
    per_interval = working.reshape(n_groups, n_intervals, spi).sum(axis=2)
    serving = skills.any(axis=1)
    cells = best_queue[serving] * n_intervals + np.arange(n_intervals)  # (queue, interval)
    cells_total = len(problem.queues) * n_intervals
    served = np.bincount(
        cells.ravel(), weights=per_interval[serving].ravel(), minlength=cells_total
    )
    return served.astype(np.float64).reshape(len(problem.queues), n_intervals)
