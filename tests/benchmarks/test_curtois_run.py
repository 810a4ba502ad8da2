"""The benchmark runner: checks every roster against the validator and the independent evaluator,
writes the solution-file contract, and solves Instance 1 to its optimum 607."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from scheduler.benchmarks import curtois_run
from scheduler.benchmarks.curtois import CurtoisFormatError
from scheduler.benchmarks.curtois_eval import evaluate
from scheduler.benchmarks.curtois_import import assignments_from_roster
from scheduler.benchmarks.curtois_run import (
    DATA_ENV,
    all_instances,
    default_data_dir,
    instance_name,
    load_best_known,
    run_curtois,
    run_instance,
)
from scheduler.domain import Scenario
from scheduler.roster import SolveStatus
from scheduler.solve.facade import SolveResult, solve
from scheduler.solve.params import SolveParams
from scheduler.validate import audit, validate_roster
from tests.benchmarks.curtois_builders import (
    DATA_DIR,
    TINY,
    curtois_instance,
    imported,
    load_fixture,
    stand_in_solver,
)

PARAMS = SolveParams(time_limit=30, deterministic_time=10, workers=2, seed=0, lower_bound=False)
OPTIMUM = load_fixture("instance1-optimal-607.json")["assignments"]


def test_instance_names_accept_short_forms_and_refuse_the_rest() -> None:
    assert [instance_name(t) for t in ("Instance1", "instance24", "7", " 9 ")] == [
        "Instance1",
        "Instance24",
        "Instance7",
        "Instance9",
    ]
    for bad in ("Instance25", "0", "Instance", "nurse7"):
        with pytest.raises(ValueError, match="is not an instance name"):
            instance_name(bad)
    assert all_instances()[:3] == ["Instance1", "Instance2", "Instance3"]
    assert all_instances()[-1] == "Instance24"


def test_the_data_folder_comes_from_the_environment_or_beside_the_repo(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(DATA_ENV, raising=False)
    repo = Path(curtois_run.__file__).resolve().parents[2]
    assert default_data_dir() == repo.parent / "shared" / "benchmarks" / "curtois"
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    assert default_data_dir() == tmp_path


def test_best_known_values_are_read_from_the_csv(tmp_path: Path) -> None:
    best = load_best_known(DATA_DIR)
    assert (best["Instance1"], best["Instance7"], best["Instance24"]) == (607, 1056, 42463)
    assert load_best_known(tmp_path) == {}


@pytest.mark.usefixtures("validator_agrees")
def test_an_agreeing_run_writes_the_solution_file_contract(tmp_path: Path) -> None:
    instance = curtois_instance("Instance1")
    solver = stand_in_solver(instance, OPTIMUM, objective=607)
    run = run_instance(instance, PARAMS, best_known=607, out_dir=tmp_path, solver=solver)
    assert run.ok, run.problems
    assert (run.status, run.objective, run.best_known, run.gap_percent) == ("OPTIMAL", 607, 607, 0)
    assert (run.evaluator_penalty, run.validator_objective) == (607, 607)
    assert (run.days, run.staff, run.shift_types, run.seconds) == (14, 8, 1, 0.25)
    written = json.loads((tmp_path / "Instance1.json").read_text(encoding="utf-8"))
    assert list(written) == ["instance", "objective", "assignments"]
    assert written == {"instance": "Instance1", "objective": 607, "assignments": OPTIMUM}
    assert list(written["assignments"]) == list(instance.employee_ids)
    assert run.solution_file == str(tmp_path / "Instance1.json")


def test_sunshifts_validator_and_the_evaluator_agree_on_the_known_optimum(tmp_path: Path) -> None:
    """No stand-in for the validator here: both checkers must score the 607 roster at 607."""
    instance = curtois_instance("Instance1")
    solver = stand_in_solver(instance, OPTIMUM, objective=607)
    run = run_instance(instance, PARAMS, best_known=607, out_dir=tmp_path, solver=solver)
    assert run.problems == []
    assert (run.validator_violations, run.validator_objective, run.evaluator_penalty) == (
        0,
        607,
        607,
    )


@pytest.mark.usefixtures("validator_agrees")
def test_a_solver_objective_the_checks_do_not_reproduce_is_a_problem(tmp_path: Path) -> None:
    instance = curtois_instance("Instance1")
    solver = stand_in_solver(instance, OPTIMUM, objective=600)
    run = run_instance(instance, PARAMS, best_known=607, out_dir=tmp_path, solver=solver)
    assert not run.ok
    assert run.problems == [
        "validator objective 607 ≠ solver objective 600",
        "evaluator penalty 607 ≠ solver objective 600",
    ]


@pytest.mark.usefixtures("validator_agrees")
def test_a_hard_rule_the_evaluator_catches_is_a_problem(tmp_path: Path) -> None:
    """Employee A has day 0 off; a roster that works it must not pass, whatever the solver says."""
    instance = curtois_instance("Instance1")
    broken = {e: list(days) for e, days in OPTIMUM.items()}
    broken["A"][0] = "D"
    penalty = evaluate(instance, broken).penalty
    solver = stand_in_solver(instance, broken, objective=penalty)
    run = run_instance(instance, PARAMS, best_known=607, out_dir=tmp_path, solver=solver)
    assert not run.ok
    assert run.evaluator_breaches >= 1
    assert run.problems == [
        "evaluator: 2 hard-rule breach(es): max_total_minutes A: 4800 min, at most 4320; "
        "days_off A day 0: works 'D' on a day off"
    ]


def test_validator_findings_are_problems(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from scheduler.roster import Violation

    found = Violation(
        rule="max_weekends", label="…", agent_id="B", when="2024-01-06", detail="2 > 1"
    )
    monkeypatch.setattr(audit, "validate_roster", lambda *args, **kwargs: [found])
    monkeypatch.setattr(
        audit, "objective_breakdown", lambda *args, **kwargs: SimpleNamespace(total=607.0)
    )
    instance = curtois_instance("Instance1")
    run = run_instance(
        instance,
        PARAMS,
        best_known=607,
        out_dir=tmp_path,
        solver=stand_in_solver(instance, OPTIMUM, objective=607),
    )
    assert run.problems == [
        "validator: 1 hard-rule violation(s): max_weekends (B, 2024-01-06): 2 > 1"
    ]
    assert run.validator_violations == 1


def test_a_solver_that_raises_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    def broken(scenario: Scenario, params: SolveParams) -> SolveResult:
        raise ValueError("zero-size array")

    instance = curtois_instance("Instance1")
    run = run_instance(instance, PARAMS, best_known=607, out_dir=tmp_path, solver=broken)
    assert (run.status, run.ok, run.objective) == ("ERROR", False, None)
    assert run.problems == ["the solver raised ValueError: zero-size array"]
    assert run.error is not None and "zero-size array" in run.error
    assert not (tmp_path / "Instance1.json").exists()


def test_no_roster_in_time_is_not_a_disagreement(tmp_path: Path) -> None:
    instance = curtois_instance("Instance1")
    solver = stand_in_solver(instance, None, objective=None, status=SolveStatus.UNKNOWN)
    run = run_instance(instance, PARAMS, best_known=607, out_dir=tmp_path, solver=solver)
    assert (run.status, run.ok, run.problems, run.gap_percent) == ("UNKNOWN", False, [], None)
    assert not (tmp_path / "Instance1.json").exists()


def test_every_file_is_parsed_before_anything_is_solved(tmp_path: Path) -> None:
    (tmp_path / "instances").mkdir()
    shutil.copy(DATA_DIR / "instances" / "Instance1.txt", tmp_path / "instances")
    (tmp_path / "instances" / "Instance2.txt").write_text(TINY.replace("E,13\n", "Q,13\n"))
    calls: list[str] = []

    def solver(scenario: Scenario, params: SolveParams) -> SolveResult:
        calls.append(scenario.name)
        raise AssertionError("nothing should be solved")

    with pytest.raises(CurtoisFormatError, match=r"Instance2.txt:\d+: employee 'Q' is not defined"):
        run_curtois(
            ["Instance1", "Instance2"],
            data_dir=tmp_path,
            out_dir=tmp_path / "out",
            params=PARAMS,
            solver=solver,
        )
    assert calls == []


def test_instance_1_is_solved_to_its_optimum_607() -> None:
    """The benchmark's published optimum, under a deterministic budget (about 2 s on 2 workers)."""
    instance, scenario = imported("Instance1")
    result = solve(scenario, PARAMS)
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == 607
    assert validate_roster(scenario, result.roster, problem=result.problem) == []
    evaluation = evaluate(instance, assignments_from_roster(instance, result.roster))
    assert evaluation.breaches == ()
    assert evaluation.penalty == 607


def test_the_runner_solves_and_checks_instance_1_end_to_end(tmp_path: Path) -> None:
    report = run_curtois(["Instance1"], data_dir=DATA_DIR, out_dir=tmp_path, params=PARAMS)
    run = report.runs[0]
    assert report.ok, run.problems
    assert (run.objective, run.evaluator_penalty, run.validator_objective) == (607, 607, 607)
    assert json.loads((tmp_path / "Instance1.json").read_text())["objective"] == 607
