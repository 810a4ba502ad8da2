"""The importer: an instance becomes a scenario whose objective is exactly the instance's penalty,
and ``sunshift import curtois`` writes it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scheduler.benchmarks.curtois import CurtoisInstance, parse_text
from scheduler.benchmarks.curtois_eval import evaluate
from scheduler.benchmarks.curtois_import import (
    assignments_from_roster,
    contract_id,
    to_scenario,
)
from scheduler.benchmarks.curtois_run import all_instances
from scheduler.cli.app import app
from scheduler.domain import Scenario
from scheduler.model.evaluate import objective_parts
from scheduler.model.extract import empty_allocation
from scheduler.model.problem import Problem, compile_problem
from scheduler.model.solution import Solution
from scheduler.roster import ShiftOut
from tests.benchmarks.curtois_builders import (
    DATA_DIR,
    TINY,
    curtois_instance,
    imported,
    load_fixture,
    roster_from_assignments,
    squash,
)

runner = CliRunner()


def solution_of(problem: Problem, assignments: dict[str, list[str]]) -> Solution:
    """The model's candidate-form solution for benchmark assignments."""
    types = {t.id: k for k, t in enumerate(problem.scenario.shift_types)}
    agents = {plan.agent.id: plan for plan in problem.agents}
    shifts: dict[tuple[int, int], int] = {}
    for employee, row in assignments.items():
        plan = agents[employee]
        for day, shift_id in enumerate(row):
            if shift_id:
                shifts[(plan.index, day)] = next(
                    index
                    for index in plan.by_day[day]
                    if problem.candidates[index].shift_type == types[shift_id]
                )
    return Solution(shifts=shifts, breaks={}, allocation=empty_allocation(problem))


def test_instance_8_becomes_a_scenario_with_every_rule_in_place() -> None:
    instance, scenario = imported("Instance8")
    assert scenario.name == "Instance8"
    assert scenario.horizon.start == date(2024, 1, 1) and scenario.horizon.start.weekday() == 0
    assert (scenario.horizon.days, scenario.horizon.interval_minutes) == (28, 60)
    assert scenario.queues == [] and scenario.demand == []
    assert [(t.id, t.start, t.minutes, t.cannot_follow) for t in scenario.shift_types] == [
        ("E", 0, 480, []),
        ("D", 0, 480, ["E"]),
        ("L", 0, 480, ["E", "D"]),
        ("N", 0, 480, ["E", "D", "L"]),
    ]
    # employee D and shift D: an agent and a shift type, each in its own list
    agent = scenario.agent("D")
    contract = scenario.contract(agent.contract)
    assert agent.contract == contract_id("D") == "staff-D"
    assert agent.timezone == "UTC" and agent.skills == []
    assert contract.max_shifts_per_type == {"E": 0, "D": 28, "L": 14, "N": 0}
    assert contract.shift_types == ["E", "D", "L", "N"]
    assert (contract.min_total_minutes, contract.max_total_minutes) == (8160, 8640)
    assert (contract.max_consecutive_days, contract.min_consecutive_days) == (5, 2)
    assert (contract.min_consecutive_days_off, contract.max_weekends) == (2, 2)
    assert (contract.min_rest_hours, contract.min_days_off_per_week) == (0, 0)
    assert contract.shift_lengths_minutes == [480]
    assert [(t.start, t.end) for t in agent.time_off] == [
        (date(2024, 1, 23), date(2024, 1, 23)),
        (date(2024, 1, 27), date(2024, 1, 27)),
    ]
    # consecutive days off fold into one entry
    assert [(t.start, t.end) for t in scenario.agent("A").time_off] == [
        (date(2024, 1, 2), date(2024, 1, 3))
    ]
    requests = [r for a in scenario.agents for r in a.shift_requests]
    assert len(requests) == len(instance.on_requests) + len(instance.off_requests)
    assert len(scenario.shift_demand) == len(instance.cover) == 28 * 4
    weights = scenario.policy.weights
    assert (
        weights.labour_cost,
        weights.unsocial_hours,
        weights.preferences,
        weights.fairness,
        weights.min_hours_shortfall,
    ) == (0, 0, 0, 0, 0)


def test_requests_keep_their_kind_day_and_weight() -> None:
    scenario = to_scenario(parse_tiny())
    requests = {
        a.id: [(r.date.day, r.shift_type, r.kind, r.weight) for r in a.shift_requests]
        for a in scenario.agents
    }
    assert requests == {"D": [(4, "L", "on", 2)], "E": [(5, "D", "on", 3), (6, "E", "off", 1)]}
    assert scenario.contract("staff-D").shift_lengths_minutes == [480, 600]


def parse_tiny() -> CurtoisInstance:
    return parse_text(TINY, name="tiny")


@pytest.mark.parametrize("name", all_instances())
def test_every_instance_imports_and_survives_a_json_round_trip(name: str) -> None:
    instance, scenario = imported(name)
    assert len(scenario.agents) == len(instance.staff)
    assert len(scenario.shift_types) == len(instance.shifts)
    assert Scenario.model_validate_json(scenario.model_dump_json()) == scenario


def test_the_model_scores_the_known_optimum_of_instance_1_at_607() -> None:
    """Importer round trip: the model's objective of a known roster is the instance's penalty."""
    instance, scenario = imported("Instance1")
    assignments = load_fixture("instance1-optimal-607.json")["assignments"]
    problem = compile_problem(scenario)
    parts = objective_parts(problem, solution_of(problem, assignments))
    assert parts.total == 607
    assert parts.shift_type_cover + parts.shift_requests == 607
    assert evaluate(instance, assignments).penalty == 607


def test_the_model_and_the_evaluator_agree_on_a_roster_that_breaks_requests() -> None:
    """Everyone off but D on every day of Instance 8's first week: cover and requests both count."""
    instance, scenario = imported("Instance8")
    assignments = {e: [""] * instance.days for e in instance.employee_ids}
    assignments["D"][:5] = ["D"] * 5
    problem = compile_problem(scenario)
    parts = objective_parts(problem, solution_of(problem, assignments))
    assert parts.total == evaluate(instance, assignments).penalty > 0


def test_a_roster_reads_back_as_the_assignments_it_was_made_from() -> None:
    instance = curtois_instance("Instance1")
    assignments = load_fixture("instance1-optimal-607.json")["assignments"]
    roster = roster_from_assignments(instance, assignments, objective=607)
    assert assignments_from_roster(instance, roster) == assignments


def test_a_roster_with_two_shifts_on_one_day_does_not_read_back() -> None:
    instance = curtois_instance("Instance1")
    assignments = load_fixture("instance1-optimal-607.json")["assignments"]
    roster = roster_from_assignments(instance, assignments, objective=607)
    first: ShiftOut = roster.shifts[0]
    doubled = roster.model_copy(update={"shifts": [first, *roster.shifts]})
    with pytest.raises(ValueError, match="a second shift that day"):
        assignments_from_roster(instance, doubled)


def test_import_cli_writes_the_scenario_json(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "instance8.json"
    source = DATA_DIR / "instances" / "Instance8.txt"
    result = runner.invoke(app, ["import", "curtois", str(source), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary == {
        "instance": "Instance8",
        "out": str(out),
        "days": 28,
        "agents": 30,
        "shift_types": 4,
        "shift_demand_rows": 112,
        "shift_requests": 225,
    }
    text = out.read_text(encoding="utf-8")
    assert text == to_scenario(curtois_instance("Instance8")).model_dump_json(indent=2)


def test_import_cli_names_the_line_of_a_malformed_file(tmp_path: Path) -> None:
    broken = tmp_path / "Broken.txt"
    broken.write_text(TINY.replace("D,480,E\n", "D,480\n"), encoding="utf-8")
    result = runner.invoke(
        app, ["import", "curtois", str(broken), "--out", str(tmp_path / "s.json")]
    )
    assert result.exit_code == 2
    assert "[curtois.invalid]" in result.stderr
    assert squash(f"{broken}:9: expected 3 fields") in squash(result.stderr)
    assert not (tmp_path / "s.json").exists()


def test_import_cli_refuses_an_instance_sunshift_cannot_hold(tmp_path: Path) -> None:
    """A 7-minute shift is valid Curtois but not a Sunshift contract length."""
    odd = tmp_path / "Odd.txt"
    odd.write_text(TINY.replace("E,480,\n", "E,7,\n"), encoding="utf-8")
    result = runner.invoke(app, ["import", "curtois", str(odd), "--out", str(tmp_path / "s.json")])
    assert result.exit_code == 2
    assert squash("Odd.txt: the instance does not fit a Sunshift scenario") in squash(result.stderr)
    assert squash("contract 'staff-D': shift length 7 min must be a multiple of 15") in squash(
        result.stderr
    )
