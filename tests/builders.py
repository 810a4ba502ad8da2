"""``make_<thing>(**overrides)`` builders with sensible defaults for solver tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from scheduler.domain import Agent, BreakRule, Contract, DemandRow, Horizon, Queue, Scenario

MEAL = BreakRule(name="meal", minutes=30, earliest_start_offset=180, latest_end_offset=300, min_shift_minutes=360)


def make_contract(**overrides: Any) -> Contract:
    values: dict[str, Any] = {
        "id": "ft",
        "shift_lengths_minutes": [480],
        "start_granularity_minutes": 60,
        "max_hours_per_week": 40,
        "min_rest_hours": 11,
        "max_consecutive_days": 5,
        "min_days_off_per_week": 2,
    }
    values.update(overrides)
    return Contract(**values)


def make_agent(agent_id: str = "a1", **overrides: Any) -> Agent:
    values: dict[str, Any] = {
        "id": agent_id,
        "timezone": "Europe/Copenhagen",
        "skills": ["en"],
        "contract": "ft",
        "cost_per_hour": 20,
    }
    values.update(overrides)
    return Agent(**values)


def flat_demand(horizon: Horizon, queue: str, required: float | list[float]) -> list[DemandRow]:
    """Headcount demand; ``required`` per interval, or one value for all."""
    values = required if isinstance(required, list) else [required] * horizon.interval_count
    return [
        DemandRow(queue=queue, interval_start=horizon.interval_start(i), required=values[i])
        for i in range(horizon.interval_count)
    ]


def make_scenario(**overrides: Any) -> Scenario:
    horizon = overrides.pop("horizon", Horizon(start=date(2026, 3, 23), days=2, interval_minutes=60))
    queues = overrides.pop("queues", [Queue(id="en", language="en", channel="phone")])
    demand = overrides.pop("demand", None)
    if demand is None:
        demand = [row for q in queues for row in flat_demand(horizon, q.id, 1)]
    values: dict[str, Any] = {
        "name": "test",
        "horizon": horizon,
        "queues": queues,
        "contracts": [make_contract()],
        "agents": [make_agent()],
        "demand": demand,
    }
    values.update(overrides)
    return Scenario(**values)


def unserved_language_scenario(horizon: Horizon) -> Scenario:
    """Danish demand of one agent around the clock, and nobody who speaks Danish: every hour of
    it short, whatever the roster (the default agent speaks English, with no English demand)."""
    queues = [
        Queue(id="en", language="en", channel="phone"),
        Queue(id="da", language="da", channel="phone"),
    ]
    demand = flat_demand(horizon, "en", 0) + flat_demand(horizon, "da", 1)
    return make_scenario(horizon=horizon, queues=queues, demand=demand)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
