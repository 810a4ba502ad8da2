"""Output helpers shared by every command: JSON for machines, rich for people, one way to fail."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape

console = Console()
error_console = Console(stderr=True, soft_wrap=True)  # one error, one line, at any width


def print_json(payload: BaseModel | dict[str, Any] | list[Any]) -> None:
    """Print one JSON document on stdout (no rich markup, so it stays machine-readable)."""
    if isinstance(payload, BaseModel):
        text = payload.model_dump_json(indent=2)
    else:
        text = json.dumps(payload, indent=2, default=str)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def fail(
    code: str, message: str, hint: str | None = None, details: list[str] | None = None
) -> NoReturn:
    """Print one clear error line (plus details and a hint) on stderr and exit non-zero.

    ``code`` is a stable, machine-greppable identifier such as ``input.invalid``.
    """
    error_console.print(
        f"[bold red]error[/] {escape(f'[{code}]')} {escape(message)}", highlight=False
    )
    for line in details or []:
        error_console.print(f"  - {line}", highlight=False, markup=False)
    if hint:
        error_console.print(f"[dim]hint:[/] {escape(hint)}", highlight=False)
    raise typer.Exit(code=2)
