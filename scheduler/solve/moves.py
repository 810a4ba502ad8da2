"""Agent-day moves scored by their exact change to the objective: the quick descent from the
greedy roster on interval-queue teams, before LNS or CP-SAT.

Greedy scores a shift by the unmet demand it covers when the agent's turn comes, so a shift
that covers half an hour nobody else has yet is taken whole, and the agents who come later
cover the rest: its rosters are over-staffed and dear (200 agents × 14 days: 6,470 points of
over-staffing, where 300 s of LNS end at 570). LNS finds the shorter, later or cheaper shifts,
but a step costs a second of model building and presolve. Here every agent-day in turn is
re-planned alone — another of that day's candidates, or a day off — by the exact change each
makes to under- and over-staffing (deferred queues through their backlog), labour, unsocial
hours, preferences and the weekly minimum, every other shift kept; the best change is taken
when it lowers the objective. Then the agent's shift that day is offered to the agents who
are off then, for the swap a one-day re-plan cannot make (dropping the shift alone leaves a
gap, adding another agent's alone over-staffs): every overlapping candidate of theirs is
ranked by a vectorised estimate and the best three scored exactly. Multi-skill time goes,
interval by interval, to the queue where it is worth most, and breaks where they cost least.
Fairness is not in the score: each sweep is kept only if the whole objective fell.

Moving a shift to another of the agent's days off (for a full week, where no day can be added first)
was tried as a further phase once these sweeps gain little, scored exactly the same way, and left
out (a scratch patch, not kept): paired runs of ``sunshift bench --queues 5`` (2 workers, 0413df1 →
with it, team seed / limit) gave 315,328 → 314,534 points (0 / 20 s), 328,075 both (1 / 20 s: the
sweeps never got that far), 313,248 → 313,419 (0 / 60 s), 326,918 → 326,693 (1 / 60 s), and at 500 ×
28 1,625,352 → 1,623,228 (1 / 120 s): within the runs' own spread.

Only agents whose every hard rule greedy's ``fits`` checks take part (no minimum runs, totals,
hard weekly minimums, type caps or weekend caps), and only on teams without shift types or
shift requests, whose terms the score leaves out.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scheduler.model.context import SCALE
from scheduler.model.evaluate import objective_parts, queue_coverage
from scheduler.model.problem import FIRST_DAY, AgentPlan, Candidate, Problem
from scheduler.model.rules.shift_costs import candidate_points
from scheduler.model.rules.weekly_hours import weekly_min_targets
from scheduler.model.solution import Solution
from scheduler.solve.cpsat import StopToken
from scheduler.solve.greedy import fits, place_breaks

#: Sweeps over every agent-day at most; a sweep that gains less than this share of the
#: objective is the last.
MAX_SWEEPS = 12
MIN_SWEEP_GAIN = 1e-3
#: Options per agent-day scored exactly, the best by their estimate.
EXACTLY_SCORED = 3
#: Changes smaller than this (points) are not moves: float noise.
EPSILON = 1e-6
#: Agent-days re-planned between rosters taken mid-sweep: each is scored in full (fairness
#: too), kept when best and reported, so a solve stopped mid-sweep and the progress seen by then
#: hold its gains (500 agents × 28 days: a sweep of 14k agent-days takes ~20 s). Counted in
#: agent-days, not seconds, so the kept roster does not depend on the machine's speed.
CHECKPOINT_DAYS = 2_000


@dataclass(frozen=True)
class MoveSearch:
    """The roster after the moves and how many of them there were."""

    solution: Solution
    objective: float
    moves: int
    sweeps: int


def improve_by_moves(
    problem: Problem,
    solution: Solution,
    *,
    seed: int = 0,
    deadline: float | None = None,
    stop: StopToken | None = None,
    on_better: Callable[[Solution, float], None] | None = None,
    gaps_first: bool = False,
) -> MoveSearch:
    """Re-plan agent-days one at a time while the objective falls (see the module docstring);
    the roster keeps every hard rule ``solution`` kept. ``solution.objective``, when set, is
    taken as its objective; ``on_better`` hears of each better roster and its objective, at the
    end of a sweep or every :data:`CHECKPOINT_DAYS` agent-days within one. ``gaps_first``:
    before the sweeps, re-plan the agent-days that could cover a live queue's shortfall (a
    roster from LNS may leave one that a full sweep of a large team would take long to reach)."""
    best: float = (
        solution.objective
        if solution.objective is not None
        else objective_parts(problem, solution).total
    )
    movable = [plan for plan in problem.agents if _movable(problem, plan)]
    if not movable or problem.scenario.shift_types or problem.scenario.shift_demand:
        return MoveSearch(solution, best, 0, 0)
    rng = random.Random(seed)
    days = [(plan, day) for plan in movable for day in sorted(plan.by_day)]
    ledger = _Ledger(problem, solution, movable)
    kept = solution
    moves = sweeps = visited = 0

    def checkpoint() -> None:
        """Keep (and report) the roster as it stands if it is the best so far; fairness, which
        the moves' scores leave out, may have eaten their gain."""
        nonlocal kept, best
        current = ledger.solution()
        value = objective_parts(problem, current).total
        if value < best - EPSILON:
            kept, best = current, value
            kept.objective = best
            if on_better is not None:
                on_better(kept, best)

    if gaps_first:
        for plan, day in ledger.near_gaps(days):
            if _over(deadline, stop):
                break
            moves += ledger.visit(plan, day)
        checkpoint()
    while sweeps < MAX_SWEEPS and not _over(deadline, stop):
        rng.shuffle(days)
        made, before = 0, best
        for plan, day in days:
            if _over(deadline, stop):
                break
            made += ledger.visit(plan, day)
            visited += 1
            if visited % CHECKPOINT_DAYS == 0:
                checkpoint()
        sweeps += 1
        moves += made
        checkpoint()
        if before - best < MIN_SWEEP_GAIN * abs(best) or made == 0:
            break  # too little gained (fairness may have eaten it): keep the best roster seen
    return MoveSearch(kept, best, moves, sweeps)


def _over(deadline: float | None, stop: StopToken | None) -> bool:
    return (deadline is not None and time.monotonic() >= deadline) or (
        stop is not None and stop.stopped
    )


def _movable(problem: Problem, plan: AgentPlan) -> bool:
    """Whether greedy's rule check covers every hard rule of the agent's contract."""
    contract = plan.contract
    return (
        bool(problem.groups[plan.group])
        and not plan.agent.shift_requests
        and not contract.min_hours_hard
        and not contract.min_consecutive_days
        and not contract.min_consecutive_days_off
        and contract.min_total_minutes is None
        and contract.max_total_minutes is None
        and contract.max_weekends is None
        and not contract.max_shifts_per_type
    )


@dataclass(frozen=True)
class _Takers:
    """The candidates of the agents moves may re-plan, as arrays: who could take a shift."""

    index: np.ndarray
    agent: np.ndarray
    day: np.ndarray
    group: np.ndarray
    start: np.ndarray
    end: np.ndarray
    paid: np.ndarray
    own: np.ndarray
    slot: np.ndarray  # column of the candidate's day in ``_Ledger.occupied``
    week_row: np.ndarray  # row of (agent, week) in ``_Ledger.short``; −1 outside the horizon

    @classmethod
    def of(cls, problem: Problem, plans: list[AgentPlan], own: np.ndarray) -> _Takers:
        cands = [
            problem.candidates[i]
            for plan in plans
            for options in plan.by_day.values()
            for i in options
        ]

        def column(values: list[int]) -> np.ndarray:
            return np.array(values, dtype=np.int64)

        return cls(
            index=column([c.index for c in cands]),
            agent=column([c.agent for c in cands]),
            day=column([c.day for c in cands]),
            group=column([problem.agents[c.agent].group for c in cands]),
            start=column([c.start for c in cands]),
            end=column([c.end for c in cands]),
            paid=column([c.paid_minutes // problem.slot for c in cands]),
            own=own[column([c.index for c in cands])],
            slot=column([c.day - FIRST_DAY for c in cands]),
            week_row=column([_week_row(problem, c.agent, c.day) for c in cands]),
        )


def _week_row(problem: Problem, agent: int, day: int) -> int:
    """Row of the agent's week in a flat (agent, week) array; −1 for days outside the horizon."""
    days = problem.scenario.horizon.days
    if not 0 <= day < days:
        return -1
    return agent * _weeks(problem) + problem.week_of(day)


def _weeks(problem: Problem) -> int:
    return problem.week_of(problem.scenario.horizon.days - 1) + 1


class _Ledger:
    """The roster being improved, with what scoring a move needs kept up to date: coverage per
    queue and interval, multi-skill allocation, paid slots per agent-week."""

    def __init__(
        self, problem: Problem, solution: Solution, movable: list[AgentPlan] | None = None
    ) -> None:
        self.problem = problem
        weights = problem.scenario.policy.weights
        per_slot = problem.slot / 60
        self.spi = problem.slots_per_interval
        self.need = problem.required_units.astype(np.int64)
        self.cover = queue_coverage(problem, solution)
        self.allocation = solution.allocation.copy()
        self.shifts = dict(solution.shifts)
        self.breaks = dict(solution.breaks)
        self.under = np.array(
            [weights.under_staffing * q.priority * per_slot for q in problem.queues]
        )
        self.over = weights.over_staffing * per_slot
        self.deferred = [q for q, queue in enumerate(problem.queues) if queue.deferred]
        interval = problem.scenario.horizon.interval_minutes
        self.window = {
            q: int(problem.queues[q].response_window_hours * 60 // interval) for q in self.deferred
        }
        self.arrived = {q: np.cumsum(self.need[q]) for q in self.deferred}
        self.min_per_slot = weights.min_hours_shortfall * per_slot
        self.targets = {plan.index: weekly_min_targets(problem, plan) for plan in problem.agents}
        self.paid: dict[tuple[int, int], int] = {}
        for (agent, day), index in self.shifts.items():
            if 0 <= day < problem.scenario.horizon.days:
                key = (agent, problem.week_of(day))
                self.paid[key] = self.paid.get(key, 0) + self._paid(index)
        self.by_agent: dict[int, dict[int, int]] = {}
        days = problem.scenario.horizon.days
        # who works which day (the day before the horizon and the day after included), and
        # each agent-week's shortfall from its minimum in paid slots
        self.occupied = np.zeros((len(problem.agents), days + 2 - FIRST_DAY), dtype=bool)
        for (agent, day), index in self.shifts.items():
            self.by_agent.setdefault(agent, {})[day] = index
            self.occupied[agent, day - FIRST_DAY] = True
        self.short = np.zeros(len(problem.agents) * _weeks(problem))
        for agent, targets in self.targets.items():
            for week, target in targets.items():
                paid = self.paid.get((agent, week), 0)
                self.short[agent * _weeks(problem) + week] = max(0, target - paid)
        # each candidate's own cost in points: labour, unsocial hours, preferences
        self.own = np.array([candidate_points(problem, c) for c in problem.candidates]) / SCALE
        self.takers = _Takers.of(problem, movable if movable is not None else [], self.own)

    def near_gaps(self, days: list[tuple[AgentPlan, int]]) -> list[tuple[AgentPlan, int]]:
        """The agent-days of ``days`` with a candidate over an interval where one of the
        agent's live queues is short."""
        problem, spi = self.problem, self.spi
        short = np.zeros(self.need.shape, dtype=bool)
        live = [q for q in range(len(problem.queues)) if q not in self.window]
        short[live] = self.need[live] > self.cover[live]
        # per skill group: how many of the first k intervals have a short queue of the group's
        counted = [
            np.concatenate(([0], np.cumsum(short[list(skills)].any(axis=0))))
            for skills in problem.groups
        ]
        near = []
        for plan, day in days:
            options = [problem.candidates[i] for i in plan.by_day[day]]
            first = max(0, min(c.start for c in options) // spi)
            counts = counted[plan.group]
            last = min(len(counts) - 1, (max(c.end for c in options) - 1) // spi + 1)
            if first < last and counts[last] > counts[first]:
                near.append((plan, day))
        return near

    # -- one agent-day -------------------------------------------------------------------

    def visit(self, plan: AgentPlan, day: int) -> int:
        """Re-plan the agent-day, then offer its shift to others; how many of the two moved."""
        return int(self.replan(plan, day) < 0) + int(self.hand_over(plan, day) < 0)

    def replan(self, plan: AgentPlan, day: int) -> float:
        """Give the agent's ``day`` its best option (a candidate or a day off); the change in
        the objective without fairness (0 when the day is kept)."""
        problem = self.problem
        mine = self.by_agent.setdefault(plan.index, {})
        current = mine.get(day)
        skills = list(problem.groups[plan.group])
        others = {d: problem.candidates[i] for d, i in mine.items() if d != day}
        undo: list[tuple[int, int, int]] = []
        # the day emptied first: every option is scored against the others alone
        base, paid_now = 0.0, 0
        if current is not None:
            base = self._take_out(plan, current, skills, undo) - self._own(current)
            paid_now = self._paid(current)
        options: list[tuple[float, int | None]] = [(0.0, current)]
        if current is not None:
            options.append((base + self._minimum_change(plan, day, -paid_now), None))
        fitting = [
            problem.candidates[index]
            for index in plan.by_day[day]
            if index != current and fits(problem, plan, others, problem.candidates[index])
        ]
        scored: dict[int, tuple[tuple[int, ...], list[tuple[int, int, int]]]] = {}
        if fitting:
            # rank by the best one-unit change of each slot worked (breaks and the backlog's
            # interactions aside), then place and score the best few exactly
            first = min(c.start for c in fitting) // self.spi
            last = max(c.end - 1 for c in fitting) // self.spi + 1
            gains = np.stack([self._marginal(q, first, last, +1) for q in skills])
            per_slot = np.concatenate(([0.0], np.cumsum(np.repeat(gains.min(axis=0), self.spi))))
            offset = first * self.spi
            ranked = []
            for cand in fitting:
                estimate = per_slot[cand.end - offset] - per_slot[cand.start - offset]
                fixed = self._own(cand.index) + self._minimum_change(
                    plan, day, self._paid(cand.index) - paid_now
                )
                ranked.append((estimate + fixed, fixed, cand.index))
            ranked.sort()
            for _, fixed, index in ranked[:EXACTLY_SCORED]:
                breaks, units = self._place(problem.candidates[index], skills, gains, first)
                scored[index] = (breaks, units)
                options.append((base + fixed + self._change(units, +1), index))
        delta, chosen = min(options, key=lambda option: option[0])
        if chosen == current or delta > -EPSILON:
            self._restore(undo)
            return 0.0
        if current is not None:
            self._drop(plan, day, current)
        if chosen is not None:
            self._put_in(plan, day, chosen, *scored[chosen])
        return delta

    def hand_over(self, plan: AgentPlan, day: int) -> float:
        """Give the agent's shift on ``day`` up to another agent who is off then and works a
        shift over the same hours for less (the swap one-day re-plans cannot make: dropping
        the shift alone leaves a gap, and adding the other alone over-staffs); the change in
        the objective without fairness (0 when nothing changed)."""
        problem, takers = self.problem, self.takers
        current = self.by_agent.get(plan.index, {}).get(day)
        if current is None or not len(takers.index):
            return 0.0
        shift = problem.candidates[current]
        skills = list(problem.groups[plan.group])
        undo: list[tuple[int, int, int]] = []
        base = self._take_out(plan, current, skills, undo) - self._own(current)
        base += self._minimum_change(plan, day, -self._paid(current))
        overlapping = np.flatnonzero(
            (takers.start < shift.end) & (takers.end > shift.start) & (takers.agent != plan.index)
        )
        picks = overlapping[~self.occupied[takers.agent[overlapping], takers.slot[overlapping]]]
        best_delta, best = 0.0, None
        if len(picks):
            estimate = self._estimates(picks)
            for n in np.argsort(estimate, kind="stable")[:EXACTLY_SCORED]:
                if estimate[n] + base >= 0:
                    break
                k = picks[n]
                option = self._take_over(int(takers.index[k]))
                if option is not None and base + option[0] < best_delta - EPSILON:
                    best_delta, best = base + option[0], option
        if best is None:
            self._restore(undo)
            return 0.0
        self._drop(plan, day, current)
        _, taker, index, breaks, units = best
        self._put_in(taker, problem.candidates[index].day, index, breaks, units)
        return best_delta

    def _estimates(self, picks: np.ndarray) -> np.ndarray:
        """Rough change in points of each taker candidate ``picks`` working: its own cost,
        the weekly minimum it fills and, per slot, the best one-unit change among its
        group's queues (breaks ignored)."""
        problem, takers, spi = self.problem, self.takers, self.spi
        lo = int(takers.start[picks].min()) // spi
        hi = int(takers.end[picks].max() - 1) // spi + 1
        groups, row = np.unique(takers.group[picks], return_inverse=True)
        queues = {q for g in groups for q in problem.groups[int(g)]}  # groups share queues
        marginal = {q: self._marginal(q, lo, hi, +1) for q in sorted(queues)}
        # per group of a pick: the cumulative best one-unit change over the slots
        best = np.stack(
            [np.min([marginal[q] for q in problem.groups[int(g)]], axis=0) for g in groups]
        )
        per_slot = np.zeros((len(groups), (hi - lo) * spi + 1))
        per_slot[:, 1:] = np.cumsum(np.repeat(best, spi, axis=1), axis=1)
        offset = lo * spi
        row = row.reshape(-1)
        estimate: np.ndarray = takers.own[picks].copy()
        estimate += per_slot[row, takers.end[picks] - offset]
        estimate -= per_slot[row, takers.start[picks] - offset]
        rows = takers.week_row[picks]
        inside = rows >= 0
        filled = np.minimum(takers.paid[picks][inside], self.short[rows[inside]])
        estimate[inside] -= self.min_per_slot * filled
        return estimate

    def _take_over(
        self, index: int
    ) -> tuple[float, AgentPlan, int, tuple[int, ...], list[tuple[int, int, int]]] | None:
        """(change in points, agent, candidate, breaks, units) of the candidate's agent
        working it on their free day, or None when a rule forbids it."""
        problem = self.problem
        cand = problem.candidates[index]
        plan = problem.agents[cand.agent]
        others = {d: problem.candidates[i] for d, i in self.by_agent.get(plan.index, {}).items()}
        if not fits(problem, plan, others, cand):
            return None
        skills = list(problem.groups[plan.group])
        first, last = cand.start // self.spi, (cand.end - 1) // self.spi + 1
        gains = np.stack([self._marginal(q, first, last, +1) for q in skills])
        breaks, units = self._place(cand, skills, gains, first)
        change = self._change(units, +1) + self._own(index)
        change += self._minimum_change(plan, cand.day, self._paid(index))
        return change, plan, index, breaks, units

    def solution(self) -> Solution:
        return Solution(dict(self.shifts), dict(self.breaks), self.allocation.copy())

    # -- scoring ---------------------------------------------------------------------------

    def _place(
        self, cand: Candidate, skills: list[int], gains: np.ndarray, first: int
    ) -> tuple[tuple[int, ...], list[tuple[int, int, int]]]:
        """(breaks, units) of adding ``cand``, from ``gains`` (each skill's one-unit change per
        interval from ``first``): breaks where they cost least, each interval's time to the
        queue where it is worth most; ``units`` lists (queue, interval, agent-slots)."""
        spi = self.spi
        lo, hi = cand.start // spi, (cand.end - 1) // spi + 1
        own = gains[:, lo - first : hi - first]
        value = np.zeros(self.problem.n_slots + 1)
        value[cand.start : cand.end] = -np.repeat(own.min(axis=0), spi)[
            cand.start - lo * spi : cand.end - lo * spi
        ]
        breaks = place_breaks(self.problem, cand, value)
        counts = self._working(cand, breaks, lo, hi)
        choice = own.argmin(axis=0)
        units = [(skills[choice[k]], lo + int(k), int(counts[k])) for k in np.flatnonzero(counts)]
        return breaks, units

    def _working(
        self, cand: Candidate, breaks: tuple[int, ...], first: int, last: int
    ) -> np.ndarray:
        """Agent-slots the shift works per interval ``first..last - 1``, breaks taken out."""
        working = np.zeros((last - first) * self.spi, dtype=np.int64)
        offset = first * self.spi
        working[cand.start - offset : cand.end - offset] = 1
        for shape_id, start in zip(cand.breaks, breaks, strict=True):
            length = self.problem.break_shapes[shape_id].length
            working[start - offset : start - offset + length] = 0
        counts: np.ndarray = working.reshape(-1, self.spi).sum(axis=1)
        return counts

    def _marginal(self, q: int, first: int, last: int, sign: int) -> np.ndarray:
        """Change in points of one agent-slot more (``sign`` +1) or less (−1) on queue ``q``
        in each interval ``first..last - 1``, alone."""
        if q in self.window:
            return self._backlog_marginal(q, first, last, sign)
        return self._marginal_at(q, slice(first, last), sign)

    def _marginal_at(self, q: int, at: slice | np.ndarray, sign: int) -> np.ndarray:
        """:meth:`_marginal` of a live queue at intervals ``at``: the deficit moves by one, so
        under-staffing's segment weight at the deficit it leaves (or reaches), or one
        agent-slot of over-staffing."""
        deficit = self.need[q, at] - self.cover[q, at]
        spi = self.spi
        if sign > 0:
            segment = np.where(deficit <= spi, 1, np.where(deficit <= 2 * spi, 2, 4))
            change: np.ndarray = np.where(deficit > 0, -self.under[q] * segment, self.over)
        else:
            segment = np.where(deficit < spi, 1, np.where(deficit < 2 * spi, 2, 4))
            change = np.where(deficit >= 0, self.under[q] * segment, -self.over)
        return change

    def _live(self, q: int, need: np.ndarray, cover: np.ndarray) -> np.ndarray:
        """Points of a live queue's intervals at ``cover``: convex under-staffing, linear over."""
        spi = self.spi
        deficit = np.maximum(0, need - cover)
        first = np.minimum(deficit, spi)
        second = np.minimum(deficit - first, spi)
        rest = deficit - first - second
        shortfall = self.under[q] * (first + 2 * second + 4 * rest)
        points: np.ndarray = shortfall + self.over * np.maximum(0, cover - need)
        return points

    def _backlog(self, q: int, done: np.ndarray) -> float:
        """Points of a deferred queue whose work done per interval is ``done``."""
        arrived, finished = self.arrived[q], np.cumsum(done)
        window = self.window[q]
        late = (
            np.maximum(0, arrived[: len(arrived) - window] - finished[window:]).sum()
            if window < len(arrived)
            else 0
        )
        return float(self.under[q] * late + self.over * np.maximum(0, finished - arrived).sum())

    def _backlog_marginal(self, q: int, first: int, last: int, sign: int) -> np.ndarray:
        """One more (less) unit done at interval ``i`` moves every later cumulative count:
        it is late work less (more) where the backlog is late, surplus more (less) where it
        is ahead. Exact for one unit alone."""
        arrived, finished = self.arrived[q], np.cumsum(self.cover[q])
        window = self.window[q]
        n = len(arrived)
        ahead = (finished + sign - arrived > 0) if sign > 0 else (finished - arrived > 0)
        over_after = np.cumsum(ahead[::-1])[::-1]
        late_at = np.zeros(n)
        if window < n:
            late = arrived[: n - window] - finished[window:]
            hit = late >= 1 if sign > 0 else late >= 0
            late_at[window:] = hit
        late_after = np.cumsum(late_at[::-1])[::-1]
        change = sign * (self.over * over_after - self.under[q] * late_after)
        marginal: np.ndarray = change[first:last]
        return marginal

    def _change(self, units: list[tuple[int, int, int]], sign: int) -> float:
        """Exact change in staffing points of adding (``sign`` +1) or removing (−1) ``units``."""
        total = 0.0
        summed: dict[tuple[int, int], int] = {}
        for q, i, n in units:
            summed[(q, i)] = summed.get((q, i), 0) + n
        by_queue: dict[int, list[tuple[int, int]]] = {}
        for (q, i), n in summed.items():
            by_queue.setdefault(q, []).append((i, n))
        for q, cells in by_queue.items():
            if q in self.window:
                done = self.cover[q].copy()
                for i, n in cells:
                    done[i] += sign * n
                total += self._backlog(q, done) - self._backlog(q, self.cover[q])
                continue
            at = np.array([i for i, _ in cells])
            counts = np.array([n for _, n in cells])
            if (counts == 1).all():  # one unit a cell (always so when slots are intervals)
                total += float(self._marginal_at(q, at, sign).sum())
                continue
            need, cover = self.need[q, at], self.cover[q, at]
            step = counts * sign
            total += float((self._live(q, need, cover + step) - self._live(q, need, cover)).sum())
        return total

    def _minimum_change(self, plan: AgentPlan, day: int, paid_change: int) -> float:
        """Change in weekly-minimum shortfall points when the agent's paid slots that week
        change by ``paid_change``."""
        if not paid_change or not 0 <= day < self.problem.scenario.horizon.days:
            return 0.0
        week = self.problem.week_of(day)
        target = self.targets[plan.index].get(week)
        if target is None:
            return 0.0
        paid = self.paid.get((plan.index, week), 0)
        short = max(0, target - paid - paid_change) - max(0, target - paid)
        return self.min_per_slot * short

    def _own(self, index: int) -> float:
        return float(self.own[index])

    def _paid(self, index: int) -> int:
        return self.problem.candidates[index].paid_minutes // self.problem.slot

    # -- changing the roster ------------------------------------------------------------------

    def _take_out(
        self, plan: AgentPlan, index: int, skills: list[int], undo: list[tuple[int, int, int]]
    ) -> float:
        """Remove the shift's coverage (recorded in ``undo``); the change in staffing points.
        A multi-skill group gives up, in each interval, the queue whose loss costs least."""
        cand = self.problem.candidates[index]
        first, last = cand.start // self.spi, (cand.end - 1) // self.spi + 1
        counts = self._working(cand, self.breaks.get(index, ()), first, last)
        group = plan.group
        multi = len(skills) > 1
        losses = np.stack([self._marginal(q, first, last, -1) for q in skills]) if multi else None
        units: list[tuple[int, int, int]] = []
        for k in np.flatnonzero(counts):
            i = first + int(k)
            for _ in range(int(counts[k])):
                if losses is None:
                    q = skills[0]
                else:
                    held = [j for j, q in enumerate(skills) if self.allocation[group, q, i] > 0]
                    q = skills[min(held, key=lambda j: float(losses[j, k]))]
                    self.allocation[group, q, i] -= 1
                units.append((q, i, 1))
                undo.append((group, q, i))
        change = self._change(units, -1)
        for q, i, n in units:
            self.cover[q, i] -= n
        return change

    def _restore(self, undo: list[tuple[int, int, int]]) -> None:
        for group, q, i in undo:
            self.cover[q, i] += 1
            if len(self.problem.groups[group]) > 1:
                self.allocation[group, q, i] += 1

    def _drop(self, plan: AgentPlan, day: int, current: int) -> None:
        """Make ``day`` a day off (the shift's coverage is already out)."""
        del self.shifts[(plan.index, day)]
        del self.by_agent[plan.index][day]
        self.occupied[plan.index, day - FIRST_DAY] = False
        self.breaks.pop(current, None)
        self._count_paid(plan, day, -self._paid(current))

    def _put_in(
        self,
        plan: AgentPlan,
        day: int,
        index: int,
        breaks: tuple[int, ...],
        units: list[tuple[int, int, int]],
    ) -> None:
        """Give the agent's (empty) ``day`` the shift ``index`` covering ``units``."""
        self.shifts[(plan.index, day)] = index
        self.by_agent.setdefault(plan.index, {})[day] = index
        self.occupied[plan.index, day - FIRST_DAY] = True
        if self.problem.candidates[index].breaks:
            self.breaks[index] = breaks
        multi = len(self.problem.groups[plan.group]) > 1
        for q, i, n in units:
            self.cover[q, i] += n
            if multi:
                self.allocation[plan.group, q, i] += n
        self._count_paid(plan, day, self._paid(index))

    def _count_paid(self, plan: AgentPlan, day: int, change: int) -> None:
        if 0 <= day < self.problem.scenario.horizon.days:
            week = self.problem.week_of(day)
            key = (plan.index, week)
            paid = self.paid[key] = self.paid.get(key, 0) + change
            target = self.targets[plan.index].get(week)
            if target is not None:
                self.short[_week_row(self.problem, plan.index, day)] = max(0, target - paid)
