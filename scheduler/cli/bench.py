"""``sunshift bench``: measure the solver.

* ``sunshift bench --agents N …`` (no subcommand): solve a synthetic team and print one JSON line
  of timings and quality. Stdout carries exactly that one line (so runs can be appended to a JSONL
  file); nothing else is printed there. The trajectory of improving objectives gives the
  objective (and the gap to the final proven bound) at 10, 30 and 60 seconds. The roster is
  checked by the solver-agnostic validator (hard rules, and its own objective from the shifts):
  exit 5 when it disagrees, after the line is printed.
* ``sunshift bench curtois [INSTANCE …]``: solve the published Curtois instances, check every
  roster with the validator and the independent evaluator, write ``DIR/InstanceN.json`` and print
  a table against the best-known values.

Exit codes of ``curtois``: 0 every instance solved and checked; 2 bad input (unknown instance,
missing data, malformed file); 4 some instance got no roster in time; 5 a check disagrees with
the solver (or the solver failed) — the run's numbers cannot be trusted.
"""

from __future__ import annotations

import json
import math
import resource
import sys
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from scheduler.benchmarks.curtois import CurtoisFormatError
from scheduler.benchmarks.curtois_run import (
    DATA_ENV,
    ERROR,
    CurtoisReport,
    InstanceRun,
    all_instances,
    default_data_dir,
    instance_name,
    instance_path,
    run_curtois,
)
from scheduler.cli.options import (
    DeterministicTimeOption,
    Strategy,
    StrategyOption,
    WorkersOption,
    solve_params_or_fail,
)
from scheduler.cli.output import console, error_console, fail, print_json
from scheduler.domain import Scenario
from scheduler.solve.facade import SolveResult, solve
from scheduler.solve.progress import Progress, relative_gap
from scheduler.synthetic import generate_team
from scheduler.validate.audit import TOLERANCE, audit_roster

#: Seconds after the solve's start at which the best objective so far is reported.
CHECKPOINTS = (10, 30, 60)


class Trajectory:
    """Improving (elapsed, objective, under-staffed hours) reports, appended from the solver thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.points: list[tuple[float, float]] = []
        self.under: list[tuple[float, float, float | None]] = []

    def __call__(self, event: Progress) -> None:
        with self._lock:
            self.points.append((event.elapsed, event.objective))
            self.under.append((event.elapsed, event.objective, event.under_staffed_hours))

    def under_at(self, seconds: float) -> float | None:
        """Under-staffed hours of the best roster reported by ``seconds`` (None if unknown).

        >>> t = Trajectory()
        >>> t.under = [(1.0, 50.0, 9.5), (12.0, 40.0, 4.0)]
        >>> t.under_at(10), t.under_at(30), t.under_at(0.5)
        (9.5, 4.0, None)
        """
        with self._lock:
            seen = [
                (objective, hours) for elapsed, objective, hours in self.under if elapsed <= seconds
            ]
        return min(seen, key=lambda pair: pair[0])[1] if seen else None

    def best_at(self, seconds: float) -> float | None:
        """The best (lowest) objective reported by ``seconds``; None before the first one.

        >>> t = Trajectory()
        >>> t.points = [(1.0, 50.0), (12.0, 40.0), (31.0, 35.0)]
        >>> t.best_at(10), t.best_at(30), t.best_at(0.5)
        (50.0, 40.0, None)
        """
        with self._lock:
            seen = [objective for elapsed, objective in self.points if elapsed <= seconds]
        return min(seen) if seen else None


app = typer.Typer(
    name="bench",
    help="Benchmark the solver: a synthetic team (options below), or `bench curtois`.",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
)


@app.callback(invoke_without_command=True)
def bench(
    ctx: typer.Context,
    agents: Annotated[int, typer.Option(help="Agents in the synthetic team.", min=1)] = 200,
    days: Annotated[int, typer.Option(help="Horizon length in days.", min=1)] = 14,
    queues: Annotated[int, typer.Option(help="Language queues.", min=1)] = 5,
    seed: Annotated[int, typer.Option(help="Seed of the generator and of the search.")] = 1,
    time_limit: Annotated[float, typer.Option(help="Wall-clock cap in seconds.")] = 60.0,
    deterministic_time: DeterministicTimeOption = None,
    workers: WorkersOption = 0,
    strategy: StrategyOption = Strategy.auto,
    interval_minutes: Annotated[
        int, typer.Option(help="Demand interval length: 15, 30 or 60 minutes.")
    ] = 30,
) -> None:
    """Benchmark the solver on a generated team; print one JSON line.

    `sunshift bench curtois` runs the literature instances instead (see its --help).
    """
    if ctx.invoked_subcommand is not None:
        return
    params = solve_params_or_fail(
        time_limit=time_limit,
        deterministic_time=deterministic_time,
        seed=seed,
        workers=workers,
        strategy=strategy,
    )
    try:
        scenario = generate_team(agents, days, queues, seed, interval_minutes=interval_minutes)
    except ValueError as error:
        fail("input.invalid", f"cannot generate the team: {error}")
    trajectory = Trajectory()
    started = time.monotonic()
    result = solve(scenario, params, progress=trajectory)
    wall = time.monotonic() - started
    stats = result.stats
    kpis = result.roster.kpis
    row: dict[str, Any] = {
        "agents": agents,
        "days": days,
        "queues": queues,
        "seed": seed,
        "time_limit": time_limit,
        "build_seconds": _seconds(stats.get("compile_seconds"), stats.get("build_seconds")),
        "first_feasible_seconds": stats.get("first_solution_seconds"),
    }
    for checkpoint in CHECKPOINTS:
        finished = time_limit <= checkpoint  # the solve ended before this checkpoint
        best = result.objective if finished else trajectory.best_at(checkpoint)
        row[f"under_staffed_hours_at_{checkpoint}s"] = (
            (kpis.under_staffed_hours if kpis else None)
            if finished
            else trajectory.under_at(checkpoint)
        )
        row[f"objective_at_{checkpoint}s"] = best
        row[f"gap_at_{checkpoint}s"] = relative_gap(best, result.best_bound)
    row.update(
        {
            "objective": result.objective,
            "best_bound": result.best_bound,
            "gap": result.gap,
            "lower_bound_hours": kpis.under_staffed_lower_bound_hours if kpis else None,
            "under_staffed_hours_end": kpis.under_staffed_hours if kpis else None,
            "coverage_ratio": kpis.coverage_ratio if kpis else None,
            "status": str(result.status),
            "wall_seconds": round(wall, 3),
            "peak_memory_mib": _peak_memory_mib(),
            "strategy": stats.get("strategy", strategy.value),
            "solver": stats,
        }
    )
    problems = _check(scenario, result)
    row["checks"] = problems or "ok"
    sys.stdout.write(json.dumps(row, default=str) + "\n")
    sys.stdout.flush()
    if problems:
        for problem in problems:
            error_console.print(f"[bold red]check failed[/]: {escape(problem)}", highlight=False)
        raise typer.Exit(code=5)


def _check(scenario: Scenario, result: SolveResult) -> list[str]:
    """What the validator finds wrong with the roster: broken rules, or an objective recomputed
    from the shifts that is not the one the solver reported."""
    if result.objective is None:
        return []
    return audit_roster(scenario, result.roster, result.objective, problem=result.problem).problems


def _seconds(*parts: float | int | str | None) -> float:
    """Sum of the timing entries present in the solver stats."""
    return round(sum(float(part) for part in parts if isinstance(part, int | float)), 3)


@app.command("curtois")
def curtois(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the InstanceN.json solution files.")
    ],
    instances: Annotated[
        list[str] | None,
        typer.Argument(
            help="Instances to run (Instance7 or 7); all 24 when none is given.",
            show_default=False,
        ),
    ] = None,
    time_limit: Annotated[
        float, typer.Option(help="Wall-clock cap per instance in seconds.")
    ] = 60.0,
    deterministic_time: DeterministicTimeOption = None,
    seed: Annotated[int, typer.Option(help="Random seed of the search.")] = 0,
    workers: WorkersOption = 0,
    strategy: StrategyOption = Strategy.auto,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar=DATA_ENV,
            help="Folder with instances/ and best_known.csv "
            "(default: <repo>/../shared/benchmarks/curtois).",
            show_default=False,
        ),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print one JSON report instead of the table.")
    ] = False,
) -> None:
    """Solve Curtois instances, check each roster twice, write solutions, compare with best known.

    Exit 5 when the validator or the independent evaluator disagrees with the solver.
    """
    data_dir = data or default_data_dir()
    try:
        names = list(dict.fromkeys(instance_name(text) for text in instances or all_instances()))
    except ValueError as error:
        fail("curtois.unknown_instance", str(error))
    missing = [name for name in names if not instance_path(data_dir, name).is_file()]
    if missing:
        fail(
            "curtois.data_missing",
            f"{instance_path(data_dir, missing[0])} does not exist",
            hint=f"pass --data DIR or set {DATA_ENV} to the folder holding instances/",
        )
    params = solve_params_or_fail(
        time_limit=time_limit,
        deterministic_time=deterministic_time,
        seed=seed,
        workers=workers,
        strategy=strategy,
    ).model_copy(
        update={"lower_bound": False}
    )  # the LP bound is on queue under-staffing: none here
    try:
        report = run_curtois(
            names, data_dir=data_dir, out_dir=out, params=params, solver=solve, on_run=_progress
        )
    except CurtoisFormatError as error:
        fail("curtois.invalid", str(error))
    if json_output:
        print_json(report)
    else:
        console.print(curtois_table(report))
    _shout_disagreements(report)
    if report.disagreements:
        raise typer.Exit(code=5)
    if not report.ok:
        raise typer.Exit(code=4)


def _peak_memory_mib() -> float:
    """The solve's peak resident memory, its helper processes' included: this process's peak
    plus the largest helper's, an upper bound (they share the problem copy-on-write)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    helpers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + helpers) / 1024, 1)


def curtois_table(report: CurtoisReport) -> Table:
    """The people's view: one row per instance against its best-known value; a status whose
    checks disagree is marked DISAGREE (and the reasons are printed on stderr)."""
    limits = [f"time limit {report.time_limit:g} s"] if report.time_limit else []
    if report.deterministic_time:
        limits.append(f"deterministic time {report.deterministic_time:g}")
    workers = f"{report.workers} workers" if report.workers else "all cores"
    table = Table(
        title=f"Curtois benchmark ({', '.join(limits)}, {workers}, seed {report.seed})",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("Instance")
    for column in ("Objective", "Best known", "Gap %", "Best bound"):
        table.add_column(column, justify="right")
    table.add_column("Status")
    table.add_column("Seconds", justify="right")
    for run in report.runs:
        status = run.status
        if run.status == ERROR:
            status = f"[bold red]{ERROR}[/]"
        elif run.problems:
            status = f"[bold red]{run.status} DISAGREE[/]"
        table.add_row(
            run.instance,
            _number(run.objective),
            _number(run.best_known),
            "n/a" if run.gap_percent is None else f"{run.gap_percent:.2f}",
            _bound(run.best_bound),
            status,
            f"{run.seconds:.1f}",
        )
    return table


def _progress(run: InstanceRun) -> None:
    """One line per finished instance on stderr (stdout stays the table or the JSON)."""
    checks = "checks ok" if not run.problems else _headline(run)
    error_console.print(
        f"{run.instance}: {run.status} objective {_number(run.objective)} "
        f"(best known {_number(run.best_known)}) in {run.seconds:.1f} s, {checks}",
        highlight=False,
        markup=False,
    )


def _headline(run: InstanceRun) -> str:
    return "SOLVER FAILED" if run.status == ERROR else "CHECKS DISAGREE"


def _shout_disagreements(report: CurtoisReport) -> None:
    """Every failed check on stderr, in red; each distinct solver traceback once."""
    shown: set[str] = set()
    for run in report.disagreements:
        consequence = "no roster" if run.status == ERROR else "its objective cannot be trusted"
        error_console.print(
            f"[bold red]{_headline(run)} on {run.instance}[/]: {consequence}", highlight=False
        )
        for problem in run.problems:
            error_console.print(f"  - {escape(problem)}", highlight=False)
        if run.error and run.error not in shown:
            shown.add(run.error)
            error_console.print(run.error, highlight=False, markup=False)


def _number(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.3f}"


def _bound(value: float | None) -> str:
    """The proven bound rounded up: every penalty is an integer, so ⌈bound⌉ is a bound too."""
    return "n/a" if value is None else str(math.ceil(value - TOLERANCE))
