"""Turn pydantic and scenario errors into located ``FieldError``s."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from api.errors import FieldError
from scheduler.domain import Problem


def dotted(loc: Sequence[int | str]) -> str:
    """``("body", "agents", 0, "timezone")`` → ``body.agents[0].timezone``.

    >>> dotted(("body", "agents", 0, "timezone"))
    'body.agents[0].timezone'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def field_errors(
    error: ValidationError, prefix: Sequence[int | str] = (), item: str | None = None
) -> list[FieldError]:
    return [
        FieldError(
            loc=dotted([*prefix, *detail["loc"]]),
            message=detail["msg"].removeprefix("Value error, "),
            item=item,
        )
        for detail in error.errors()
    ]


def problem_errors(problems: Sequence[Problem]) -> list[FieldError]:
    return [FieldError(loc=p.where, message=p.message, item=p.item) for p in problems]
