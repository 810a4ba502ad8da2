"""Combining LNS results on disjoint agents: shifts and breaks per agent, allocation by change."""

from __future__ import annotations

import numpy as np

from scheduler.model.solution import Solution
from scheduler.solve.merge import merge_disjoint


def _solution(shifts: dict[tuple[int, int], int], breaks: dict[int, tuple[int, ...]], alloc: list[int]) -> Solution:
    # one multi-skill group, two queues, one interval
    return Solution(shifts=shifts, breaks=breaks, allocation=np.array([[[a] for a in alloc]]))


def test_each_result_keeps_its_own_agents_and_allocation_changes_add_up() -> None:
    base = _solution({(0, 0): 1, (1, 0): 5}, {1: (4,), 5: (8,)}, [3, 1])
    first = _solution({(0, 0): 2, (1, 0): 5}, {2: (5,), 5: (8,)}, [4, 1])  # agent 0 re-planned
    second = _solution({(0, 0): 1, (1, 0): 6}, {1: (4,), 6: (7,)}, [3, 2])  # agent 1 re-planned

    merged = merge_disjoint(base, first, second, {1})

    assert merged is not None
    assert merged.shifts == {(0, 0): 2, (1, 0): 6}
    assert merged.breaks == {2: (5,), 6: (7,)}
    assert merged.allocation[0, :, 0].tolist() == [4, 2]


def test_both_moving_the_same_time_cannot_be_combined() -> None:
    base = _solution({(0, 0): 1, (1, 0): 5}, {}, [1, 1])
    first = _solution({(0, 0): 1, (1, 0): 5}, {}, [0, 2])  # queue 0's agent-slot moved to queue 1
    second = _solution({(0, 0): 1, (1, 0): 5}, {}, [0, 2])  # the same agent-slot, moved again

    assert merge_disjoint(base, first, second, {1}) is None


def test_a_break_one_result_moved_is_not_put_back_by_the_other() -> None:
    # agent 0 keeps shift 1 but the first result moves its break (its queue time moves with it);
    # the second result re-planned agent 1 only and still holds the base's break for shift 1
    base = _solution({(0, 0): 1, (1, 0): 5}, {1: (4,), 5: (8,)}, [3, 1])
    first = _solution({(0, 0): 1, (1, 0): 5}, {1: (6,), 5: (8,)}, [2, 2])
    second = _solution({(0, 0): 1, (1, 0): 6}, {1: (4,), 6: (7,)}, [3, 2])

    merged = merge_disjoint(base, first, second, {1})

    assert merged is not None
    assert merged.breaks == {1: (6,), 6: (7,)}
