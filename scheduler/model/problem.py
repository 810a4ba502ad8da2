"""Compile a scenario into integer data the model builders share.

Time becomes integer *slots* (the coarsest grid every interval, shift start, length and break
fits on), each agent's possible shifts become a list of :class:`Candidate` s — availability, time
off and start windows are applied here, so a roster can only ever pick legal shifts — and
requirements become integer *agent-slots* per queue and interval.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import reduce

import numpy as np
import numpy.typing as npt

from scheduler.domain import Agent, BreakRule, Contract, Queue, Scenario
from scheduler.model.local_clock import LocalClock, local_clock
from scheduler.model.requirements import required_agents
from scheduler.timeutil import zone

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class BreakShape:
    """A break rule in slots: ``length`` long, starting between ``earliest`` and ``latest``
    slots after the shift start (inclusive)."""

    name: str
    length: int
    earliest: int
    latest: int
    paid: bool


#: The earliest local day a candidate may belong to: a shift of the local day before the
#: horizon can reach into it.
FIRST_DAY = -1


@dataclass(frozen=True)
class Candidate:
    """One legal shift for one agent: slots ``[start, end)`` from the horizon start (UTC)."""

    index: int
    agent: int
    day: int
    start: int
    end: int
    minutes: int
    paid_minutes: int
    unsocial_minutes: int
    unsocial: bool
    weekend: bool
    local_start_minute: int
    cost: float
    preference_penalty: int
    breaks: tuple[int, ...]
    shift_type: int | None = None


@dataclass
class AgentPlan:
    """An agent with everything compiled about them: contract, skill group, clock, candidates."""

    index: int
    agent: Agent
    contract: Contract
    group: int
    clock: LocalClock
    by_day: dict[int, list[int]] = field(default_factory=dict)

    @property
    def days(self) -> list[int]:
        return sorted(self.by_day)


@dataclass
class Problem:
    """Integer view of a scenario shared by the model, heuristics, validator and reports."""

    scenario: Scenario
    slot: int
    n_slots: int
    slots_per_interval: int
    queues: list[Queue]
    agents: list[AgentPlan]
    candidates: list[Candidate]
    groups: list[tuple[int, ...]]
    group_agents: list[list[int]]
    break_shapes: list[BreakShape]
    required: FloatArray
    required_units: IntArray
    by_type_day: dict[tuple[int, int], list[int]] = field(default_factory=dict)

    @property
    def n_intervals(self) -> int:
        return self.scenario.horizon.interval_count

    @property
    def queue_index(self) -> dict[str, int]:
        return {q.id: i for i, q in enumerate(self.queues)}

    def week_of(self, day: int) -> int:
        """7-day blocks of local dates counted from the horizon start date."""
        return day // 7

    def hours(self, units: float) -> float:
        """Agent-slots to agent-hours."""
        return units * self.slot / 60


def compile_problem(scenario: Scenario) -> Problem:
    """Compile ``scenario``; raises nothing a validated scenario can trigger."""
    horizon = scenario.horizon
    slot = _slot_minutes(scenario)
    n_slots = horizon.minutes // slot
    queues = list(scenario.queues)
    queue_index = {q.id: i for i, q in enumerate(queues)}
    contracts = {c.id: c for c in scenario.contracts}

    shapes: list[BreakShape] = []
    shape_index: dict[ShapeKey, int] = {}
    for contract in scenario.contracts:
        for rule in contract.breaks:
            key = _shape_key(rule, slot)
            if key not in shape_index:
                shape_index[key] = len(shapes)
                shapes.append(BreakShape(*key))

    group_keys: dict[tuple[int, ...], int] = {}
    plans: list[AgentPlan] = []
    clocks: dict[str, LocalClock] = {}
    for position, agent in enumerate(scenario.agents):
        skills = tuple(sorted(queue_index[s] for s in agent.skills))
        group = group_keys.setdefault(skills, len(group_keys))
        clock = clocks.get(agent.timezone)
        if clock is None:
            clock = clocks[agent.timezone] = local_clock(horizon, agent.timezone, slot)
        plans.append(AgentPlan(position, agent, contracts[agent.contract], group, clock))

    candidates: list[Candidate] = []
    for plan in plans:
        _add_candidates(scenario, plan, slot, n_slots, shape_index, candidates)
    candidates_by_type_day: dict[tuple[int, int], list[int]] = {}
    for cand in candidates:
        if cand.shift_type is not None:
            candidates_by_type_day.setdefault((cand.shift_type, cand.day), []).append(cand.index)

    groups = sorted(group_keys, key=lambda k: group_keys[k])
    group_agents: list[list[int]] = [[] for _ in groups]
    for plan in plans:
        group_agents[plan.group].append(plan.index)

    slots_per_interval = horizon.interval_minutes // slot
    required = required_agents(scenario)
    required_units = np.ceil(np.round(required * slots_per_interval, 6)).astype(np.int64)
    return Problem(
        scenario=scenario,
        slot=slot,
        n_slots=n_slots,
        slots_per_interval=slots_per_interval,
        queues=queues,
        agents=plans,
        candidates=candidates,
        groups=groups,
        group_agents=group_agents,
        break_shapes=shapes,
        required=required,
        required_units=required_units,
        by_type_day=candidates_by_type_day,
    )


def _slot_minutes(scenario: Scenario) -> int:
    """The coarsest grid every time quantity of the scenario lies on."""
    values: list[int] = [scenario.horizon.interval_minutes]
    for shift_type in scenario.shift_types:
        values += [shift_type.start, shift_type.minutes]
    if scenario.shift_types:  # templates sit on local wall times: the zones' offsets matter
        horizon = scenario.horizon
        for name in {agent.timezone for agent in scenario.agents}:
            for moment in (horizon.start_utc, horizon.end_utc):
                offset = moment.astimezone(zone(name)).utcoffset()
                values.append(abs(int(offset.total_seconds() // 60)) if offset else 0)
    for contract in scenario.contracts:
        values.append(contract.start_granularity_minutes)
        values += contract.shift_lengths_minutes
        for rule in contract.breaks:
            values += [rule.minutes, rule.earliest_start_offset, rule.latest_end_offset]
    return reduce(math.gcd, [v for v in values if v > 0])


ShapeKey = tuple[str, int, int, int, bool]


def _shape_key(rule: BreakRule, slot: int) -> ShapeKey:
    """A break rule in slots; contracts with the same rule share one break pool."""
    latest_start = rule.latest_end_offset - rule.minutes
    return (
        rule.name,
        rule.minutes // slot,
        rule.earliest_start_offset // slot,
        latest_start // slot,
        rule.paid,
    )


def _availability_mask(plan: AgentPlan, start_date: date, n_slots: int) -> BoolArray:
    """True for slots the agent may work: inside a weekly window and not on a local day off."""
    clock, agent = plan.clock, plan.agent
    day, minute, weekday = clock.day[:n_slots], clock.minute[:n_slots], clock.weekday[:n_slots]
    if agent.availability:
        mask = np.zeros(n_slots, dtype=np.bool_)
        for window in agent.availability:
            mask |= (weekday == window.weekday) & (minute >= window.start) & (minute < window.end)
    else:
        mask = np.ones(n_slots, dtype=np.bool_)
    off_days = [
        (local_day - start_date).days
        for local_day in _local_dates(day, start_date)
        if agent.is_off(local_day)
    ]
    if off_days:
        mask &= ~np.isin(day, np.asarray(off_days, dtype=np.int64))
    return mask


def _local_dates(day: IntArray, start_date: date) -> list[date]:
    return [start_date + timedelta(days=int(d)) for d in range(int(day.min()), int(day.max()) + 1)]


def _add_candidates(
    scenario: Scenario,
    plan: AgentPlan,
    slot: int,
    n_slots: int,
    shape_index: dict[ShapeKey, int],
    out: list[Candidate],
) -> None:
    """Append every legal shift of ``plan``'s agent to ``out`` and index them by local day."""
    contract, clock, policy = plan.contract, plan.clock, scenario.policy
    weights = policy.weights
    available = _availability_mask(plan, scenario.horizon.start, n_slots)
    blocked_prefix = np.concatenate(([0], np.cumsum(~available)))
    minute = clock.minute[:n_slots]
    unsocial = np.array([policy.is_unsocial(int(m)) for m in range(1440)], dtype=np.int64)[minute]
    unsocial_prefix = np.concatenate(([0], np.cumsum(unsocial)))
    prefs = plan.agent.preferences
    weekend_days = set(policy.weekend_days)

    for start, length, type_index in _shift_starts(scenario, plan, slot, n_slots):
        local_minute = int(clock.minute[start])
        day, weekday = int(clock.day[start]), int(clock.weekday[start])
        end = start + length // slot
        if end > n_slots or blocked_prefix[end] - blocked_prefix[start]:
            continue
        preference = 0
        if prefs.start_window and not (
            prefs.start_window.earliest <= local_minute <= prefs.start_window.latest
        ):
            preference += prefs.start_window.weight
        if prefs.days_off and weekday in prefs.days_off.weekdays:
            preference += prefs.days_off.weight
        rules = contract.breaks_for(length)
        unpaid = sum(rule.minutes for rule in rules if not rule.paid)
        unsocial_minutes = int(unsocial_prefix[end] - unsocial_prefix[start]) * slot
        candidate = Candidate(
            index=len(out),
            agent=plan.index,
            day=day,
            start=start,
            end=end,
            minutes=length,
            paid_minutes=length - unpaid,
            unsocial_minutes=unsocial_minutes,
            unsocial=unsocial_minutes >= min(policy.unsocial_shift_minutes, length),
            weekend=weekday in weekend_days,
            local_start_minute=local_minute,
            cost=plan.agent.cost_per_hour * (length - unpaid) / 60,
            preference_penalty=preference * weights.preferences,
            breaks=tuple(shape_index[_shape_key(rule, slot)] for rule in rules),
            shift_type=type_index,
        )
        out.append(candidate)
        plan.by_day.setdefault(day, []).append(candidate.index)


def _shift_starts(
    scenario: Scenario, plan: AgentPlan, slot: int, n_slots: int
) -> Iterator[tuple[int, int, int | None]]:
    """(start slot, length, shift type) of every shift the contract allows, before availability.

    Free-form contracts start on their UTC grid within the local start window; shift-type
    contracts start each template at its local wall time on every local date of the horizon,
    skipping a wall time that a spring-forward night did not have.
    """
    contract, clock = plan.contract, plan.clock
    if contract.shift_types is None:
        step = contract.start_granularity_minutes // slot
        for start in range(0, n_slots, step):
            if contract.earliest_start <= int(clock.minute[start]) <= contract.latest_start:
                for length in contract.shift_lengths_minutes:
                    yield start, length, None
        return
    types = {t.id: k for k, t in enumerate(scenario.shift_types)}
    allowed = [
        types[type_id]
        for type_id in contract.shift_types
        if contract.max_shifts_per_type.get(type_id, 1) > 0
    ]
    position: dict[tuple[int, int], int] = {}
    for t, (d, m) in enumerate(zip(clock.day, clock.minute, strict=True)):
        position.setdefault((int(d), int(m)), t)  # a repeated (fall-back) wall time: the first
    for day in range(scenario.horizon.days):
        for type_index in allowed:
            template = scenario.shift_types[type_index]
            begins = position.get((day, template.start))
            if begins is not None and begins < n_slots:
                yield begins, template.minutes, type_index
