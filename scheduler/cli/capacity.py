"""``sunshift capacity``: monthly FTE by rule of thumb, from customers and ticket rate."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from scheduler.cli.output import console, fail, print_json
from scheduler.staffing import CapacityEstimate, StaffingInputError, estimate_capacity

_FRACTION_HINT = "Write percentages as fractions: 0.3 means 30 %."


def capacity(
    customers: Annotated[int, typer.Option(help="Customers served, e.g. 20000.")],
    incident_rate: Annotated[
        float, typer.Option(help="Tickets per customer per month, e.g. 0.06.")
    ],
    aht_minutes: Annotated[float, typer.Option(help="Average handle time per ticket in minutes.")],
    paid_hours_per_month: Annotated[
        float, typer.Option(help="Paid hours of one FTE per month, e.g. 160.")
    ],
    shrinkage: Annotated[
        float, typer.Option(help="Share of paid time off tickets, in [0, 1), e.g. 0.3.")
    ] = 0.0,
    occupancy: Annotated[
        float, typer.Option(help="Share of available time spent on tickets, in (0, 1].")
    ] = 0.85,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of a table.")
    ] = False,
) -> None:
    """Rule-of-thumb FTE for a month of tickets (no intraday peaks: a budgeting floor)."""
    try:
        estimate = estimate_capacity(
            customers=customers,
            incident_rate=incident_rate,
            aht_minutes=aht_minutes,
            paid_hours_per_month=paid_hours_per_month,
            shrinkage=shrinkage,
            occupancy=occupancy,
        )
    except StaffingInputError as error:
        option = "--" + error.field.replace("_", "-")
        fail(
            "input.invalid",
            escape(f"{option} {error.requirement}, got {error.value}"),
            hint=_FRACTION_HINT if error.field in {"shrinkage", "occupancy"} else None,
        )
    if json_output:
        print_json(estimate)
    else:
        console.print(_table(estimate))


def _table(estimate: CapacityEstimate) -> Table:
    """Human-readable summary, showing each step of the rule of thumb."""
    table = Table(title="Monthly capacity estimate", show_header=False)
    table.add_column("Measure")
    table.add_column("Value", justify="right")
    table.add_row("Tickets per month", f"{estimate.tickets:,.0f}")
    table.add_row("Workload", f"{estimate.workload_hours:,.1f} h")
    table.add_row("Productive hours per FTE", f"{estimate.productive_hours_per_fte:,.1f} h")
    table.add_row("FTE", f"{estimate.fte:.2f}")
    table.add_row("FTE (whole people)", str(estimate.fte_rounded_up))
    return table
