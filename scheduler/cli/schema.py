"""``sunshift schema``: the JSON Schema of scenario files, for editors and other tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from scheduler.cli.output import console, fail, print_json
from scheduler.io import scenario_file_schema


def schema(
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the schema to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of a scenario file (including demand_csv / agents_csv)."""
    document = scenario_file_schema()
    if out is None:
        print_json(document)
        return
    try:
        out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        fail("output.unwritable", f"cannot write {out}: {error.strerror}")
    console.print(f"wrote the scenario schema to {out}", highlight=False, markup=False)
