"""A fast first roster: each agent, in turn, takes the legal shifts that cover the most unmet
demand (weighted by queue priority) net of their cost, then, in weeks short of the contract's
minimum hours, the shifts whose shortfall saved outweighs that net cost; breaks go where demand
is lowest.

The first agents choose against the whole forecast, so they take shifts later agents would
have covered more cheaply. Further passes re-plan each interval-queue agent against what all
the others cover (a best response with the same scoring), as long as the roster's objective
falls. Multi-skill agents' time goes to the queues they chose it for; with no demand left, to
a live queue rather than deferred work (done early, email counts as surplus until it arrives).

It is the hint for CP-SAT and the starting point of LNS, so a roster exists within a second even
for large teams. It keeps every upper-limit rule by construction (``fits``); rules that set a
minimum (shortest runs, totals) are left to :mod:`scheduler.solve.repair`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from scheduler.model.evaluate import objective_parts
from scheduler.model.extract import empty_allocation
from scheduler.model.problem import AgentPlan, Candidate, Problem
from scheduler.model.rules.weekly_hours import weekly_min_targets
from scheduler.model.solution import Solution

IntArray = npt.NDArray[np.int64]

#: Passes over the agents at most: the first, then re-plans while the objective falls.
PASSES = 4


def greedy_solution(problem: Problem, *, passes: int = PASSES) -> Solution:
    """The greedy roster after at most ``passes`` passes (the best one by objective)."""
    roster = _GreedyRoster(problem)
    order = sorted(
        problem.agents, key=lambda p: (len(p.agent.skills), sum(len(v) for v in p.by_day.values()))
    )
    for plan in order:
        roster.take(plan)
    best = roster.solution()
    best_value = objective_parts(problem, best).total
    # agents on shift types alone score nothing against the others: their re-plans repeat
    replanned = [plan for plan in order if problem.groups[plan.group]]
    for _ in range(passes - 1 if replanned else 0):
        for plan in replanned:
            roster.release(plan)
            roster.take(plan)
        candidate = roster.solution()
        value = objective_parts(problem, candidate).total
        if value >= best_value:
            break
        best, best_value = candidate, value
    return best


@dataclass
class _GreedyRoster:
    """Shifts taken so far and the demand they leave, in agent-slots per queue and interval."""

    problem: Problem
    shifts: dict[tuple[int, int], int] = field(default_factory=dict)
    breaks: dict[int, tuple[int, ...]] = field(default_factory=dict)
    #: per agent, the (queues, intervals) of each agent-slot worked: what :meth:`release` gives back
    covered: dict[int, list[tuple[IntArray, IntArray]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problem = self.problem
        # agent-slots each queue still needs per interval, as the objective counts them
        self.residual = problem.required_units.astype(np.float64)
        self.priority = np.array([q.priority for q in problem.queues], dtype=np.float64)
        self.deferred = np.array([q.deferred for q in problem.queues], dtype=bool)
        weights = problem.scenario.policy.weights
        self.under_per_slot = weights.under_staffing * problem.slot / 60
        self.min_per_slot = weights.min_hours_shortfall * problem.slot / 60
        self.horizon_days = problem.scenario.horizon.days
        self.min_targets: dict[int, dict[int, int]] = {}

    def _per_slot(self, skills: list[int]) -> npt.NDArray[np.float64]:
        """Worth of one agent-slot per skill and slot: the share of it the interval still needs."""
        spi = self.problem.slots_per_interval
        return np.repeat(np.clip(self.residual[skills] / spi, 0, 1), spi, axis=1)

    def _claim(self, skills: list[int], intervals: IntArray) -> npt.NDArray[np.float64]:
        """How strongly each skill claims the agent's time in each interval worked: unmet
        demand by priority; with none left, a live queue (its surplus is counted once) before
        deferred work (done early, it counts as surplus until it arrives)."""
        left = self.residual[skills][:, intervals]
        surplus = np.where(self.deferred[skills], -2.0, -1.0)[:, None]
        return np.where(left > 0, left * self.priority[skills, None], surplus)

    def take(self, plan: AgentPlan) -> None:
        """Give the agent the shifts worth most against the demand left, within every rule."""
        problem = self.problem
        skills = list(problem.groups[plan.group])
        if skills:
            wanted = self._per_slot(skills) * self.priority[skills, None]
            best = wanted.max(axis=0)
        else:  # works shift types only: no interval demand to chase
            best = np.zeros(problem.n_slots)
        prefix = np.concatenate(([0.0], np.cumsum(best)))
        scored: list[tuple[float, int]] = []
        for options in plan.by_day.values():
            for index in options:
                cand = problem.candidates[index]
                gain = (prefix[cand.end] - prefix[cand.start]) * self.under_per_slot
                scored.append((gain - shift_cost(problem, cand), index))
        scored.sort(key=lambda item: (-item[0], item[1]))
        accepted: dict[int, Candidate] = {}
        self.covered.setdefault(plan.index, [])
        for net, index in scored:
            cand = problem.candidates[index]
            if net <= 0:
                break
            if cand.day not in accepted and fits(problem, plan, accepted, cand):
                self._accept(plan, cand, skills, best, accepted)
        # then, while a week is short of the contract's minimum, the shifts whose shortfall
        # saved outweighs what they cost beyond the coverage they bring
        short = self._weekly_shortfall(plan, accepted)
        for net, index in scored:
            cand = problem.candidates[index]
            week = problem.week_of(cand.day)
            if net > 0 or short.get(week, 0) <= 0 or not 0 <= cand.day < self.horizon_days:
                continue
            paid = cand.paid_minutes // problem.slot
            if net + self.min_per_slot * min(paid, short[week]) <= 0:
                continue
            if cand.day not in accepted and fits(problem, plan, accepted, cand):
                self._accept(plan, cand, skills, best, accepted)
                short[week] -= paid

    def _accept(
        self,
        plan: AgentPlan,
        cand: Candidate,
        skills: list[int],
        best: npt.NDArray[np.float64],
        accepted: dict[int, Candidate],
    ) -> None:
        """Add ``cand`` to the agent's shifts, its breaks where they cost least, and take the
        demand its working slots cover off the residual."""
        problem = self.problem
        accepted[cand.day] = cand
        self.shifts[(plan.index, cand.day)] = cand.index
        placed = place_breaks(problem, cand, best)
        self.breaks[cand.index] = placed
        if not skills:
            return
        working = np.ones(cand.end - cand.start, dtype=bool)
        for shape_id, start in zip(cand.breaks, placed, strict=True):
            length = problem.break_shapes[shape_id].length
            working[start - cand.start : start - cand.start + length] = False
        slots = np.arange(cand.start, cand.end)[working]
        intervals = slots // problem.slots_per_interval
        queues = np.asarray(skills)[np.argmax(self._claim(skills, intervals), axis=0)]
        np.subtract.at(self.residual, (queues, intervals), 1)
        self.covered[plan.index].append((queues, intervals))

    def _weekly_shortfall(self, plan: AgentPlan, accepted: dict[int, Candidate]) -> dict[int, int]:
        """Paid slots each week still lacks to reach the agent's weekly minimum."""
        if plan.index not in self.min_targets:
            self.min_targets[plan.index] = weekly_min_targets(self.problem, plan)
        short = dict(self.min_targets[plan.index])
        for day, cand in accepted.items():
            week = self.problem.week_of(day)
            if week in short and 0 <= day < self.horizon_days:
                short[week] -= cand.paid_minutes // self.problem.slot
        return short

    def release(self, plan: AgentPlan) -> None:
        """Take the agent's shifts back out, and the demand they covered back in."""
        for queues, intervals in self.covered.pop(plan.index, []):
            np.add.at(self.residual, (queues, intervals), 1)
        for day in plan.by_day:
            index = self.shifts.pop((plan.index, day), None)
            if index is not None:
                self.breaks.pop(index, None)

    def solution(self) -> Solution:
        """The roster so far, multi-skill time allocated to the queues the agents chose."""
        problem = self.problem
        allocation = empty_allocation(problem)
        for agent, worked in self.covered.items():
            group = problem.agents[agent].group
            if len(problem.groups[group]) > 1:
                for queues, intervals in worked:
                    np.add.at(allocation[group], (queues, intervals), 1)
        return Solution(shifts=dict(self.shifts), breaks=dict(self.breaks), allocation=allocation)


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


def fits(
    problem: Problem, plan: AgentPlan, accepted: dict[int, Candidate], cand: Candidate
) -> bool:
    """Whether adding ``cand`` keeps the agent's shifts within every upper-limit rule: rest,
    weekly hours, days and unsocial shifts, weekend days, consecutive days. Rules that set a
    minimum, or count shift types or horizon totals, are not checked here."""
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
