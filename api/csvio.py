"""CSV uploads: rows to dicts, every fault located by line and column.

A small adapter kept inside the service until ``scheduler.io`` offers the same loaders; the API's
contract (line numbers counted with the header as line 1, column names) does not change when it
moves.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from api.errors import FieldError, InvalidInput


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]

    def loc(self, column: str | None = None) -> str:
        return f"line {self.line}" + (f", column {column}" if column else "")


def read_csv(
    content: bytes, *, required: set[str], optional: set[str], source: str = "file"
) -> list[CsvRow]:
    """Decode and split a CSV upload; unknown or missing columns are refused by name."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{source} is not UTF-8 text (byte {error.start})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    if not header:
        raise InvalidInput(f"{source} is empty: expected a header line")
    errors: list[FieldError] = []
    unknown = [name for name in header if name not in required | optional]
    missing = sorted(required - set(header))
    errors += [FieldError(loc="line 1", message=f"unknown column '{name}'") for name in unknown]
    errors += [FieldError(loc="line 1", message=f"missing column '{name}'") for name in missing]
    duplicated = {name for name in header if header.count(name) > 1}
    errors += [FieldError(loc="line 1", message=f"column '{n}' appears twice") for n in duplicated]
    if errors:
        raise InvalidInput(f"{source} has a bad header", errors=errors)
    reader.fieldnames = header
    rows: list[CsvRow] = []
    for record in _records(reader):
        line = reader.line_num
        if None in record:
            errors.append(FieldError(loc=f"line {line}", message="more values than columns"))
            continue
        values = {str(k): (v or "").strip() for k, v in record.items()}
        if not any(values.values()):
            continue
        rows.append(CsvRow(line=line, values=values))
    if errors:
        raise InvalidInput(f"{source} has malformed rows", errors=errors)
    if not rows:
        raise InvalidInput(f"{source} has a header but no rows")
    return rows


def _records(reader: csv.DictReader[str]) -> Iterator[dict[str | None, str | None]]:
    try:
        yield from reader
    except csv.Error as error:
        raise InvalidInput(f"line {reader.line_num}: {error}") from None


def split_list(value: str) -> list[str]:
    """``"en;de"`` → ``["en", "de"]`` (semicolon-separated cells)."""
    return [part.strip() for part in value.split(";") if part.strip()]
