"""Read a solved model back into candidate form (shifts, matched breaks, allocation)."""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from scheduler.model.builder import BuiltModel
from scheduler.model.problem import Problem
from scheduler.model.solution import Solution


def empty_allocation(problem: Problem) -> np.ndarray:
    return np.zeros((len(problem.groups), len(problem.queues), problem.n_intervals), dtype=np.int64)


def extract_solution(built: BuiltModel, solver: cp_model.CpSolver) -> Solution:
    """The solver's roster; fixed agent-days and untouched intervals come from the incumbent."""
    ctx, problem = built.ctx, built.ctx.problem
    incumbent = ctx.incumbent
    shifts = ctx.vars.extract(solver)
    chosen = set(shifts.values())
    breaks = {c: b for c, b in (incumbent.breaks.items() if incumbent else []) if c in chosen}
    allocation = incumbent.allocation.copy() if incumbent else empty_allocation(problem)
    coverage = ctx.coverage
    if coverage is not None:
        for pool in coverage.pools:
            members = sorted(
                (cand for cand, var in pool.members if solver.boolean_value(var)),
                key=lambda c: (c.start, c.agent, c.index),
            )
            starts: list[int] = []
            previous = 0
            for t in range(pool.first, pool.last + 1):
                value = solver.value(pool.cumulative[t])
                starts += [t] * (value - previous)
                previous = value
            for cand, start in zip(members, starts, strict=True):
                position = cand.breaks.index(pool.shape)
                current = list(breaks.get(cand.index, (0,) * len(cand.breaks)))
                current[position] = start
                breaks[cand.index] = tuple(current)
        allocation[:, :, coverage.interval_lo : coverage.interval_hi] = 0
        for (g, q, i), var in coverage.alloc.items():
            allocation[g, q, i] = solver.value(var)
    return Solution(shifts=shifts, breaks=breaks, allocation=allocation)
