"""Demand as a long CSV: one row per queue and UTC interval, forecast or headcount.

Exactly one of two headers is accepted, so a file can never half-mean one thing:

* forecast: ``queue,interval_start,volume,aht_seconds``
* headcount: ``queue,interval_start,required``

``interval_start`` is ISO 8601 with ``Z`` or an offset; a naive timestamp is refused rather than
guessed, because the same wall-clock time means different instants in Manila and Chicago.
Checks that need the scenario (horizon grid, missing or duplicate intervals, undefined queues)
happen in :func:`scheduler.io.load_scenario`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from scheduler.domain import DemandRow, Problem, ScenarioError
from scheduler.io.cells import CellFormatError, format_number, parse_number
from scheduler.io.csv_tables import CsvRow, cell_where, in_file_order, read_csv_table
from scheduler.io.entries import Entry, Section, stand_in
from scheduler.io.errors import Loc, Locator, problems_from_validation
from scheduler.timeutil import parse_utc, utc_iso

FORECAST_COLUMNS = ("queue", "interval_start", "volume", "aht_seconds")
HEADCOUNT_COLUMNS = ("queue", "interval_start", "required")
_KEY_COLUMNS = ("queue", "interval_start")


def _format_problems(label: str, columns: tuple[str, ...]) -> list[Problem]:
    """Header problems specific to demand: one format, complete."""
    forecast = [c for c in ("volume", "aht_seconds") if c in columns]
    headcount = "required" in columns
    where = cell_where(label, 1)
    if forecast and headcount:
        return [
            Problem(
                where,
                "mixes both demand formats (volume/aht_seconds and required); use either "
                "'queue,interval_start,volume,aht_seconds' or 'queue,interval_start,required'",
            )
        ]
    if not forecast and not headcount:
        return [Problem(where, "missing columns: give volume and aht_seconds, or required")]
    return [
        Problem(where, f"missing column '{name}' (a forecast needs volume and aht_seconds)")
        for name in ("volume", "aht_seconds")
        if forecast and name not in columns
    ]


def _row_locator(label: str, line: int) -> Locator:
    def locate(loc: Loc) -> str:
        return cell_where(label, line, str(loc[0]) if loc else None)

    return locate


def _parse_row(
    row: CsvRow, label: str, value_columns: tuple[str, ...]
) -> tuple[dict[str, Any], list[Problem]]:
    queue = row.cells["queue"] or None
    values: dict[str, Any] = {"queue": queue}
    problems: list[Problem] = []

    def complain(column: str, message: str) -> None:
        problems.append(Problem(cell_where(label, row.line, column), message, queue))

    if queue is None:
        complain("queue", "queue is empty")
    text = row.cells["interval_start"]
    if not text:
        complain("interval_start", "interval_start is empty")
    else:
        try:
            values["interval_start"] = parse_utc(text)
        except ValueError as error:
            # parse_utc explains a naive timestamp itself; anything else is not ISO 8601 at all.
            naive = "no UTC offset" in str(error)
            reason = str(error) if naive else f"'{text}' is not an ISO 8601 timestamp"
            complain("interval_start", f"interval_start {reason}")
    for column in value_columns:
        cell = row.cells[column]
        if not cell:
            complain(column, f"{column} is empty (write 0 for a closed interval)")
            continue
        try:
            values[column] = parse_number(cell)
        except CellFormatError as error:
            complain(column, error.for_column(column))
    return values, problems


def read_demand_section(path: Path, label: str) -> tuple[Section, list[Problem]]:
    """Read a demand CSV into a scenario section, collecting every row problem.

    Returns
    -------
    tuple[Section, list[Problem]]
        Valid rows as :class:`DemandRow` entries located at their CSV line; invalid rows as
        stand-ins (or nothing) plus the problems that explain them.
    """
    section = Section(name="demand", where=label)
    table, problems = read_csv_table(
        path, label, required=_KEY_COLUMNS, optional=("volume", "aht_seconds", "required")
    )
    header_problems = [] if table is None else _format_problems(label, table.columns)
    problems += header_problems
    if table is None or header_problems:
        section.readable = False
        return section, problems
    value_columns = ("required",) if "required" in table.columns else ("volume", "aht_seconds")
    for row in table.rows:
        values, row_problems = _parse_row(row, label, value_columns)
        locate = _row_locator(label, row.line)
        model: DemandRow | None = None
        if not row_problems:
            try:
                model = DemandRow.model_validate(values)
            except ValidationError as error:
                row_problems = problems_from_validation(error, locate, values["queue"])
        problems += row_problems
        section.entries.append(
            Entry(
                locate=locate,
                item=values["queue"],
                model=model,
                stand_in=None if model is not None else stand_in("demand", values),
            )
        )
    return section, in_file_order(problems)


def load_demand_csv(path: Path) -> list[DemandRow]:
    """Load a demand CSV on its own (row checks only; grid and horizon need a scenario).

    Raises
    ------
    ScenarioError
        Listing every problem, each located as ``forecast.csv:17 column volume``.
    """
    section, problems = read_demand_section(path, path.name)
    if problems:
        raise ScenarioError(problems, source=str(path))
    return [entry.model for entry in section.entries if isinstance(entry.model, DemandRow)]


def write_demand_csv(rows: Sequence[DemandRow], path: Path) -> None:
    """Write demand rows in the long format :func:`load_demand_csv` reads back.

    Raises
    ------
    ValueError
        When the rows mix forecast and headcount rows, which one CSV header cannot express.
    """
    modes = {row.is_forecast for row in rows}
    if len(modes) > 1:
        raise ValueError("demand mixes forecast and headcount rows; one CSV holds one format")
    forecast = modes != {False}
    columns = FORECAST_COLUMNS if forecast else HEADCOUNT_COLUMNS
    records = [
        (
            row.queue,
            utc_iso(row.interval_start),
            *(
                (format_number(row.volume or 0.0), format_number(row.aht_seconds or 0.0))
                if forecast
                else (format_number(row.required or 0.0),)
            ),
        )
        for row in rows
    ]
    frame = pd.DataFrame(records, columns=list(columns))
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
