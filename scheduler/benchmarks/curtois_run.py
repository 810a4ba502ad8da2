"""Solve Curtois instances and check every roster three ways: what ``sunshift bench curtois`` runs.

For each instance: parse → import → :func:`scheduler.solve.facade.solve` → read the roster back
as the benchmark's assignments → check it with Sunshift's solver-agnostic validator
(``validate_roster`` and ``objective_breakdown``) *and* with the independent evaluator
(:mod:`scheduler.benchmarks.curtois_eval`). The solver's objective, the validator's total and the
evaluator's penalty must all be equal and neither checker may find a broken hard rule; anything
else is listed in :attr:`InstanceRun.problems`, because a benchmark number that its own checks
disagree with is worth nothing.

Each roster is written as ``DIR/InstanceN.json``: ``{"instance", "objective", "assignments"}``,
the contract external checkers read (``objective`` is the evaluator's penalty of exactly those
assignments).
"""

from __future__ import annotations

import csv
import os
import re
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, computed_field

from scheduler.benchmarks.curtois import CurtoisInstance, parse_instance
from scheduler.benchmarks.curtois_eval import Evaluation, evaluate
from scheduler.benchmarks.curtois_import import Assignments, assignments_from_roster, to_scenario
from scheduler.domain import Scenario
from scheduler.roster import SolveStatus
from scheduler.solve.facade import SolveResult, solve
from scheduler.solve.params import SolveParams
from scheduler.validate.audit import audit_roster, first_few, same_objective, shown

#: Overrides the data folder (which holds ``instances/`` and ``best_known.csv``).
DATA_ENV = "SUNSHIFT_CURTOIS_DIR"
INSTANCE_COUNT = 24
ERROR = "ERROR"

Solver = Callable[[Scenario, SolveParams], SolveResult]

_NAME = re.compile(r"^(?:instance)?([0-9]+)(?:\.txt)?$", re.IGNORECASE)


def default_data_dir() -> Path:
    """``$SUNSHIFT_CURTOIS_DIR``, else ``<repo>/../shared/benchmarks/curtois``."""
    configured = os.environ.get(DATA_ENV)
    if configured:
        return Path(configured)
    repo = Path(__file__).resolve().parents[2]
    return repo.parent / "shared" / "benchmarks" / "curtois"


def instance_name(text: str) -> str:
    """The canonical name of an instance given as ``Instance7``, ``instance7``, ``7`` or a file.

    >>> instance_name("7"), instance_name("instance12"), instance_name("Instance3.txt")
    ('Instance7', 'Instance12', 'Instance3')

    Raises
    ------
    ValueError
        When ``text`` names no instance 1–24.
    """
    match = _NAME.match(text.strip())
    number = int(match.group(1)) if match else 0
    if not 1 <= number <= INSTANCE_COUNT:
        raise ValueError(f"'{text}' is not an instance name (Instance1 … Instance{INSTANCE_COUNT})")
    return f"Instance{number}"


def instance_path(data_dir: Path, name: str) -> Path:
    return data_dir / "instances" / f"{name}.txt"


def all_instances() -> list[str]:
    """Instance1 … Instance24, in numeric order."""
    return [f"Instance{n}" for n in range(1, INSTANCE_COUNT + 1)]


def load_best_known(data_dir: Path) -> dict[str, int]:
    """Best-known upper bound per instance from ``best_known.csv`` ({} when the file is absent)."""
    path = data_dir / "best_known.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["instance"]: int(row["best_known_ub"]) for row in csv.DictReader(handle)}


class CurtoisSolution(BaseModel):
    """The solution file: one shift id or ``""`` (day off) per employee and day."""

    model_config = ConfigDict(frozen=True)

    instance: str
    objective: int
    assignments: dict[str, list[str]]


class InstanceRun(BaseModel):
    """One instance's outcome: the table's columns plus what each check found."""

    model_config = ConfigDict(frozen=True)

    instance: str
    days: int
    staff: int
    shift_types: int
    status: str = Field(description="OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, or ERROR.")
    objective: float | None = Field(description="The solver's objective (instance penalty).")
    best_known: int | None
    gap_percent: float | None = Field(description="(objective − best known) / best known × 100.")
    best_bound: float | None = Field(description="CP-SAT's proven lower bound.")
    seconds: float = Field(description="Wall time of the solve.")
    evaluator_penalty: int | None
    validator_objective: float | None
    validator_violations: int
    evaluator_breaches: int
    problems: list[str] = Field(default_factory=list)
    solution_file: str | None = None
    error: str | None = Field(None, description="Traceback when the solver raised.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        """A roster was found and every check agrees with the solver."""
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) and not self.problems


class CurtoisReport(BaseModel):
    """Every instance's run, and the settings they ran with."""

    model_config = ConfigDict(frozen=True)

    data_dir: str
    out_dir: str
    time_limit: float | None
    deterministic_time: float | None
    seed: int
    workers: int
    runs: list[InstanceRun]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        return all(run.ok for run in self.runs)

    @property
    def disagreements(self) -> list[InstanceRun]:
        """Runs whose checks failed (not merely runs that found no roster)."""
        return [run for run in self.runs if run.problems]


def gap_percent(objective: float | None, best_known: int | None) -> float | None:
    """How far above the best-known value, in percent (negative: a new best).

    >>> gap_percent(1083, 1056), gap_percent(607, 607), gap_percent(None, 607)
    (2.556818181818182, 0.0, None)
    """
    if objective is None or not best_known:
        return None
    return (objective - best_known) / best_known * 100


def run_curtois(
    names: Iterable[str],
    *,
    data_dir: Path,
    out_dir: Path,
    params: SolveParams,
    solver: Solver = solve,
    on_run: Callable[[InstanceRun], None] | None = None,
) -> CurtoisReport:
    """Solve and check each named instance in turn; write each roster to ``out_dir``.

    Parameters
    ----------
    names:
        Canonical instance names (see :func:`instance_name`).
    data_dir:
        The folder holding ``instances/InstanceN.txt`` and ``best_known.csv``.
    out_dir:
        Where ``InstanceN.json`` solution files go (created if missing).
    params:
        Solver limits, seed and workers, the same for every instance.
    solver:
        The solve function; tests pass a stand-in.
    on_run:
        Called after each instance (the CLI prints progress with it).

    Raises
    ------
    CurtoisFormatError
        When an instance file is malformed; every file is parsed before anything is solved.
    OSError
        When an instance file cannot be read.
    """
    instances = [parse_instance(instance_path(data_dir, name)) for name in names]
    best_known = load_best_known(data_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    runs: list[InstanceRun] = []
    for instance in instances:
        name = instance.name
        run = run_instance(
            instance, params, best_known=best_known.get(name), out_dir=out_dir, solver=solver
        )
        runs.append(run)
        if on_run is not None:
            on_run(run)
    return CurtoisReport(
        data_dir=str(data_dir),
        out_dir=str(out_dir),
        time_limit=params.time_limit,
        deterministic_time=params.deterministic_time,
        seed=params.seed,
        workers=params.workers,
        runs=runs,
    )


def run_instance(
    instance: CurtoisInstance,
    params: SolveParams,
    *,
    best_known: int | None,
    out_dir: Path | None,
    solver: Solver = solve,
) -> InstanceRun:
    """Import, solve and check one instance; write its solution file into ``out_dir``.

    A solver exception is caught and reported as status ``ERROR`` (with its traceback), so one
    broken instance does not lose a long benchmark run.
    """
    scenario = to_scenario(instance)
    sizes = {
        "instance": instance.name,
        "days": instance.days,
        "staff": len(instance.staff),
        "shift_types": len(instance.shifts),
        "best_known": best_known,
    }
    started = time.monotonic()
    try:
        result = solver(scenario, params)
    except Exception as error:
        return InstanceRun(
            **sizes,
            status=ERROR,
            objective=None,
            gap_percent=None,
            best_bound=None,
            seconds=round(time.monotonic() - started, 3),
            evaluator_penalty=None,
            validator_objective=None,
            validator_violations=0,
            evaluator_breaches=0,
            problems=[f"the solver raised {type(error).__name__}: {error}"],
            error="".join(traceback.format_exception(error)),
        )
    checked = check_result(instance, scenario, result)
    solution_file = None
    if out_dir is not None and checked.assignments is not None and checked.evaluation is not None:
        solution = CurtoisSolution(
            instance=instance.name,
            objective=checked.evaluation.penalty,
            assignments=checked.assignments,
        )
        path = out_dir / f"{instance.name}.json"
        path.write_text(solution.model_dump_json(indent=2) + "\n", encoding="utf-8")
        solution_file = str(path)
    return InstanceRun(
        **sizes,
        status=str(result.status),
        objective=result.objective,
        gap_percent=gap_percent(result.objective, best_known),
        best_bound=result.best_bound,
        seconds=round(result.wall_time, 3),
        evaluator_penalty=None if checked.evaluation is None else checked.evaluation.penalty,
        validator_objective=checked.validator_objective,
        validator_violations=checked.validator_violations,
        evaluator_breaches=0 if checked.evaluation is None else len(checked.evaluation.breaches),
        problems=checked.problems,
        solution_file=solution_file,
    )


@dataclass(frozen=True)
class Checked:
    """What the two checkers say about one solver result."""

    assignments: Assignments | None = None
    evaluation: Evaluation | None = None
    validator_objective: float | None = None
    validator_violations: int = 0
    problems: list[str] = field(default_factory=list)


def check_result(instance: CurtoisInstance, scenario: Scenario, result: SolveResult) -> Checked:
    """Compare the solver's roster and objective with the validator and the evaluator.

    Returns every disagreement as a sentence naming both numbers (or the first broken rule).
    """
    if result.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return Checked()
    roster = result.roster
    audit = audit_roster(scenario, roster, result.objective, problem=result.problem)
    problems = list(audit.problems)
    try:
        assignments = assignments_from_roster(instance, roster)
    except ValueError as error:
        problems.append(f"the roster does not read back as assignments: {error}")
        return Checked(
            validator_objective=audit.validator_objective,
            validator_violations=audit.violations,
            problems=problems,
        )
    evaluation = evaluate(instance, assignments)
    if evaluation.breaches:
        listed = [str(breach) for breach in evaluation.breaches]
        problems.append(f"evaluator: {len(listed)} hard-rule breach(es): {first_few(listed)}")
    if not same_objective(evaluation.penalty, result.objective):
        problems.append(
            f"evaluator penalty {evaluation.penalty} ≠ solver objective {shown(result.objective)}"
        )
    return Checked(
        assignments=assignments,
        evaluation=evaluation,
        validator_objective=audit.validator_objective,
        validator_violations=audit.violations,
        problems=problems,
    )
