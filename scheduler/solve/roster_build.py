"""Turn a candidate-form solution into the roster contract: per-agent shifts, breaks and queue
allocation (disaggregated from the group totals the model decides), coverage and KPIs."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from scheduler.model.problem import Problem
from scheduler.model.solution import Solution
from scheduler.roster import BreakSpan, QueueSpan, ShiftOut
from scheduler.timeutil import to_local


def working_slots(problem: Problem, solution: Solution, index: int) -> list[int]:
    """Slots of shift ``index`` the agent works (the shift minus its breaks)."""
    cand = problem.candidates[index]
    on_break: set[int] = set()
    for shape_id, start in zip(cand.breaks, solution.breaks.get(index, ()), strict=False):
        on_break.update(range(start, start + problem.break_shapes[shape_id].length))
    return [t for t in range(cand.start, cand.end) if t not in on_break]


def slot_queues(problem: Problem, solution: Solution) -> dict[int, dict[int, int]]:
    """``{candidate: {slot: queue}}``: who works which queue when, honouring group allocations.

    Within a group and interval, agents are taken in a fixed order and fill each queue's share in
    turn, so an agent mostly stays on one queue for a whole interval.
    """
    spi = problem.slots_per_interval
    cells: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    result: dict[int, dict[int, int]] = {}
    for index in sorted(solution.shifts.values(), key=lambda c: (problem.candidates[c].agent, c)):
        group = problem.agents[problem.candidates[index].agent].group
        result[index] = {}
        for t in working_slots(problem, solution, index):
            cells[(group, t // spi)].append((index, t))
    for (group, interval), pairs in cells.items():
        skills = problem.groups[group]
        if not skills:  # shift-type work only: no queue allocation
            continue
        if len(skills) == 1:
            quotas = [(skills[0], len(pairs))]
        else:
            quotas = [(q, int(solution.allocation[group, q, interval])) for q in skills]
        cursor = 0
        for queue, amount in quotas:
            for index, t in pairs[cursor : cursor + amount]:
                result[index][t] = queue
            cursor += amount
        for index, t in pairs[cursor:]:  # allocation short of working time: keep the first skill
            result[index][t] = skills[0]
    return result


def build_shifts(problem: Problem, solution: Solution) -> list[ShiftOut]:
    """The roster's shifts in (agent, start) order."""
    horizon = problem.scenario.horizon
    assignment = slot_queues(problem, solution)
    shifts: list[ShiftOut] = []

    def at(slot: int) -> datetime:
        return horizon.start_utc + timedelta(minutes=slot * problem.slot)

    for index in sorted(
        solution.shifts.values(),
        key=lambda c: (problem.candidates[c].agent, problem.candidates[c].start),
    ):
        cand = problem.candidates[index]
        plan = problem.agents[cand.agent]
        tz = plan.agent.timezone
        spans: list[QueueSpan] = []
        run_queue, run_start, previous = -1, -1, -2
        for t, queue in sorted(assignment[index].items()):
            if queue != run_queue or t != previous + 1:
                if run_queue >= 0:
                    spans.append(
                        QueueSpan(
                            queue=problem.queues[run_queue].id,
                            start=at(run_start),
                            end=at(previous + 1),
                        )
                    )
                run_queue, run_start = queue, t
            previous = t
        if run_queue >= 0:
            spans.append(
                QueueSpan(
                    queue=problem.queues[run_queue].id, start=at(run_start), end=at(previous + 1)
                )
            )
        breaks = [
            BreakSpan(
                name=problem.break_shapes[shape_id].name,
                start=at(start),
                end=at(start + problem.break_shapes[shape_id].length),
            )
            for shape_id, start in sorted(
                zip(cand.breaks, solution.breaks.get(index, ()), strict=False), key=lambda p: p[1]
            )
        ]
        start, end = at(cand.start), at(cand.end)
        local_start = to_local(start, tz)
        shifts.append(
            ShiftOut(
                agent_id=plan.agent.id,
                start=start,
                end=end,
                local_start=local_start,
                local_end=to_local(end, tz),
                timezone=tz,
                site=plan.agent.site,
                local_date=local_start.date().isoformat(),
                paid_hours=cand.paid_minutes / 60,
                shift_type=None
                if cand.shift_type is None
                else problem.scenario.shift_types[cand.shift_type].id,
                allocation=spans,
                breaks=breaks,
            )
        )
    return shifts
