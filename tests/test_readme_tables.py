"""The README's tables render: each has a separator row under its header and every row has the
header's cell count (a table pasted without its ``|---|`` row shows as loose text on GitHub,
and one README table shipped that way, with a stale row in it)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
SEPARATOR = re.compile(r"^\|(\s*:?-{3,}:?\s*\|)+$")


def _tables(text: str) -> list[list[str]]:
    """Runs of consecutive lines that start with ``|``, outside fenced code blocks."""
    tables: list[list[str]] = []
    current: list[str] = []
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("|"):
            current.append(line.rstrip())
            continue
        if current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def _cells(row: str) -> int:
    return len(row.strip().strip("|").split("|"))


def test_the_helpers_see_a_table_without_its_separator() -> None:
    broken = "text\n| a | b |\n| 1 | 2 |\n\n| a |\n|---|\n| 1 |\n"
    tables = _tables(broken)
    assert [len(table) for table in tables] == [2, 3]
    assert not SEPARATOR.match(tables[0][1]) and SEPARATOR.match(tables[1][1])


def test_every_readme_table_has_a_separator_row_and_even_rows() -> None:
    tables = _tables(README.read_text(encoding="utf-8"))
    assert tables, "the README has tables (Performance)"
    for table in tables:
        header = table[0]
        assert len(table) >= 2 and SEPARATOR.match(table[1]), f"no separator under: {header}"
        width = _cells(header)
        assert _cells(table[1]) == width, f"separator width differs under: {header}"
        for row in table[2:]:
            assert _cells(row) == width, f"{row!r} has {_cells(row)} cells, the header {width}"
