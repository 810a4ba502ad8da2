"""``sunshift validate``: load a scenario file and say what is in it, or everything wrong with it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Literal

import typer
from pydantic import BaseModel
from rich.table import Table

from scheduler.cli.output import console, fail, print_json
from scheduler.domain import Scenario, ScenarioError
from scheduler.io import load_scenario
from scheduler.timeutil import utc_iso


class QueueDemand(BaseModel):
    """Demand totals of one queue over the horizon (forecast or headcount, never both)."""

    queue: str
    channel: str
    mode: Literal["forecast", "headcount"]
    volume: float | None = None
    workload_hours: float | None = None
    required_agent_hours: float | None = None


class ScenarioSummary(BaseModel):
    """What ``validate --json`` prints for a valid scenario."""

    valid: Literal[True] = True
    source: str
    name: str
    horizon_start: str
    horizon_end: str
    days: int
    interval_minutes: int
    intervals: int
    agents: int
    sites: dict[str, int]
    contracts: list[str]
    queues: list[str]
    demand: list[QueueDemand]


class ProblemOut(BaseModel):
    where: str
    item: str | None
    message: str


class InvalidScenario(BaseModel):
    """What ``validate --json`` prints for an invalid scenario (exit code 2)."""

    valid: Literal[False] = False
    source: str
    problems: list[ProblemOut]


def _queue_demand(scenario: Scenario, queue_id: str) -> QueueDemand:
    queue = scenario.queue(queue_id)
    rows = [row for row in scenario.demand if row.queue == queue_id]
    interval_hours = scenario.horizon.interval_minutes / 60
    if rows and all(row.is_forecast for row in rows):
        volume = sum(row.volume or 0.0 for row in rows)
        work = sum((row.volume or 0.0) * (row.aht_seconds or 0.0) for row in rows) / 3600
        return QueueDemand(
            queue=queue_id,
            channel=queue.channel,
            mode="forecast",
            volume=round(volume, 1),
            workload_hours=round(work, 1),
        )
    required = sum(row.required or 0.0 for row in rows) * interval_hours
    return QueueDemand(
        queue=queue_id,
        channel=queue.channel,
        mode="headcount",
        required_agent_hours=round(required, 1),
    )


def summarize(scenario: Scenario, source: str) -> ScenarioSummary:
    """The facts a planner checks first: who, where, which queues, how much demand."""
    horizon = scenario.horizon
    return ScenarioSummary(
        source=source,
        name=scenario.name,
        horizon_start=utc_iso(horizon.start_utc),
        horizon_end=utc_iso(horizon.end_utc),
        days=horizon.days,
        interval_minutes=horizon.interval_minutes,
        intervals=horizon.interval_count,
        agents=len(scenario.agents),
        sites=dict(sorted(Counter(agent.site for agent in scenario.agents).items())),
        contracts=[contract.id for contract in scenario.contracts],
        queues=[queue.id for queue in scenario.queues],
        demand=[_queue_demand(scenario, queue.id) for queue in scenario.queues],
    )


def _table(summary: ScenarioSummary) -> Table:
    table = Table(title=f"{summary.name}: valid", show_header=False)
    table.add_column("Fact")
    table.add_column("Value")
    table.add_row("Horizon", f"{summary.horizon_start} – {summary.horizon_end} ({summary.days} d)")
    table.add_row("Intervals", f"{summary.intervals} × {summary.interval_minutes} min per queue")
    sites = ", ".join(f"{site} {count}" for site, count in summary.sites.items())
    table.add_row("Agents", f"{summary.agents} ({sites})")
    table.add_row("Contracts", ", ".join(summary.contracts))
    for demand in summary.demand:
        if demand.mode == "forecast":
            text = f"{demand.volume:,.1f} contacts, {demand.workload_hours:,.1f} h handling"
        else:
            text = f"{demand.required_agent_hours:,.1f} required agent-hours"
        table.add_row(f"Queue {demand.queue} ({demand.channel})", text)
    return table


def validate(
    scenario: Annotated[
        Path, typer.Argument(help="Scenario JSON file (may reference demand_csv / agents_csv).")
    ],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a summary.")
    ] = False,
) -> None:
    """Load and validate a scenario; list every problem with its file position (exit 2)."""
    source = str(scenario)
    try:
        loaded = load_scenario(scenario)
    except ScenarioError as error:
        if json_output:
            print_json(
                InvalidScenario(
                    source=source,
                    problems=[
                        ProblemOut(where=p.where, item=p.item, message=p.message)
                        for p in error.problems
                    ],
                )
            )
            raise typer.Exit(code=2) from None
        count = len(error.problems)
        fail(
            "scenario.invalid",
            f"{source} is not a valid scenario ({count} problem{'s' if count != 1 else ''})",
            hint="Fix the listed places; `sunshift schema` prints the expected format.",
            details=[str(problem) for problem in error.problems],
        )
    summary = summarize(loaded, source)
    if json_output:
        print_json(summary)
    else:
        console.print(_table(summary))
