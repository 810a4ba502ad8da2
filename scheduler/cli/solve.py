"""``sunshift solve``: the best roster for a scenario, written as the roster JSON contract.

Exit codes: 0 a roster (optimal or feasible), 2 bad input, 3 infeasible (the explanation is
printed), 4 no roster and no proof either way (the limits were too tight).
"""

from __future__ import annotations

import csv
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from scheduler.cli.options import (
    DeterministicTimeOption,
    Strategy,
    StrategyOption,
    WorkersOption,
    solve_params_or_fail,
)
from scheduler.cli.output import console, error_console, print_json
from scheduler.cli.report import kpi_table, load_scenario_or_fail, queue_table
from scheduler.domain import Scenario
from scheduler.report import coverage_by_queue, kpi_summary
from scheduler.roster import Explanation, Roster, ShiftOut, SolveStatus
from scheduler.solve.cpsat import StopToken
from scheduler.solve.facade import SolveResult, solve
from scheduler.solve.params import SolveParams
from scheduler.solve.progress import Progress as SolveProgress
from scheduler.timeutil import utc_iso

EXIT_CODES = {
    SolveStatus.OPTIMAL: 0,
    SolveStatus.FEASIBLE: 0,
    SolveStatus.INFEASIBLE: 3,
    SolveStatus.UNKNOWN: 4,
}

CSV_COLUMNS = (
    "agent_id",
    "site",
    "timezone",
    "local_date",
    "start",
    "end",
    "local_start",
    "local_end",
    "paid_hours",
    "queues",
    "breaks",
)


class SolveSummary(BaseModel):
    """What ``sunshift solve --json`` prints: the headline numbers and where the roster went."""

    status: SolveStatus
    objective: float | None
    best_bound: float | None
    gap: float | None
    out: str
    kpis: dict[str, Any] | None
    solver: dict[str, float | int | str | None]
    explanation: Explanation | None = None


def solve_command(
    scenario_file: Annotated[
        Path, typer.Argument(help="Scenario file to solve (JSON).", exists=True)
    ],
    out: Annotated[Path, typer.Option("--out", help="Where to write the roster JSON.")],
    time_limit: Annotated[
        float, typer.Option(help="Wall-clock cap in seconds (a safety cap, not reproducible).")
    ] = 60.0,
    deterministic_time: DeterministicTimeOption = None,
    seed: Annotated[int, typer.Option(help="Random seed of the search.")] = 0,
    workers: WorkersOption = 0,
    strategy: StrategyOption = Strategy.auto,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="Also write one CSV row per shift here.")
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of tables.")
    ] = False,
    no_progress: Annotated[
        bool, typer.Option("--no-progress", help="Do not show the live progress display.")
    ] = False,
) -> None:
    """Solve a scenario and write its roster; print a coverage summary."""
    scenario = load_scenario_or_fail(scenario_file)
    params = solve_params_or_fail(
        time_limit=time_limit,
        deterministic_time=deterministic_time,
        seed=seed,
        workers=workers,
        strategy=strategy,
    )
    show = not no_progress and error_console.is_terminal
    result = run_solve(scenario, params, show_progress=show)
    write_roster(out, result.roster)
    if csv_file is not None:
        write_shifts_csv(csv_file, result.roster.shifts)
    if json_output:
        print_json(
            SolveSummary(
                status=result.status,
                objective=result.objective,
                best_bound=result.best_bound,
                gap=result.gap,
                out=str(out),
                kpis=kpi_summary(result.roster.kpis),
                solver=result.stats,
                explanation=result.roster.explanation,
            )
        )
    else:
        render_result(result, out)
    code = EXIT_CODES[result.status]
    if code:
        raise typer.Exit(code=code)


class _LatestProgress:
    """The solver thread's latest report, read by the display on the main thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest: SolveProgress | None = None

    def __call__(self, event: SolveProgress) -> None:
        with self._lock:
            self._latest = event

    def get(self) -> SolveProgress | None:
        with self._lock:
            return self._latest


def run_solve(scenario: Scenario, params: SolveParams, *, show_progress: bool) -> SolveResult:
    """Solve, with a live display on stderr when asked; Ctrl-C keeps the best roster so far."""
    if not show_progress:
        return solve(scenario, params)
    latest = _LatestProgress()
    stop = StopToken()
    results: list[SolveResult] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(solve(scenario, params, progress=latest, stop=stop))
        except BaseException as error:  # re-raised on the main thread
            errors.append(error)

    worker = threading.Thread(target=work, name="sunshift-solve", daemon=True)
    limit = params.time_limit
    display = Progress(
        TextColumn("[bold]Solving[/]"),
        BarColumn(),
        TextColumn("{task.fields[status]}"),
        console=error_console,
        transient=True,
    )
    started = time.monotonic()
    with display:
        task = display.add_task("solve", total=limit, status="compiling")
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.2)
                elapsed = time.monotonic() - started
                display.update(
                    task,
                    completed=min(elapsed, limit) if limit else None,
                    status=_progress_text(elapsed, limit, latest.get()),
                )
        except KeyboardInterrupt:
            stop.stop()
            worker.join()
    if errors:
        raise errors[0]
    return results[0]


def _progress_text(elapsed: float, limit: float | None, event: SolveProgress | None) -> str:
    cap = f" / {limit:g} s" if limit else ""
    text = f"{elapsed:5.1f} s{cap}"
    if event is None:
        return text + " · building"
    bound = "n/a" if event.bound is None else f"{event.bound:,.1f}"
    gap = "n/a" if event.gap is None else f"{event.gap:.1%}"
    phase = "finishing" if limit and elapsed > limit else event.phase
    return (
        f"{text} · objective {event.objective:,.1f} · bound {bound} · gap {gap} · {escape(phase)}"
    )


def write_roster(path: Path, roster: Roster) -> None:
    """Write the roster JSON contract, creating parent directories."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(roster.model_dump_json(indent=2) + "\n", encoding="utf-8")


def write_shifts_csv(path: Path, shifts: list[ShiftOut]) -> None:
    """One row per shift; queues ``|``-joined, breaks as ``start-end`` UTC pairs ``;``-joined."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for shift in shifts:
            writer.writerow(
                [
                    shift.agent_id,
                    shift.site,
                    shift.timezone,
                    shift.local_date,
                    utc_iso(shift.start),
                    utc_iso(shift.end),
                    shift.local_start.isoformat(),
                    shift.local_end.isoformat(),
                    f"{shift.paid_hours:g}",
                    "|".join(dict.fromkeys(span.queue for span in shift.allocation)),
                    ";".join(f"{utc_iso(b.start)}-{utc_iso(b.end)}" for b in shift.breaks),
                ]
            )


def render_result(result: SolveResult, out: Path) -> None:
    """Status and coverage for people; the explanation's conflicts when infeasible."""
    roster = result.roster
    headline = Table(title=f"Solve of {roster.scenario or 'scenario'}", show_header=False)
    headline.add_column("Measure")
    headline.add_column("Value", justify="right")
    headline.add_row("Status", str(result.status))
    headline.add_row("Objective", _fmt(result.objective))
    headline.add_row("Best bound", _fmt(result.best_bound))
    headline.add_row("Gap", "n/a" if result.gap is None else f"{result.gap:.2%}")
    headline.add_row("Wall time", f"{result.wall_time:.1f} s")
    headline.add_row("Roster", str(out))
    console.print(headline)
    if roster.explanation is not None:
        console.print(f"[bold red]Infeasible:[/] {escape(roster.explanation.summary)}")
        for conflict in roster.explanation.conflicts:
            subject = ", ".join(
                part for part in (conflict.agent_id, conflict.queue, conflict.when) if part
            )
            line = f"  - {conflict.label}" + (f" ({subject})" if subject else "")
            console.print(line + (f": {conflict.detail}" if conflict.detail else ""), markup=False)
    if roster.kpis is not None:
        console.print(kpi_table(roster.kpis))
    if roster.coverage:
        console.print(queue_table(coverage_by_queue(roster), title="Coverage per queue"))


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.3f}"
