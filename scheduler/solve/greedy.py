"""A fast first roster: each agent, in turn, takes the legal shifts that cover the most unmet
demand (weighted by queue priority) net of their cost; breaks go where demand is lowest.

It is the hint for CP-SAT and the starting point of LNS, so a roster exists within a second even
for large teams. It respects every hard rule by construction (``_fits``).
"""

from __future__ import annotations

import math

import numpy as np

from scheduler.model.extract import empty_allocation
from scheduler.model.problem import AgentPlan, Candidate, Problem
from scheduler.model.solution import Solution


def greedy_solution(problem: Problem) -> Solution:
    spi = problem.slots_per_interval
    # residual demand per queue and slot, in agents, weighted by priority when scoring
    residual = np.repeat(problem.required.astype(np.float64), spi, axis=1)
    priority = np.array([q.priority for q in problem.queues], dtype=np.float64)
    weights = problem.scenario.policy.weights
    under_per_slot = weights.under_staffing * problem.slot / 60
    shifts: dict[tuple[int, int], int] = {}
    breaks: dict[int, tuple[int, ...]] = {}
    order = sorted(
        problem.agents, key=lambda p: (len(p.agent.skills), sum(len(v) for v in p.by_day.values()))
    )
    for plan in order:
        skills = list(problem.groups[plan.group])
        accepted: dict[int, Candidate] = {}
        if skills:
            value = np.clip(residual[skills], 0, 1) * priority[skills, None]
            best = value.max(axis=0)
        else:  # works shift types only: no interval demand to chase
            best = np.zeros(residual.shape[1])
        prefix = np.concatenate(([0.0], np.cumsum(best)))
        scored: list[tuple[float, int]] = []
        for options in plan.by_day.values():
            for index in options:
                cand = problem.candidates[index]
                gain = (prefix[cand.end] - prefix[cand.start]) * under_per_slot
                cost = shift_cost(problem, cand)
                if gain > cost:
                    scored.append((gain - cost, index))
        scored.sort(key=lambda item: (-item[0], item[1]))
        for _, index in scored:
            cand = problem.candidates[index]
            if cand.day in accepted or not _fits(problem, plan, accepted, cand):
                continue
            accepted[cand.day] = cand
            placed = place_breaks(problem, cand, best)
            breaks[index] = placed
            working = np.ones(cand.end - cand.start, dtype=bool)
            for shape_id, start in zip(cand.breaks, placed, strict=True):
                working[
                    start - cand.start : start - cand.start + problem.break_shapes[shape_id].length
                ] = False
            slots = np.arange(cand.start, cand.end)[working]
            if not skills:
                continue
            queue_choice = np.asarray(skills)[
                np.argmax(residual[skills][:, slots] * priority[skills, None], axis=0)
            ]
            residual[queue_choice, slots] -= 1
        for day, cand in accepted.items():
            shifts[(plan.index, day)] = cand.index
    solution = Solution(shifts=shifts, breaks=breaks, allocation=empty_allocation(problem))
    solution.allocation = allocate(problem, solution)
    return solution


def allocate(problem: Problem, solution: Solution) -> np.ndarray:
    """Split each multi-skill group's working time per interval to its queues' unmet demand."""
    from scheduler.model.evaluate import group_working

    spi = problem.slots_per_interval
    working = group_working(problem, solution).reshape(len(problem.groups), -1, spi).sum(axis=2)
    need = problem.required_units.astype(np.int64).copy()
    for g, skills in enumerate(problem.groups):
        if len(skills) == 1:  # groups without skills allocate nothing
            need[skills[0]] -= working[g]
    allocation = empty_allocation(problem)
    multi = [g for g, skills in enumerate(problem.groups) if len(skills) > 1]
    for g in multi:
        skills = problem.groups[g]
        for i in range(problem.n_intervals):
            left = int(working[g, i])
            for q in sorted(skills, key=lambda q: -need[q, i]):
                take = min(left, max(0, int(need[q, i])))
                allocation[g, q, i] += take
                need[q, i] -= take
                left -= take
            if left:
                allocation[g, skills[0], i] += left
                need[skills[0], i] -= left
    return allocation


def shift_cost(problem: Problem, cand: Candidate) -> float:
    """Points a shift costs whoever works it: labour, unsocial hours, preferences."""
    weights = problem.scenario.policy.weights
    return (
        weights.labour_cost * cand.cost
        + weights.unsocial_hours * cand.unsocial_minutes / 60
        + cand.preference_penalty
    )


def place_breaks(problem: Problem, cand: Candidate, value: np.ndarray) -> tuple[int, ...]:
    """Each break where it costs the least coverage value, without overlapping another."""
    taken: set[int] = set()
    placed: list[int] = []
    for shape_id in cand.breaks:
        shape = problem.break_shapes[shape_id]
        options = range(cand.start + shape.earliest, cand.start + shape.latest + 1)
        best_start, best_loss = options[0], math.inf
        for start in options:
            span = range(start, start + shape.length)
            if taken.intersection(span):
                continue
            loss = float(value[start : start + shape.length].sum())
            if loss < best_loss:
                best_start, best_loss = start, loss
        placed.append(best_start)
        taken.update(range(best_start, best_start + shape.length))
    return tuple(placed)


def _fits(
    problem: Problem, plan: AgentPlan, accepted: dict[int, Candidate], cand: Candidate
) -> bool:
    """Whether adding ``cand`` keeps the agent's shifts within every hard rule."""
    contract = plan.contract
    rest = math.ceil(contract.min_rest_hours * 60 / problem.slot)
    for other in accepted.values():
        first, second = (other, cand) if other.start < cand.start else (cand, other)
        if second.start < first.end + rest:
            return False
    days = set(accepted) | {cand.day}
    week = problem.week_of(cand.day)
    in_week = [c for c in [*accepted.values(), cand] if problem.week_of(c.day) == week]
    if sum(c.paid_minutes for c in in_week) > contract.max_hours_per_week * 60:
        return False
    if len(in_week) > 7 - contract.min_days_off_per_week:
        return False
    if (
        contract.max_unsocial_shifts_per_week is not None
        and sum(c.unsocial for c in in_week) > contract.max_unsocial_shifts_per_week
    ):
        return False
    weekend_cap = contract.max_weekend_days
    if weekend_cap is not None and sum(c.weekend for c in [*accepted.values(), cand]) > weekend_cap:
        return False
    run = 1
    day = cand.day - 1
    while day in days:
        run, day = run + 1, day - 1
    day = cand.day + 1
    while day in days:
        run, day = run + 1, day + 1
    return run <= contract.max_consecutive_days
