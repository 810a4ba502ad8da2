"""Coverage and objective of a candidate-form solution, without a solver.

The LNS loop compares incumbents with this; the model's objective on a full solve equals it
(a test checks), and the solver-agnostic validator re-derives the same numbers from the roster.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt

from scheduler.model.problem import Problem
from scheduler.model.solution import Solution

IntArray = npt.NDArray[np.int64]

UNDER_SEGMENTS = (1, 2, 4)


def group_working(problem: Problem, solution: Solution) -> IntArray:
    """Heads at work and not on a break, per group and slot."""
    working = np.zeros((len(problem.groups), problem.n_slots), dtype=np.int64)
    for index in solution.shifts.values():
        cand = problem.candidates[index]
        group = problem.agents[cand.agent].group
        working[group, cand.start : cand.end] += 1
        for shape_id, start in zip(cand.breaks, solution.breaks.get(index, ()), strict=False):
            working[group, start : start + problem.break_shapes[shape_id].length] -= 1
    return working


def queue_coverage(problem: Problem, solution: Solution) -> IntArray:
    """Agent-slots allocated to each queue per interval."""
    spi = problem.slots_per_interval
    per_interval = (
        group_working(problem, solution).reshape(len(problem.groups), -1, spi).sum(axis=2)
    )
    cover = np.zeros((len(problem.queues), problem.n_intervals), dtype=np.int64)
    for g, skills in enumerate(problem.groups):
        if len(skills) == 1:
            cover[skills[0]] += per_interval[g]
        else:
            for q in skills:
                cover[q] += solution.allocation[g, q]
    return cover


def under_staffed_hours(problem: Problem, solution: Solution, *, live_only: bool = False) -> float:
    """Agent-hours short on live queues plus (unless ``live_only``) email work that went past its
    response window.

    Email lateness is counted once, when it becomes overdue (the rises of the overdue backlog).
    """
    cover = queue_coverage(problem, solution)
    short = 0
    for q, queue in enumerate(problem.queues):
        need = problem.required_units[q]
        if not queue.deferred:
            short += int(np.maximum(0, need - cover[q]).sum())
            continue
        if live_only:
            continue
        window = int(queue.response_window_hours * 60 // problem.scenario.horizon.interval_minutes)
        if window >= len(need):
            continue
        overdue = np.maximum(
            0, np.cumsum(need)[: len(need) - window] - np.cumsum(cover[q])[window:]
        )
        short += int(np.maximum(0, np.diff(overdue, prepend=0)).sum())
    return problem.hours(short)


@dataclass(frozen=True)
class ObjectiveParts:
    """Objective terms in points (the model keeps them ×60 as integers)."""

    under_staffing: float
    over_staffing: float
    min_hours: float
    labour_cost: float
    unsocial_hours: float
    preferences: float
    fairness: float
    shift_type_cover: float = 0.0
    shift_requests: float = 0.0

    @property
    def total(self) -> float:
        return float(sum(asdict(self).values()))


def objective_parts(problem: Problem, solution: Solution) -> ObjectiveParts:
    """The objective of ``solution`` term by term, exactly as the CP-SAT model scores it."""
    weights = problem.scenario.policy.weights
    slot, spi = problem.slot, problem.slots_per_interval
    cover = queue_coverage(problem, solution)
    under = over = 0.0
    for q, queue in enumerate(problem.queues):
        need = problem.required_units[q]
        per_slot_under = weights.under_staffing * queue.priority * slot / 60
        per_slot_over = weights.over_staffing * slot / 60
        if queue.deferred:
            arrived, done = np.cumsum(need), np.cumsum(cover[q])
            window = int(
                queue.response_window_hours * 60 // problem.scenario.horizon.interval_minutes
            )
            late = (
                np.maximum(0, arrived[: len(arrived) - window] - done[window:]).sum()
                if window < len(arrived)
                else 0
            )
            under += per_slot_under * float(late)
            over += per_slot_over * float(np.maximum(0, done - arrived).sum())
            continue
        deficit = np.maximum(0, need - cover[q])
        first = np.minimum(deficit, spi)
        second = np.minimum(deficit - first, spi)
        rest = deficit - first - second
        under += per_slot_under * float((first + 2 * second + 4 * rest).sum())
        over += per_slot_over * float(np.maximum(0, cover[q] - need).sum())
    chosen = [problem.candidates[i] for i in solution.shifts.values()]
    labour = sum(round(60 * weights.labour_cost * c.cost) for c in chosen) / 60
    unsocial = sum(weights.unsocial_hours * c.unsocial_minutes * 60 // 60 for c in chosen) / 60
    preferences = float(sum(c.preference_penalty for c in chosen))
    return ObjectiveParts(
        under_staffing=under,
        over_staffing=over,
        min_hours=_min_hours(problem, solution),
        labour_cost=labour,
        unsocial_hours=unsocial,
        preferences=preferences,
        fairness=_fairness(problem, solution),
        shift_type_cover=_type_cover(problem, solution),
        shift_requests=_requests(problem, solution),
    )


def _type_cover(problem: Problem, solution: Solution) -> float:
    start = problem.scenario.horizon.start
    types = {t.id: k for k, t in enumerate(problem.scenario.shift_types)}
    staffed: dict[tuple[int, int], int] = defaultdict(int)
    for (_, day), index in solution.shifts.items():
        cand = problem.candidates[index]
        if cand.shift_type is not None:
            staffed[(cand.shift_type, day)] += 1
    total = 0
    for row in problem.scenario.shift_demand:
        have = staffed[(types[row.shift_type], (row.date - start).days)]
        total += row.under_weight * max(0, row.required - have) + row.over_weight * max(
            0, have - row.required
        )
    return float(total)


def _requests(problem: Problem, solution: Solution) -> float:
    start = problem.scenario.horizon.start
    types = {t.id: k for k, t in enumerate(problem.scenario.shift_types)}
    total = 0
    for plan in problem.agents:
        for request in plan.agent.shift_requests:
            index = solution.shifts.get((plan.index, (request.date - start).days))
            worked = (
                index is not None
                and problem.candidates[index].shift_type == types[request.shift_type]
            )
            if worked != (request.kind == "on"):
                total += request.weight
    return float(total)


def _min_hours(problem: Problem, solution: Solution) -> float:
    from scheduler.model.rules.weekly_hours import weekly_min_targets

    weights = problem.scenario.policy.weights
    horizon = problem.scenario.horizon
    paid: dict[tuple[int, int], int] = defaultdict(int)
    for (agent, day), index in solution.shifts.items():
        if 0 <= day < horizon.days:
            paid[(agent, day // 7)] += problem.candidates[index].paid_minutes // problem.slot
    total = 0
    for plan in problem.agents:
        for week, target in weekly_min_targets(problem, plan).items():
            total += max(0, target - paid[(plan.index, week)])
    return weights.min_hours_shortfall * problem.slot / 60 * total


def _fairness(problem: Problem, solution: Solution) -> float:
    weight = problem.scenario.policy.weights.fairness
    peers: dict[str, list[int]] = defaultdict(list)
    for plan in problem.agents:
        peers[plan.contract.id].append(plan.index)
    minutes: dict[int, int] = defaultdict(int)
    weekends: dict[int, int] = defaultdict(int)
    unsocial: dict[int, int] = defaultdict(int)
    for (agent, _), index in solution.shifts.items():
        cand = problem.candidates[index]
        minutes[agent] += cand.paid_minutes
        weekends[agent] += int(cand.weekend)
        unsocial[agent] += int(cand.unsocial)
    total = 0.0
    for agents in peers.values():
        if len(agents) < 2:
            continue
        for measure, scale in ((minutes, 60), (weekends, 1), (unsocial, 1)):
            values = [measure[a] for a in agents]
            total += (max(values) - min(values)) / scale
    return weight * total
