"""Turn pydantic validation errors into :class:`~scheduler.domain.Problem` entries.

Pydantic reports a location tuple and a terse message ("Input should be greater than 0"). A
person fixing a scenario file needs the place in *their* file (a JSON path or a CSV row and
column), the agent or queue concerned, and a message that repeats the offending field and value.
This module does that translation once, for every loader.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from scheduler.domain import (
    Agent,
    AvailabilityWindow,
    BreakRule,
    Contract,
    DaysOffPreference,
    DemandRow,
    Horizon,
    ObjectiveWeights,
    Policy,
    Preferences,
    Problem,
    Queue,
    Scenario,
    ScenarioError,
    ServiceTarget,
    StartWindowPreference,
    TimeOff,
)

Loc = tuple[str | int, ...]
Locator = Callable[[Loc], str]

_MODELS: tuple[type[BaseModel], ...] = (
    Agent,
    AvailabilityWindow,
    BreakRule,
    Contract,
    DaysOffPreference,
    DemandRow,
    Horizon,
    ObjectiveWeights,
    Policy,
    Preferences,
    Queue,
    Scenario,
    ServiceTarget,
    StartWindowPreference,
    TimeOff,
)
# Every field name a scenario file may use, so a misspelt key gets a "did you mean" hint.
_KNOWN_FIELDS = sorted(
    {name for model in _MODELS for name in model.model_fields} | {"demand_csv", "agents_csv"}
)
_MAX_VALUE_CHARS = 60


def json_path(loc: Sequence[str | int]) -> str:
    """Render a pydantic location as the JSON path a person would type.

    >>> json_path(("agents", 3, "availability", 0, "start"))
    'agents[3].availability[0].start'
    >>> json_path(())
    '(top level)'
    """
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def describe_value(value: Any) -> str:
    """A short, quoted rendering of an offending input value for an error message.

    >>> describe_value("Mars/Olympus"), describe_value(1.5), describe_value("x" * 80)[-4:]
    ("'Mars/Olympus'", '1.5', "...'")
    """
    text = repr(value)
    if len(text) > _MAX_VALUE_CHARS:
        text = text[: _MAX_VALUE_CHARS - 4] + "...'"
    return text


def unknown_field_message(name: str) -> str:
    """Message for a key no model accepts, with the closest known field when one is near.

    >>> unknown_field_message("timezon")
    "unknown field 'timezon' (did you mean 'timezone'?)"
    """
    close = difflib.get_close_matches(name, _KNOWN_FIELDS, n=1, cutoff=0.75)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown field '{name}'{hint}"


def error_message(error: ErrorDetails) -> str:
    """One readable sentence for one pydantic error that names the field and the value."""
    loc = error["loc"]
    field = next((part for part in reversed(loc) if isinstance(part, str)), None)
    kind = error["type"]
    if kind == "missing":
        return f"missing required field '{field}'" if field else "a required value is missing"
    if kind == "extra_forbidden":
        return unknown_field_message(str(field))
    cause = (error.get("ctx") or {}).get("error")
    if kind == "value_error" and isinstance(cause, ValueError):
        # Domain validators already name the element and value; keep their words.
        return str(cause)
    if kind == "timezone_aware":
        return (
            f"{field} {describe_value(error['input'])} has no UTC offset; "
            "write it as ISO 8601 with Z or +HH:MM"
        )
    message = error["msg"]
    message = message[0].lower() + message[1:] if message else message
    subject = f"{field} " if field else ""
    return f"{subject}{describe_value(error['input'])}: {message}"


def problems_from_validation(
    error: ValidationError, locate: Locator, item: str | None = None
) -> list[Problem]:
    """Convert every error in ``error`` (except nested :class:`ScenarioError`) into a Problem.

    Parameters
    ----------
    error:
        The pydantic error raised while validating one item (or a whole scenario).
    locate:
        Maps a pydantic location (relative to what was validated) to the place in the user's
        file, e.g. ``agents[3].timezone`` or ``agents.csv:17 column timezone``.
    item:
        The agent, queue or contract id the validated value belongs to, when known.

    Returns
    -------
    list[Problem]
        One problem per error, in pydantic's order. Cross-reference problems raised as a
        :class:`ScenarioError` are left to :func:`nested_scenario_errors`, because their
        locations need remapping onto the input files.
    """
    problems: list[Problem] = []
    for details in error.errors():
        if isinstance((details.get("ctx") or {}).get("error"), ScenarioError):
            continue
        problems.append(Problem(locate(tuple(details["loc"])), error_message(details), item))
    return problems


def nested_scenario_errors(error: ValidationError) -> list[ScenarioError]:
    """The :class:`ScenarioError` instances pydantic wrapped inside ``error``, if any."""
    found: list[ScenarioError] = []
    for details in error.errors():
        cause = (details.get("ctx") or {}).get("error")
        if isinstance(cause, ScenarioError):
            found.append(cause)
    return found
