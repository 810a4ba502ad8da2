"""``sunshift staffing``: the agents one interval needs, from its forecast and service target."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from scheduler.cli.output import console, fail, print_json
from scheduler.staffing import StaffingInputError, StaffingResult, staff_interval

_FRACTION_HINT = "Write percentages as fractions: 0.8 means 80 %."
_FRACTION_FIELDS = frozenset({"target_sl", "max_occupancy", "shrinkage"})


def staffing(
    calls: Annotated[float, typer.Option(help="Contacts forecast for the interval, e.g. 100.")],
    interval_minutes: Annotated[float, typer.Option(help="Interval length in minutes, e.g. 30.")],
    aht_seconds: Annotated[float, typer.Option(help="Average handle time in seconds, e.g. 180.")],
    target_sl: Annotated[
        float, typer.Option(help="Share to answer within --answer-seconds, in (0, 1], e.g. 0.8.")
    ],
    answer_seconds: Annotated[
        float, typer.Option(help="Answer-time threshold in seconds, e.g. 20.")
    ],
    max_occupancy: Annotated[
        float | None, typer.Option(help="Occupancy cap in (0, 1], e.g. 0.85. Default: no cap.")
    ] = None,
    shrinkage: Annotated[
        float, typer.Option(help="Share of paid time off the queue, in [0, 1), e.g. 0.3.")
    ] = 0.0,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a table.")
    ] = False,
) -> None:
    """Erlang C staffing for one interval: agents on the queue and agents to roster."""
    given = {
        "volume": ("--calls", calls),
        "interval_seconds": ("--interval-minutes", interval_minutes),
        "aht_seconds": ("--aht-seconds", aht_seconds),
        "target_sl": ("--target-sl", target_sl),
        "answer_seconds": ("--answer-seconds", answer_seconds),
        "max_occupancy": ("--max-occupancy", max_occupancy),
        "shrinkage": ("--shrinkage", shrinkage),
    }
    try:
        result = staff_interval(
            volume=calls,
            interval_seconds=interval_minutes * 60.0,
            aht_seconds=aht_seconds,
            target_sl=target_sl,
            answer_seconds=answer_seconds,
            max_occupancy=max_occupancy,
            shrinkage=shrinkage,
        )
    except StaffingInputError as error:
        option, value = given.get(error.field, (error.field, error.value))
        fail(
            "input.invalid",
            escape(f"{option} {error.requirement}, got {value}"),
            hint=_FRACTION_HINT if error.field in _FRACTION_FIELDS else None,
        )
    if json_output:
        print_json(result)
    else:
        console.print(_table(result, answer_seconds=answer_seconds, shrinkage=shrinkage))


def _table(result: StaffingResult, *, answer_seconds: float, shrinkage: float) -> Table:
    """Human-readable summary; the numbers are the JSON ones, formatted for reading."""
    table = Table(title="Staffing for one interval (Erlang C)", show_header=False)
    table.add_column("Measure")
    table.add_column("Value", justify="right")
    table.add_row("Traffic", f"{result.traffic_erlangs:.2f} Erlangs")
    table.add_row("Agents on the queue", str(result.agents))
    table.add_row(f"Agents to roster ({shrinkage:.0%} shrinkage)", str(result.scheduled_agents))
    table.add_row(f"Service level ({answer_seconds:g} s)", f"{result.service_level:.1%}")
    table.add_row("Average speed of answer", f"{result.asa_seconds:.1f} s")
    table.add_row("Occupancy", f"{result.occupancy:.1%}")
    table.add_row("Probability of waiting", f"{result.wait_probability:.1%}")
    return table
