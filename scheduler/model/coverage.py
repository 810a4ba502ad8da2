"""Coverage: agents on shift, minus breaks, allocated to queues, against each queue's requirement.

Agents with the same skill set form a *group*; the model counts heads per group and slot with
one running-sum variable per start/end event, so its size grows with groups × slots, not with
agents × slots. Breaks are placed per *pool* (group × break rule): because every shift in a pool
has its break window at the same offsets from its start, breaks sorted by time can be matched to
shifts sorted by start, and the prefix conditions ``C(t − latest) ≤ Z(t) ≤ C(t − earliest)``
(C: shifts started, Z: breaks started) are exactly what makes that matching exist. Multi-skill
groups split their working time per interval between their queues (``alloc`` variables), so no
agent is counted twice. Only the window spanned by free shifts is modelled; the rest is constant.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from scheduler.model.context import BuildContext
from scheduler.model.evaluate import queue_coverage
from scheduler.model.problem import Candidate
from scheduler.model.variables import Expr, sum_of

KEY = "coverage"
LABEL = "agents on each queue meet its requirement"

#: Convex under-staffing: the first agent short costs 1×, the second 2×, every further one 4×.
UNDER_SEGMENTS = (1, 2, 4)


@dataclass
class BreakPool:
    group: int
    shape: int
    members: list[tuple[Candidate, cp_model.IntVar]]
    cumulative: dict[int, cp_model.IntVar] = field(default_factory=dict)
    first: int = 0
    last: int = -1

    def started_by(self, t: int) -> Expr:
        """Z(t): breaks of this pool started at or before slot ``t``."""
        if t < self.first:
            return 0
        return self.cumulative[min(t, self.last)]


@dataclass
class CoverageModel:
    """Variables kept for extraction and reporting."""

    slot_lo: int
    slot_hi: int
    interval_lo: int
    interval_hi: int
    pools: list[BreakPool]
    alloc: dict[tuple[int, int, int], cp_model.IntVar]
    under: dict[tuple[int, int], list[cp_model.IntVar]]


def build(ctx: BuildContext) -> Expr:
    problem, model = ctx.problem, ctx.model
    free = list(ctx.vars.free_candidates())
    if not free:
        ctx.coverage = None
        return 0
    spi = problem.slots_per_interval
    i_lo = min(c.start for c, _ in free) // spi
    i_hi = math.ceil(max(c.end for c, _ in free) / spi)
    s_lo, s_hi = i_lo * spi, i_hi * spi

    fixed = _fixed_working(ctx, s_lo, s_hi)
    heads = _heads_on_shift(ctx, free, s_lo, s_hi)
    pools = _break_pools(ctx, free)
    breaks_by_group: dict[int, list[BreakPool]] = defaultdict(list)
    for pool in pools:
        breaks_by_group[pool.group].append(pool)

    contributions: dict[tuple[int, int], list[Expr]] = defaultdict(list)
    alloc: dict[tuple[int, int, int], cp_model.IntVar] = {}
    for g, skills in enumerate(problem.groups):
        size = len(problem.group_agents[g])
        for i in range(i_lo, i_hi):
            slots = range(i * spi, (i + 1) * spi)
            working = sum_of(
                [int(fixed[g, t - s_lo]) for t in slots]
                + [heads[g][t] for t in slots if g in heads]
                + [
                    -(
                        pool.started_by(t)
                        - pool.started_by(t - problem.break_shapes[pool.shape].length)
                    )
                    for pool in breaks_by_group.get(g, [])
                    for t in slots
                ]
            )
            if (isinstance(working, int) and working == 0) or not skills:
                continue  # agents without skills work shift types only: nothing to allocate
            if len(skills) == 1:
                contributions[(skills[0], i)].append(working)
                continue
            parts = []
            for q in skills:
                var = model.new_int_var(0, size * spi, f"alloc[g{g},{problem.queues[q].id},{i}]")
                alloc[(g, q, i)] = var
                parts.append(var)
                contributions[(q, i)].append(var)
            model.add(sum_of(parts) == working)

    under: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    terms: list[Expr] = []
    weights = problem.scenario.policy.weights
    incumbent_cover = (
        queue_coverage(problem, ctx.incumbent)
        if ctx.incumbent is not None
        else np.zeros((len(problem.queues), problem.n_intervals), dtype=np.int64)
    )
    for q, queue in enumerate(problem.queues):
        cover = {i: sum_of(contributions.get((q, i), [])) for i in range(i_lo, i_hi)}
        under_weight = ctx.per_slot(weights.under_staffing * queue.priority)
        over_weight = ctx.per_slot(weights.over_staffing)
        if queue.deferred:
            terms.append(
                _backlog(ctx, q, cover, incumbent_cover[q], i_lo, i_hi, under_weight, over_weight)
            )
            continue
        for i in range(i_lo, i_hi):
            need = int(problem.required_units[q, i])
            label = f"{queue.id},{i}"
            segments = _under_segments(model, need, spi, label)
            if segments:
                model.add(sum_of(segments) >= need - cover[i])
                under[(q, i)] = segments
                terms += [
                    under_weight * k * s for k, s in zip(UNDER_SEGMENTS, segments, strict=False)
                ]
            if over_weight:
                over = model.new_int_var(0, max(0, _bound(ctx, q) * spi - need), f"over[{label}]")
                model.add(over >= cover[i] - need)
                terms.append(over_weight * over)
    ctx.coverage = CoverageModel(s_lo, s_hi, i_lo, i_hi, pools, alloc, under)
    return sum_of(terms)


def _under_segments(
    model: cp_model.CpModel, need: int, spi: int, label: str
) -> list[cp_model.IntVar]:
    """Shortfall split into convex pieces: one agent, the next agent, then everything beyond."""
    caps = (min(need, spi), min(max(need - spi, 0), spi), max(need - 2 * spi, 0))
    return [
        model.new_int_var(0, cap, f"under{k}[{label}]")
        for k, cap in zip(UNDER_SEGMENTS, caps, strict=False)
        if cap > 0
    ]


def _bound(ctx: BuildContext, queue: int) -> int:
    problem = ctx.problem
    return sum(
        len(problem.group_agents[g]) for g, skills in enumerate(problem.groups) if queue in skills
    )


def _fixed_working(ctx: BuildContext, s_lo: int, s_hi: int) -> np.ndarray:
    """Heads at work (not on break) per group and slot from shifts the model may not change."""
    problem = ctx.problem
    fixed = np.zeros((len(problem.groups), s_hi - s_lo), dtype=np.int64)
    breaks = ctx.incumbent.breaks if ctx.incumbent else {}
    for index in ctx.vars.fixed_shifts():
        cand = problem.candidates[index]
        group = problem.agents[cand.agent].group
        lo, hi = max(cand.start, s_lo), min(cand.end, s_hi)
        if lo >= hi:
            continue
        fixed[group, lo - s_lo : hi - s_lo] += 1
        for shape_id, start in zip(cand.breaks, breaks.get(index, ()), strict=False):
            end = start + problem.break_shapes[shape_id].length
            b_lo, b_hi = max(start, s_lo), min(end, s_hi)
            if b_lo < b_hi:
                fixed[group, b_lo - s_lo : b_hi - s_lo] -= 1
    return fixed


def _heads_on_shift(
    ctx: BuildContext, free: list[tuple[Candidate, cp_model.IntVar]], s_lo: int, s_hi: int
) -> dict[int, dict[int, Expr]]:
    """Running count of free shifts in progress per group, one variable per start/end event."""
    problem, model = ctx.problem, ctx.model
    starts: dict[int, dict[int, list[cp_model.IntVar]]] = defaultdict(lambda: defaultdict(list))
    ends: dict[int, dict[int, list[cp_model.IntVar]]] = defaultdict(lambda: defaultdict(list))
    for cand, var in free:
        group = problem.agents[cand.agent].group
        starts[group][cand.start].append(var)
        ends[group][cand.end].append(var)
    heads: dict[int, dict[int, Expr]] = {}
    for group in sorted(starts):
        size = len(problem.group_agents[group])
        current: Expr = 0
        series: dict[int, Expr] = {}
        for t in range(s_lo, s_hi):
            up, down = starts[group].get(t, []), ends[group].get(t, [])
            if up or down:
                var = model.new_int_var(0, size, f"on[g{group},{t}]")
                model.add(var == current + sum_of(up) - sum_of(down))
                current = var
            series[t] = current
        heads[group] = series
    return heads


def _break_pools(
    ctx: BuildContext, free: list[tuple[Candidate, cp_model.IntVar]]
) -> list[BreakPool]:
    """Break variables per (group, break rule) for the free shifts that get that break."""
    problem, model = ctx.problem, ctx.model
    members: dict[tuple[int, int], list[tuple[Candidate, cp_model.IntVar]]] = defaultdict(list)
    for cand, var in free:
        for shape_id in cand.breaks:
            members[(problem.agents[cand.agent].group, shape_id)].append((cand, var))
    pools = []
    for (group, shape_id), items in sorted(members.items(), key=lambda kv: kv[0]):
        shape = problem.break_shapes[shape_id]
        # cumulative counts grow across days: bounded by the shifts that can take part
        days = len({(cand.agent, cand.day) for cand, _ in items})
        size = min(days, len(problem.group_agents[group]) * (problem.scenario.horizon.days + 2))
        by_start: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for cand, var in items:
            by_start[cand.start].append(var)
        start_times = sorted(by_start)
        started: list[cp_model.IntVar] = []
        running: Expr = 0
        for tau in start_times:
            var = model.new_int_var(0, size, f"started[{shape.name},g{group},{tau}]")
            model.add(var == running + sum_of(by_start[tau]))
            started.append(var)
            running = var

        def shifts_started_by(
            t: int, times: list[int] = start_times, cum: list[cp_model.IntVar] = started
        ) -> Expr:
            k = bisect.bisect_right(times, t)
            return 0 if k == 0 else cum[k - 1]

        pool = BreakPool(
            group,
            shape_id,
            items,
            first=start_times[0] + shape.earliest,
            last=start_times[-1] + shape.latest,
        )
        previous: Expr = 0
        for t in range(pool.first, pool.last + 1):
            var = model.new_int_var(0, size, f"breaks[{shape.name},g{group},{t}]")
            model.add(var >= previous)
            model.add(var <= shifts_started_by(t - shape.earliest))
            model.add(var >= shifts_started_by(t - shape.latest))
            pool.cumulative[t] = var
            previous = var
        pools.append(pool)
    return pools


def _backlog(
    ctx: BuildContext,
    q: int,
    cover: dict[int, Expr],
    incumbent: np.ndarray,
    i_lo: int,
    i_hi: int,
    under_weight: int,
    over_weight: int,
) -> Expr:
    """Deferred work (email): overdue backlog per interval is penalised, working ahead is over."""
    problem, model = ctx.problem, ctx.model
    queue = problem.queues[q]
    arrived = np.cumsum(problem.required_units[q])
    window = int(queue.response_window_hours * 60 // problem.scenario.horizon.interval_minutes)
    ceiling = int(arrived[-1]) + _bound(ctx, q) * problem.n_slots
    done_before = int(incumbent[:i_lo].sum())
    done_after = np.cumsum(np.where(np.arange(problem.n_intervals) >= i_hi, incumbent, 0))
    running: Expr = 0
    inside: dict[int, Expr] = {}
    for i in range(i_lo, i_hi):
        var = model.new_int_var(0, ceiling, f"done[{queue.id},{i}]")
        model.add(var == running + cover[i])
        inside[i] = running = var
    terms: list[Expr] = []
    for i in range(i_lo, problem.n_intervals):
        done = done_before + (inside[i] if i < i_hi else running) + int(done_after[i])
        if i >= window and (need := int(arrived[i - window])) > 0:
            late = model.new_int_var(0, need, f"overdue[{queue.id},{i}]")
            model.add(late >= need - done)
            terms.append(under_weight * late)
        if over_weight:
            ahead = model.new_int_var(0, ceiling, f"ahead[{queue.id},{i}]")
            model.add(ahead >= done - int(arrived[i]))
            terms.append(over_weight * ahead)
    return sum_of(terms)
