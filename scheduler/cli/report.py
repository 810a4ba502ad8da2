"""``sunshift report``: coverage per queue and UTC day, hours per site and KPIs of a roster file.

The rich tables here are also what ``sunshift solve`` prints after a solve, so both commands
show the same numbers the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table

from scheduler.cli.output import console, error_console, fail, print_json
from scheduler.domain import Scenario, ScenarioError
from scheduler.report import CoverageSummary, RosterReport, SiteHours, roster_report, write_charts
from scheduler.roster import Kpis, Roster, Violation
from scheduler.validate import validate_roster

#: Exit code when ``--scenario`` is given and the roster breaks a hard rule.
EXIT_VIOLATIONS = 5


class ReportWithViolations(RosterReport):
    """The ``--json`` document: the report plus, with ``--scenario``, the hard-rule violations."""

    violations: list[Violation] | None = None


def report(
    roster_file: Annotated[
        Path,
        typer.Argument(
            help="Roster JSON written by `sunshift solve --out`.",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
    scenario_file: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            help="Scenario the roster answers: re-check every hard rule (exit 5 on violations).",
            exists=True,
        ),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of tables.")
    ] = False,
    charts: Annotated[
        Path | None,
        typer.Option("--charts", help="Write PNG charts and a self-contained index.html here."),
    ] = None,
) -> None:
    """Summarise a roster: coverage per queue and day, hours per site, KPIs."""
    roster = load_roster(roster_file)
    if charts is not None:
        for path in write_charts(roster, charts, title=roster.scenario):
            error_console.print(f"wrote {path}", highlight=False)
    violations: list[Violation] | None = None
    if scenario_file is not None:
        violations = validate_roster(load_scenario_or_fail(scenario_file), roster)
    summary = ReportWithViolations(**roster_report(roster).model_dump(), violations=violations)
    if json_output:
        print_json(summary)
    else:
        render_report(summary)
    if violations:
        raise typer.Exit(code=EXIT_VIOLATIONS)


def load_roster(path: Path) -> Roster:
    """Read and validate a roster file, failing with ``roster.invalid`` when it is not one."""
    try:
        return Roster.model_validate_json(path.read_bytes())
    except OSError as error:
        fail("roster.invalid", f"{path}: cannot be read ({error.strerror})")
    except ValidationError as error:
        details = [
            f"{'.'.join(str(part) for part in e['loc']) or '(document)'}: {e['msg']}"
            for e in error.errors()[:20]
        ]
        fail(
            "roster.invalid",
            f"{path}: {error.error_count()} problems",
            hint="Expected the JSON written by `sunshift solve --out`.",
            details=details,
        )


def load_scenario_or_fail(path: Path) -> Scenario:
    """Load a scenario, failing with ``scenario.invalid`` and every problem listed."""
    # Imported on use while scheduler.io is in progress; move to the top once it lands.
    from scheduler.io import load_scenario

    try:
        scenario: Scenario = load_scenario(path)
    except ScenarioError as error:
        fail(
            "scenario.invalid",
            f"{path}: {len(error.problems)} problems",
            details=[str(problem) for problem in error.problems],
        )
    except OSError as error:
        fail("scenario.invalid", f"{path}: cannot be read ({error.strerror})")
    return scenario


def render_report(summary: ReportWithViolations) -> None:
    """Print the report's tables for people."""
    console.print(
        f"[bold]{summary.scenario or 'roster'}[/] · status {summary.status}"
        f" · objective {_number(summary.objective)} · bound {_number(summary.best_bound)}"
        f" · gap {_percent(summary.gap)}"
    )
    console.print(queue_table(summary.queue_days, title="Coverage per queue and UTC day"))
    console.print(queue_table(summary.queues, title="Coverage per queue (horizon)"))
    console.print(site_table(summary.sites))
    if summary.kpis is not None:
        console.print(kpi_table(Kpis.model_validate({**summary.kpis, "hours_per_agent": []})))
    if summary.violations is not None:
        console.print(violation_table(summary.violations))


def queue_table(rows: list[CoverageSummary], *, title: str) -> Table:
    """Required against scheduled agent-hours, coverage and shortfall per queue (and day)."""
    with_day = any(row.day is not None for row in rows)
    table = Table(title=title)
    table.add_column("Queue")
    if with_day:
        table.add_column("UTC day")
    for heading in ("Required agent-h", "Scheduled agent-h", "Coverage", "Under-staffed h"):
        table.add_column(heading, justify="right")
    for row in rows:
        day = [str(row.day)] if with_day else []
        table.add_row(
            row.queue,
            *day,
            f"{row.required_hours:,.1f}",
            f"{row.scheduled_hours:,.1f}",
            f"{row.coverage:.1%}",
            f"{row.under_staffed_hours:,.1f}",
        )
    return table


def site_table(sites: list[SiteHours]) -> Table:
    """Agents, shifts and paid hours per site."""
    table = Table(title="Hours per site")
    table.add_column("Site")
    for heading in ("Agents", "Shifts", "Paid hours"):
        table.add_column(heading, justify="right")
    for site in sites:
        table.add_row(site.site, str(site.agents), str(site.shifts), f"{site.paid_hours:,.1f}")
    return table


def kpi_table(kpis: Kpis) -> Table:
    """The roster's KPIs, under-staffing shown against its proven lower bound."""
    table = Table(title="KPIs", show_header=False)
    table.add_column("Measure")
    table.add_column("Value", justify="right")
    bound = kpis.under_staffed_lower_bound_hours
    table.add_row(
        "Under-staffed hours (lower bound)",
        f"{kpis.under_staffed_hours:,.1f} ({_number(bound, '{:,.1f}')})",
    )
    table.add_row("Over-staffed hours", f"{kpis.over_staffed_hours:,.1f}")
    table.add_row("Coverage ratio", f"{kpis.coverage_ratio:.1%}")
    table.add_row("Labour cost", f"{kpis.labour_cost:,.2f}")
    table.add_row("Unsocial hours", f"{kpis.unsocial_hours:,.1f}")
    table.add_row("Paid hours", f"{kpis.paid_hours:,.1f}")
    return table


def violation_table(violations: list[Violation]) -> Table:
    """Hard-rule violations, one per row (an empty table says the roster is valid)."""
    title = f"Hard-rule violations: {len(violations)}" if violations else "No hard-rule violations"
    table = Table(title=title)
    for heading in ("Rule", "Agent", "Queue", "When", "Detail"):
        table.add_column(heading)
    for v in violations:
        table.add_row(v.label, v.agent_id or "", v.queue or "", v.when or "", v.detail)
    return table


def _number(value: float | None, spec: str = "{:,.3f}") -> str:
    return "n/a" if value is None else spec.format(value)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2%}"
