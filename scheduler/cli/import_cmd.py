"""``sunshift import``: convert published benchmark files into Sunshift scenario files.

``sunshift import curtois PATH --out scenario.json`` writes the scenario exactly as
``Scenario.model_dump_json(indent=2)``; a malformed instance exits 2 with an error naming its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel, ValidationError

from scheduler.benchmarks.curtois import CurtoisFormatError, parse_instance
from scheduler.benchmarks.curtois_import import to_scenario
from scheduler.cli.output import console, fail, print_json
from scheduler.domain import ScenarioError

app = typer.Typer(
    name="import",
    help="Convert benchmark instance files into Sunshift scenarios.",
    no_args_is_help=True,
    add_completion=False,
)


class ImportSummary(BaseModel):
    """What ``sunshift import curtois --json`` prints."""

    instance: str
    out: str
    days: int
    agents: int
    shift_types: int
    shift_demand_rows: int
    shift_requests: int


@app.command("curtois")
def curtois(
    path: Annotated[
        Path,
        typer.Argument(
            help="A Curtois instance file (InstanceN.txt).", exists=True, dir_okay=False
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Where to write the scenario JSON.")],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print one JSON summary instead of text.")
    ] = False,
) -> None:
    """Convert a Curtois shift-scheduling instance into a scenario whose objective is its penalty."""
    try:
        instance = parse_instance(path)
    except CurtoisFormatError as error:
        fail("curtois.invalid", str(error))
    except OSError as error:
        fail("curtois.invalid", f"{path}: cannot be read ({error.strerror or error})")
    try:
        scenario = to_scenario(instance)
    except ScenarioError as error:
        fail(
            "curtois.invalid",
            f"{path}: the instance does not fit a Sunshift scenario",
            details=[str(problem) for problem in error.problems],
        )
    except ValidationError as error:
        fail(
            "curtois.invalid",
            f"{path}: the instance does not fit a Sunshift scenario",
            details=[_validation_line(e["loc"], e["msg"]) for e in error.errors()],
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(scenario.model_dump_json(indent=2), encoding="utf-8")
    summary = ImportSummary(
        instance=instance.name,
        out=str(out),
        days=instance.days,
        agents=len(scenario.agents),
        shift_types=len(scenario.shift_types),
        shift_demand_rows=len(scenario.shift_demand),
        shift_requests=sum(len(agent.shift_requests) for agent in scenario.agents),
    )
    if json_output:
        print_json(summary)
        return
    console.print(
        f"Wrote {out}: {summary.instance}, {summary.days} days, {summary.agents} agents, "
        f"{summary.shift_types} shift types, {summary.shift_demand_rows} cover rows, "
        f"{summary.shift_requests} requests",
        highlight=False,
        markup=False,
    )


def _validation_line(loc: tuple[int | str, ...], message: str) -> str:
    """``field.path: message``, or the message alone for a model-wide check."""
    return f"{'.'.join(map(str, loc))}: {message}" if loc else message
