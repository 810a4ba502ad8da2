"""Domain errors name the element at fault and reach loaders as data, not just text.

Loaders rely on two things tested here: a Scenario's cross-reference problems travel as a
``ScenarioError`` inside pydantic's ``ValidationError`` (``err["ctx"]["error"]``), and every
model rule's message names the offending value, so it can be shown as is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from scheduler.domain import (
    Agent,
    AvailabilityWindow,
    Contract,
    DemandRow,
    Horizon,
    Policy,
    Problem,
    Queue,
    Scenario,
    ScenarioError,
)
from scheduler.io.errors import error_message, json_path, nested_scenario_errors


def scenario_data(**overrides: Any) -> dict[str, Any]:
    horizon = Horizon(start=date(2026, 3, 23), days=1, interval_minutes=60)
    data: dict[str, Any] = {
        "horizon": horizon,
        "queues": [Queue(id="en", language="en", channel="phone")],
        "contracts": [Contract(id="ft")],
        "agents": [Agent(id="a1", timezone="UTC", skills=["en"], contract="ft")],
        "demand": [
            DemandRow(queue="en", interval_start=horizon.interval_start(i), required=1)
            for i in range(horizon.interval_count)
        ],
    }
    data.update(overrides)
    return data


def test_problem_and_error_are_readable_and_are_value_errors() -> None:
    error = ScenarioError([Problem("agents[3].timezone", "unknown zone", "a17")], source="s.json")
    assert isinstance(error, ValueError)
    assert str(error) == "s.json: 1 problem in the scenario\n  - agents[3].timezone (a17): unknown zone"


def test_cross_reference_problems_arrive_wrapped_and_complete() -> None:
    agents = [
        Agent(id="a1", timezone="UTC", skills=["en", "fr"], contract="pt"),
        Agent(id="a1", timezone="UTC", skills=["en"], contract="ft"),
    ]
    with pytest.raises(ValidationError) as caught:
        Scenario.model_validate(scenario_data(agents=agents))
    [wrapped] = nested_scenario_errors(caught.value)
    assert caught.value.errors()[0]["ctx"]["error"] is wrapped
    assert wrapped.problems == [
        Problem("agents", "id 'a1' is defined 2 times", "a1"),
        Problem("agents[0].contract", "contract 'pt' is not defined", "a1"),
        Problem("agents[0].skills", "queue 'fr' is not defined", "a1"),
    ]


def test_demand_grid_problems() -> None:
    rows = scenario_data()["demand"]
    rows = [*rows[:-1], DemandRow(queue="en", interval_start=datetime(2026, 3, 23, 23, 30, tzinfo=UTC), required=1)]
    with pytest.raises(ValidationError) as caught:
        Scenario.model_validate(scenario_data(demand=rows))
    [wrapped] = nested_scenario_errors(caught.value)
    assert [(p.where, p.item) for p in wrapped.problems] == [
        ("demand[23].interval_start", "en"),
        ("demand", "en"),
    ]


@pytest.mark.parametrize(
    ("build", "fragments"),
    [
        (lambda: AvailabilityWindow(weekday=0, start=600, end=480), ["Mon window 10:00–08:00"]),
        (lambda: Contract(id="c", min_hours_per_week=50), ["contract 'c'", "min_hours_per_week 50"]),
        (lambda: Queue(id="q", language="en", channel="phone", concurrency=2),
         ["queue 'q'", "concurrency"]),
        (lambda: DemandRow(queue="q", interval_start=datetime(2026, 1, 1, tzinfo=UTC), volume=1),
         ["aht_seconds is missing"]),
        (lambda: Agent(id="a", timezone="Mars/Olympus", skills=["q"], contract="c"),
         ["'Mars/Olympus'"]),
    ],
)  # fmt: skip
def test_model_rule_messages_name_the_value(build: Any, fragments: list[str]) -> None:
    with pytest.raises(ValidationError) as caught:
        build()
    message = error_message(caught.value.errors()[0])
    assert not message.startswith("Value error")
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize(
    ("model", "data", "where"),
    [
        (DemandRow, {"queue": "q", "interval_start": "2026-03-23T05:00:00Z", "required": "inf"},
         "required"),
        (DemandRow, {"queue": "q", "interval_start": "2026-03-23T05:00:00Z", "volume": "nan",
                     "aht_seconds": 300}, "volume"),
        (Agent, {"id": "a", "timezone": "UTC", "contract": "c", "cost_per_hour": "Infinity"},
         "cost_per_hour"),
        (Policy, {"weekend_days": [5, 7]}, "weekend_days[1]"),
        (Policy, {"weekend_days": [6, 5, 6]}, "weekend_days"),
    ],
)  # fmt: skip
def test_non_finite_numbers_and_bad_weekend_days_are_rejected(
    model: type[BaseModel], data: dict[str, Any], where: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    [details] = caught.value.errors()
    assert json_path(details["loc"]) == where


def test_lookups_by_id_follow_a_copy_that_replaces_the_list() -> None:
    scenario = Scenario(**scenario_data())
    assert scenario.agent("a1").id == "a1"

    copy = scenario.model_copy(
        update={"agents": [Agent(id="b2", timezone="UTC", skills=["en"], contract="ft")]}
    )

    assert copy.agent("b2").id == "b2"
    assert scenario.agent("a1").id == "a1"
    with pytest.raises(KeyError):
        copy.agent("a1")


def test_constraint_messages_repeat_field_and_value() -> None:
    with pytest.raises(ValidationError) as caught:
        Queue.model_validate({"id": "q", "language": "en", "channel": "phone",
                              "service_target": {"service_level": 0, "answer_seconds": 20}})  # fmt: skip
    [details] = caught.value.errors()
    assert json_path(details["loc"]) == "service_target.service_level"
    assert error_message(details) == "service_level 0: input should be greater than 0"


def test_naive_datetime_message_says_how_to_fix_it() -> None:
    with pytest.raises(ValidationError) as caught:
        DemandRow.model_validate({"queue": "q", "interval_start": "2026-03-23T05:00:00", "required": 1})
    assert "no UTC offset; write it as ISO 8601 with Z or +HH:MM" in error_message(caught.value.errors()[0])
