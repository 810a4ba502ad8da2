"""Agents as a CSV, one person per row, in the compact cell grammar of :mod:`scheduler.io.cells`.

Columns (``id``, ``timezone``, ``skills`` and ``contract`` are required, the rest optional)::

    id,name,email,timezone,site,skills,contract,cost_per_hour,employment,availability,time_off,
    preferred_start,preferred_days_off

An empty optional cell means the model's default (no email, site ``remote``, cost 0,
``employee``, always available, no time off, no preference). Checks across rows and files
(duplicate ids, undefined queues or contracts) happen in :func:`scheduler.io.load_scenario`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from scheduler.domain import Agent, Problem, ScenarioError
from scheduler.io.cells import (
    CellFormatError,
    format_availability,
    format_days_off_preference,
    format_number,
    format_start_preference,
    format_time_off,
    parse_availability,
    parse_days_off_preference,
    parse_list,
    parse_number,
    parse_start_preference,
    parse_time_off,
)
from scheduler.io.csv_tables import CsvRow, cell_where, in_file_order, read_csv_table
from scheduler.io.entries import Entry, Section, stand_in
from scheduler.io.errors import Loc, Locator, problems_from_validation

REQUIRED_COLUMNS = ("id", "timezone", "skills", "contract")
OPTIONAL_COLUMNS = (
    "name",
    "email",
    "site",
    "cost_per_hour",
    "employment",
    "availability",
    "time_off",
    "preferred_start",
    "preferred_days_off",
)
COLUMNS = (
    "id",
    "name",
    "email",
    "timezone",
    "site",
    "skills",
    "contract",
    "cost_per_hour",
    "employment",
    "availability",
    "time_off",
    "preferred_start",
    "preferred_days_off",
)
_PREFERENCE_COLUMNS = {"start_window": "preferred_start", "days_off": "preferred_days_off"}
# Cells whose text goes to the model as is (empty = the model's default, except required ones).
_PLAIN = ("id", "name", "email", "timezone", "site", "contract", "employment")
_PARSED: dict[str, Callable[[str], Any]] = {
    "skills": parse_list,
    "cost_per_hour": parse_number,
    "availability": parse_availability,
    "time_off": parse_time_off,
}


def column_for(loc: Loc) -> str | None:
    """The CSV column holding the value at a pydantic location inside :class:`Agent`.

    The only rule over a whole agent is that availability windows do not overlap, so a
    whole-row error is reported on the ``availability`` column.

    >>> column_for(("preferences", "start_window", "latest")), column_for(())
    ('preferred_start', 'availability')
    """
    if not loc:
        return "availability"
    if loc[0] == "preferences":
        return _PREFERENCE_COLUMNS.get(str(loc[1]), "preferred_start") if len(loc) > 1 else None
    return str(loc[0])


def _row_locator(label: str, line: int) -> Locator:
    def locate(loc: Loc) -> str:
        return cell_where(label, line, column_for(loc))

    return locate


def _parse_row(row: CsvRow, label: str) -> tuple[dict[str, Any], list[Problem]]:
    cells = row.cells
    agent_id = cells["id"] or None
    values: dict[str, Any] = {}
    problems: list[Problem] = []

    def complain(column: str, message: str) -> None:
        problems.append(Problem(cell_where(label, row.line, column), message, agent_id))

    for column in REQUIRED_COLUMNS:
        if not cells[column]:
            complain(column, f"{column} is empty")
    for column in _PLAIN:
        if cells.get(column):
            values[column] = cells[column]
    for column, parse in _PARSED.items():
        if cells.get(column):
            try:
                values[column] = parse(cells[column])
            except CellFormatError as error:
                complain(column, error.for_column(column))
    preferences: dict[str, Any] = {}
    for key, column, parse_preference in (
        ("start_window", "preferred_start", parse_start_preference),
        ("days_off", "preferred_days_off", parse_days_off_preference),
    ):
        try:
            preferences[key] = parse_preference(cells.get(column, ""))
        except CellFormatError as error:
            complain(column, error.for_column(column))
    values["preferences"] = preferences
    return values, problems


def read_agents_section(path: Path, label: str) -> tuple[Section, list[Problem]]:
    """Read an agents CSV into a scenario section, collecting every cell problem.

    Returns
    -------
    tuple[Section, list[Problem]]
        Valid rows as :class:`Agent` entries located at their CSV line; invalid rows as
        stand-ins (id, skills and contract only) plus the problems that explain them.
    """
    section = Section(name="agents", where=label)
    table, problems = read_csv_table(path, label, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    if table is None:
        section.readable = False
        return section, problems
    for row in table.rows:
        values, row_problems = _parse_row(row, label)
        agent_id = row.cells["id"] or None
        locate = _row_locator(label, row.line)
        model: Agent | None = None
        if not row_problems:
            try:
                model = Agent.model_validate(values)
            except ValidationError as error:
                row_problems = problems_from_validation(error, locate, agent_id)
        problems += row_problems
        section.entries.append(
            Entry(
                locate=locate,
                item=agent_id,
                model=model,
                stand_in=None if model is not None else stand_in("agents", values),
            )
        )
    return section, in_file_order(problems)


def load_agents_csv(path: Path) -> list[Agent]:
    """Load an agents CSV on its own (cell and row checks; cross-references need a scenario).

    Raises
    ------
    ScenarioError
        Listing every problem, each located as ``agents.csv:17 column timezone`` and naming
        the agent id when the row has one.
    """
    section, problems = read_agents_section(path, path.name)
    if problems:
        raise ScenarioError(problems, source=str(path))
    return [entry.model for entry in section.entries if isinstance(entry.model, Agent)]


def agent_record(agent: Agent) -> dict[str, str]:
    """One agent as CSV cells, the exact inverse of reading a row."""
    return {
        "id": agent.id,
        "name": agent.name,
        "email": agent.email or "",
        "timezone": agent.timezone,
        "site": agent.site,
        "skills": "|".join(agent.skills),
        "contract": agent.contract,
        "cost_per_hour": format_number(agent.cost_per_hour),
        "employment": agent.employment,
        "availability": format_availability(agent.availability),
        "time_off": format_time_off(agent.time_off),
        "preferred_start": format_start_preference(agent.preferences.start_window),
        "preferred_days_off": format_days_off_preference(agent.preferences.days_off),
    }


def write_agents_csv(agents: Sequence[Agent], path: Path) -> None:
    """Write agents in the grammar :func:`load_agents_csv` reads back.

    Raises
    ------
    ValueError
        When a value cannot be written in the grammar (an empty string e-mail, a time-off
        reason containing ``;``), rather than writing something that reads back differently.
    """
    for agent in agents:
        if agent.email == "":
            raise ValueError(f"agent '{agent.id}': an empty e-mail cannot be told from none in CSV")
    frame = pd.DataFrame([agent_record(agent) for agent in agents], columns=list(COLUMNS))
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
