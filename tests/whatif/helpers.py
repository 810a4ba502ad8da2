"""A small team for what-if tests: one queue needing two agents 08:00–16:00 UTC, one agent."""

from __future__ import annotations

from datetime import date
from typing import Any

from scheduler.domain import DemandRow, Horizon, Queue, Scenario
from scheduler.solve.params import SolveParams
from scheduler.whatif import SourcedOverlay, parse_overlay
from tests.builders import make_agent, make_contract, make_scenario

HORIZON = Horizon(start=date(2026, 3, 23), days=2, interval_minutes=60)
FAST = SolveParams(time_limit=20, deterministic_time=5, workers=1, seed=0)


def day_demand(required: float = 2) -> list[DemandRow]:
    return [
        DemandRow(queue="en", interval_start=moment, required=required if 8 <= moment.hour < 16 else 0)
        for moment in (HORIZON.interval_start(i) for i in range(HORIZON.interval_count))
    ]


def small_team(**overrides: Any) -> Scenario:
    values: dict[str, Any] = {
        "horizon": HORIZON,
        "queues": [Queue(id="en", language="en", channel="phone")],
        "contracts": [make_contract(min_days_off_per_week=0, min_hours_per_week=16)],
        "agents": [make_agent("a1", site="Copenhagen"), make_agent("a2", site="Athens", timezone="Europe/Athens")],
        "demand": day_demand(),
    }
    values.update(overrides)
    return make_scenario(**values)


def overlay(data: dict[str, Any], source: str = "test.yaml") -> SourcedOverlay:
    return parse_overlay(data, source)
