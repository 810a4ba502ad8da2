"""The rules that count over the horizon or a week, as a usage per candidate shift and bounds:
what the path search prices rather than builds into its states."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from scheduler.model.problem import AgentPlan, FloatArray, Problem


@dataclass(frozen=True)
class Limit:
    """One counted rule: ``usage`` per candidate (in the agent's candidate order), its bounds."""

    usage: FloatArray
    low: float | None
    high: float | None

    @cached_property
    def typical(self) -> float:
        """:func:`typical_use` of ``usage``, kept: a price search asks for it every pass."""
        return typical_use(self.usage)


@dataclass(frozen=True)
class AgentShifts:
    """An agent's candidate shifts, in day order, as arrays."""

    start: np.ndarray
    end: np.ndarray
    kind: np.ndarray  # shift type (one past the last for shifts without one)
    day: np.ndarray
    paid_minutes: FloatArray
    weekend: FloatArray
    unsocial: FloatArray

    @classmethod
    def of(cls, problem: Problem, flat: list[int]) -> AgentShifts:
        cands = [problem.candidates[i] for i in flat]
        untyped = len(problem.scenario.shift_types)
        return cls(
            start=np.array([c.start for c in cands], dtype=np.int64),
            end=np.array([c.end for c in cands], dtype=np.int64),
            kind=np.array(
                [untyped if c.shift_type is None else c.shift_type for c in cands], dtype=np.int64
            ),
            day=np.array([c.day for c in cands], dtype=np.int64),
            paid_minutes=np.array([c.paid_minutes for c in cands], dtype=float),
            weekend=np.array([c.weekend for c in cands], dtype=float),
            unsocial=np.array([c.unsocial for c in cands], dtype=float),
        )


def counted_limits(problem: Problem, plan: AgentPlan, shifts: AgentShifts) -> list[Limit]:
    """The counted rules of the agent's contract, as usage per candidate and bounds."""
    contract = plan.contract
    limits: list[Limit] = []
    if contract.min_total_minutes or contract.max_total_minutes is not None:
        limits.append(
            Limit(shifts.paid_minutes, contract.min_total_minutes, contract.max_total_minutes)
        )
    for type_index, shift_type in enumerate(problem.scenario.shift_types):
        cap = contract.max_shifts_per_type.get(shift_type.id)
        if cap is not None:
            usage = (shifts.kind == type_index).astype(float)
            if usage.sum() > cap:
                limits.append(Limit(usage, None, cap))
    if contract.max_weekend_days is not None and shifts.weekend.sum() > contract.max_weekend_days:
        limits.append(Limit(shifts.weekend, None, contract.max_weekend_days))
    weeks = np.array([problem.week_of(int(day)) for day in shifts.day], dtype=np.int64)
    slot_cap = int(contract.max_hours_per_week * 60 // problem.slot)
    paid_slots = shifts.paid_minutes // problem.slot
    worked = np.ones(len(weeks))
    for week in np.unique(weeks):
        inside = weeks == week
        for usage, cap in (
            (paid_slots, slot_cap),
            (worked, 7 - contract.min_days_off_per_week),
            (shifts.unsocial, contract.max_unsocial_shifts_per_week),
        ):
            if cap is None:
                continue
            weekly = np.where(inside, usage, 0.0)
            if most_in_week(weekly, shifts.day) > cap:
                limits.append(Limit(weekly, None, cap))
    return limits


def most_in_week(usage: FloatArray, days: np.ndarray) -> float:
    """The most a usage can reach with one shift a day (so rows with slack are skipped)."""
    starts = np.flatnonzero(np.diff(days, prepend=-1))  # candidates are in day order
    return float(np.maximum.reduceat(usage, starts).sum())


def within(limit: Limit, value: float) -> bool:
    return (limit.high is None or value <= limit.high) and (limit.low is None or value >= limit.low)


def pressure(limit: Limit, value: float) -> float:
    """Which way the limit's price should move: up above the high bound, down below the low
    one; a one-sided limit also eases off while it has slack (so a price never stays high for
    nothing), a two-sided one holds still inside its range."""
    if limit.high is not None and value > limit.high:
        return value - limit.high
    if limit.low is not None and value < limit.low:
        return value - limit.low
    if limit.low is None and limit.high is not None:
        return value - limit.high
    if limit.high is None and limit.low is not None:
        return value - limit.low
    return 0.0


def typical_use(usage: FloatArray) -> float:
    used = usage[usage > 0]
    return float(used.mean()) if used.size else 1.0


def weekends_worked(chosen: dict[int, int], blocks: list[int | None]) -> int:
    return len({blocks[day] for day in chosen if blocks[day] is not None})
