"""Combine two LNS results that re-planned disjoint sets of agents into one roster.

Every hard rule is per agent (rest, hours, runs, days off, requests), so shifts of disjoint agent
sets combine freely; breaks belong to shifts, and each shift's come from the result that
re-planned its agent. Only the multi-skill allocation is shared: both
results changed it relative to the same base, and because each keeps ``Σ_queues allocation =
working time`` for every group and interval, adding the second's change to the first keeps it
for the combination. The sum may give a queue negative time where both moved the same group's
time in the same interval; then the two cannot be combined.
"""

from __future__ import annotations

from collections.abc import Set

from scheduler.model.solution import Solution


def merge_disjoint(
    base: Solution, first: Solution, second: Solution, second_agents: Set[int]
) -> Solution | None:
    """``first`` with ``second``'s changes to ``second_agents`` (whom ``first`` left as in
    ``base``); None when the allocations conflict."""
    allocation = first.allocation + (second.allocation - base.allocation)
    if (allocation < 0).any():
        return None
    shifts = {key: c for key, c in first.shifts.items() if key[0] not in second_agents}
    theirs = {c for key, c in second.shifts.items() if key[0] in second_agents}
    shifts.update({key: c for key, c in second.shifts.items() if key[0] in second_agents})
    # each shift's breaks from the result that planned its agent: ``second`` still holds the
    # base's breaks of a shift ``first`` kept but whose break it moved
    mine = set(shifts.values()) - theirs
    breaks = {c: b for c, b in first.breaks.items() if c in mine}
    breaks.update({c: b for c, b in second.breaks.items() if c in theirs})
    return Solution(shifts=shifts, breaks=breaks, allocation=allocation)
