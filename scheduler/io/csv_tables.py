"""Read a CSV file into rows of text cells, keeping the line number a person sees.

Both CSV loaders need the same groundwork: UTF-8 (with or without Excel's BOM), every cell as
text (nothing guesses dtypes or turns ``NA`` into a missing value), a strict header, and row
numbers as a spreadsheet shows them (header = line 1). Interpreting the cells is the job of
the table-specific modules.
"""

from __future__ import annotations

import csv
import difflib
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from scheduler.domain import Problem


@dataclass(frozen=True)
class CsvRow:
    """One data row: its spreadsheet line number and its cells by column name (stripped)."""

    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's usable content. ``label`` is the name problems use for the file."""

    label: str
    columns: tuple[str, ...]
    rows: list[CsvRow]


def cell_where(label: str, line: int, column: str | None = None) -> str:
    """The location of a row or cell, as in ``agents.csv:17 column timezone``.

    >>> cell_where("agents.csv", 17, "timezone")
    'agents.csv:17 column timezone'
    """
    return f"{label}:{line}" + (f" column {column}" if column else "")


def in_file_order(problems: list[Problem]) -> list[Problem]:
    """Problems sorted by row (file-level ones first), keeping column order within a row.

    >>> [p.where for p in in_file_order([Problem("a.csv:10", "x"), Problem("a.csv:9 column id", "y")])]
    ['a.csv:9 column id', 'a.csv:10']
    """

    def row(problem: Problem) -> int:
        _, _, position = problem.where.rpartition(":")
        line = position.split(" ", 1)[0]
        return int(line) if line.isdigit() else 0

    return sorted(problems, key=row)


def _read_cells(path: Path, label: str) -> tuple[list[list[str]], list[Problem]]:
    """Every record of the file as stripped text cells (record *n* is spreadsheet row *n*).

    The standard :mod:`csv` tokenizer is used rather than ``pandas.read_csv``: pandas stops at
    the first row with too many cells and renumbers rows around the ones it skips, while here
    every ragged row is reported with its own row number.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            records = [[cell.strip() for cell in record] for record in csv.reader(handle)]
    except FileNotFoundError:
        return [], [Problem(label, f"file not found: {path}")]
    except UnicodeDecodeError as error:
        return [], [Problem(label, f"is not UTF-8 text ({error.reason} at byte {error.start})")]
    except OSError as error:
        return [], [Problem(label, f"cannot be read: {error.strerror or error}")]
    except csv.Error as error:
        return [], [Problem(label, f"is not a well-formed CSV: {error}")]
    if not records or not any(records[0]):
        return [], [Problem(label, "file is empty or starts with a blank line; expected a header")]
    return records, []


def read_csv_table(
    path: Path, label: str, required: Collection[str], optional: Collection[str] = ()
) -> tuple[CsvTable | None, list[Problem]]:
    """Read ``path`` and check its header against the columns a table accepts.

    Parameters
    ----------
    path:
        The CSV file.
    label:
        How problems name the file (as the user wrote it, e.g. ``agents.csv``).
    required, optional:
        Column names; any other column is an error (a typo must not be ignored).

    Returns
    -------
    tuple[CsvTable | None, list[Problem]]
        The table (``None`` when the file is unreadable or a required column is missing, since
        its rows cannot be interpreted) and every header problem. Wholly blank rows are skipped:
        they carry no data, and line numbers of the other rows stay those of the file.
    """
    records, problems = _read_cells(path, label)
    if problems:
        return None, problems
    header = records[0]
    known = [*required, *optional]
    for position, name in enumerate(header, start=1):
        if not name:
            problems.append(Problem(cell_where(label, 1), f"column {position} has no name"))
        elif name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            expected = ", ".join(known)
            problems.append(
                Problem(
                    cell_where(label, 1, name),
                    f"unknown column '{name}'{hint}; this table takes {expected}",
                )
            )
    for name, count in Counter(header).items():
        if name and count > 1:
            problems.append(
                Problem(cell_where(label, 1, name), f"column '{name}' appears {count} times")
            )
    missing = [name for name in required if name not in header]
    for name in missing:
        problems.append(Problem(cell_where(label, 1), f"missing column '{name}'"))
    if missing:
        return None, problems
    rows: list[CsvRow] = []
    for line, record in enumerate(records[1:], start=2):
        if not any(record):
            continue
        if len(record) != len(header):
            problems.append(
                Problem(
                    cell_where(label, line),
                    f"row has {len(record)} cells but the header has {len(header)} columns",
                )
            )
            continue
        rows.append(CsvRow(line=line, cells=dict(zip(header, record, strict=True))))
    return CsvTable(label=label, columns=tuple(header), rows=rows), problems
