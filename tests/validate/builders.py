"""Builders for tiny scenarios and hand-written rosters: the validator is tested without a solver.

Defaults describe one UTC agent on one phone queue over the week from Monday 2026-03-23, with
hourly intervals, 8-hour shifts on the hour, and nothing required; override what a test is about.
Shifts are built with :mod:`zoneinfo` directly, not with the code under test.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.domain import (
    Agent,
    BreakRule,
    Contract,
    DemandRow,
    Horizon,
    ObjectiveWeights,
    Policy,
    Queue,
    Scenario,
)
from scheduler.roster import BreakSpan, CoverageRow, QueueSpan, Roster, ShiftOut, SolveStatus

MONDAY = date(2026, 3, 23)

#: A 30-minute unpaid lunch for shifts of 6 h or more, between hours 3 and 5 of the shift.
LUNCH = BreakRule(
    name="lunch",
    minutes=30,
    earliest_start_offset=180,
    latest_end_offset=300,
    min_shift_minutes=360,
)

Required = float | Callable[[str, int], float]


def utc(text: str) -> datetime:
    """``"2026-03-23 08:00"`` as a UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def local(text: str, tz: str) -> datetime:
    """A wall-clock time in ``tz`` (the earlier one when the clock repeats) as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


def make_contract(**overrides: Any) -> Contract:
    fields: dict[str, Any] = {
        "id": "full",
        "min_hours_per_week": 0,
        "max_hours_per_week": 40,
        "shift_lengths_minutes": [480],
        "start_granularity_minutes": 60,
        "max_consecutive_days": 6,
        "min_rest_hours": 11,
        "min_days_off_per_week": 1,
    }
    return Contract.model_validate(fields | overrides)


def make_queue(**overrides: Any) -> Queue:
    fields: dict[str, Any] = {"id": "phone", "language": "en", "channel": "phone"}
    return Queue.model_validate(fields | overrides)


def make_agent(**overrides: Any) -> Agent:
    fields: dict[str, Any] = {
        "id": "a1",
        "timezone": "UTC",
        "skills": ["phone"],
        "contract": "full",
    }
    return Agent.model_validate(fields | overrides)


def quiet_weights(**overrides: int) -> ObjectiveWeights:
    """All weights zero except those given, so one objective term can be checked alone."""
    fields = dict.fromkeys(ObjectiveWeights.model_fields, 0)
    return ObjectiveWeights.model_validate(fields | overrides)


def make_scenario(*, required: Required = 0.0, **overrides: Any) -> Scenario:
    """A scenario from defaults and Scenario-field ``overrides``; demand rows (headcount mode) are
    generated for every queue and interval from ``required`` unless ``demand`` is given."""
    fields: dict[str, Any] = {
        "name": "validator-test",
        "horizon": Horizon(start=MONDAY, days=7, interval_minutes=60),
        "queues": [make_queue()],
        "contracts": [make_contract()],
        "agents": [make_agent()],
        "policy": Policy(),
    } | overrides
    if "demand" not in fields:
        horizon: Horizon = fields["horizon"]
        fields["demand"] = [
            DemandRow(
                queue=queue.id,
                interval_start=horizon.interval_start(i),
                required=required(queue.id, i) if callable(required) else required,
            )
            for queue in fields["queues"]
            for i in range(horizon.interval_count)
        ]
    return Scenario(**fields)


def _agent_and_contract(scenario: Scenario, agent_id: str) -> tuple[Agent, Contract]:
    agent = next(a for a in scenario.agents if a.id == agent_id)
    contract = next(c for c in scenario.contracts if c.id == agent.contract)
    return agent, contract


def make_shift(
    scenario: Scenario,
    start: datetime,
    minutes: int | None = None,
    *,
    agent_id: str = "a1",
    queue: str | None = None,
    breaks: Sequence[tuple[str, int, int]] | None = None,
    allocation: Sequence[tuple[str, int, int]] | None = None,
    end: datetime | None = None,
    shift_type: str | None = None,
) -> ShiftOut:
    """A shift of ``minutes`` elapsed (default: the contract's first length) from ``start``.

    ``breaks`` are ``(name, offset, minutes)`` (default: each applicable contract break at its
    earliest offset); ``allocation`` is ``(queue, from_offset, to_offset)`` (default: all working
    time on ``queue`` or the agent's first skill; nothing for an agent without skills). ``end``
    overrides the computed end; ``shift_type`` is the template the shift claims to be.
    """
    agent, contract = _agent_and_contract(scenario, agent_id)
    length = minutes if minutes is not None else contract.shift_lengths_minutes[0]
    start = start.astimezone(UTC)
    finish = end if end is not None else start + timedelta(minutes=length)
    if breaks is None:
        breaks = [
            (rule.name, rule.earliest_start_offset, rule.minutes)
            for rule in contract.breaks_for(length)
        ]

    def at(offset: int) -> datetime:
        return start + timedelta(minutes=offset)

    break_spans = [BreakSpan(name=n, start=at(o), end=at(o + m)) for n, o, m in breaks]
    if allocation is None:
        elapsed = int((finish - start) / timedelta(minutes=1))
        target = queue or (agent.skills[0] if agent.skills else None)
        allocation = [] if target is None else _around_breaks(target, elapsed, breaks)
    spans = [QueueSpan(queue=q, start=at(a), end=at(b)) for q, a, b in allocation]
    paid_rules = {rule.name for rule in contract.breaks if rule.paid}
    unpaid = sum(m for n, _, m in breaks if n not in paid_rules)
    tz = ZoneInfo(agent.timezone)
    return ShiftOut(
        agent_id=agent.id,
        start=start,
        end=finish,
        local_start=start.astimezone(tz),
        local_end=finish.astimezone(tz),
        timezone=agent.timezone,
        site=agent.site,
        local_date=start.astimezone(tz).date().isoformat(),
        paid_hours=((finish - start) / timedelta(minutes=1) - unpaid) / 60,
        shift_type=shift_type,
        allocation=spans,
        breaks=break_spans,
    )


def make_typed_shift(
    scenario: Scenario, type_id: str, local_date: str, *, agent_id: str = "a1", **overrides: Any
) -> ShiftOut:
    """The shift of template ``type_id`` on ``local_date`` (``"2026-03-24"``) in the agent's zone,
    starting at the earlier of a repeated wall time; ``overrides`` go to :func:`make_shift`."""
    template = next(t for t in scenario.shift_types if t.id == type_id)
    agent, _ = _agent_and_contract(scenario, agent_id)
    hours, minutes = divmod(template.start, 60)
    start = local(f"{local_date} {hours:02d}:{minutes:02d}", agent.timezone)
    length = overrides.pop("minutes", template.minutes)
    fields: dict[str, Any] = {"agent_id": agent_id, "shift_type": type_id} | overrides
    return make_shift(scenario, start, length, **fields)


def _around_breaks(
    queue: str, length: int, breaks: Sequence[tuple[str, int, int]]
) -> list[tuple[str, int, int]]:
    """All of ``[0, length)`` outside the breaks, on one queue."""
    spans: list[tuple[str, int, int]] = []
    cursor = 0
    for _, offset, minutes in sorted(breaks, key=lambda b: b[1]):
        if offset > cursor:
            spans.append((queue, cursor, offset))
        cursor = max(cursor, offset + minutes)
    if cursor < length:
        spans.append((queue, cursor, length))
    return spans


def make_roster(shifts: Sequence[ShiftOut], coverage: Sequence[CoverageRow] = ()) -> Roster:
    return Roster(
        status=SolveStatus.FEASIBLE,
        objective=None,
        best_bound=None,
        scenario="validator-test",
        shifts=list(shifts),
        coverage=list(coverage),
    )
