"""Scenario files: JSON with the fields of :class:`Scenario`, demand and agents optionally in CSV.

``"demand_csv": "forecast.csv"`` and ``"agents_csv": "agents.csv"`` (paths relative to the
JSON file) replace ``demand`` and ``agents``. Loading reports *every* problem at once, each at
its place in the user's files (``agents[3].timezone``, ``agents.csv:17 column timezone``),
because a planner fixing a 500-agent file should not have to re-run once per typo.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from scheduler.domain import Horizon, Policy, Problem, Scenario, ScenarioError
from scheduler.io.agents_csv import read_agents_section, write_agents_csv
from scheduler.io.cross_references import SECTIONS, check_scenario
from scheduler.io.demand_csv import read_demand_section, write_demand_csv
from scheduler.io.entries import (
    OPTIONAL_SECTIONS,
    SECTION_MODELS,
    Entry,
    Section,
    item_name,
    stand_in,
)
from scheduler.io.errors import Loc, json_path, problems_from_validation, unknown_field_message

CSV_KEYS = {"demand": "demand_csv", "agents": "agents_csv"}
_FILE_KEYS = frozenset(Scenario.model_fields) | frozenset(CSV_KEYS.values())
_REQUIRED = ("horizon", "contracts", "agents")


class _JsonConstantError(ValueError):
    """NaN and Infinity are accepted by Python's json module but are not JSON."""


def _refuse_constant(name: str) -> Any:
    raise _JsonConstantError(f"{name} is not valid JSON; write a number")


def _read_json(path: Path) -> tuple[Any, list[Problem]]:
    """Parse the file, reporting syntax errors with line and column and duplicate keys."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None, [Problem(path.name, f"file not found: {path}")]
    except UnicodeDecodeError as error:
        return None, [
            Problem(path.name, f"is not UTF-8 text ({error.reason} at byte {error.start})")
        ]
    except OSError as error:
        return None, [Problem(path.name, f"cannot be read: {error.strerror or error}")]
    duplicates: list[str] = []

    def collect_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                duplicates.append(key)
            seen[key] = value
        return seen

    try:
        data = json.loads(text, object_pairs_hook=collect_pairs, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        where = f"{path.name}:{error.lineno} column {error.colno}"
        return None, [Problem(where, f"malformed JSON: {error.msg}")]
    except _JsonConstantError as error:
        return None, [Problem(path.name, f"malformed JSON: {error}")]
    problems = [
        Problem(path.name, f"key '{key}' appears twice in one JSON object (only one can count)")
        for key in duplicates
    ]
    if not isinstance(data, dict):
        problems.append(Problem(path.name, "a scenario file must be a JSON object"))
        return None, problems
    return data, problems


def _json_section(name: str, value: Any) -> tuple[Section, list[Problem]]:
    section = Section(name=name, where=name)
    if not isinstance(value, list):
        section.readable = False
        return section, [Problem(name, f"{name} must be a list, got {type(value).__name__}")]
    model = SECTION_MODELS[name]
    problems: list[Problem] = []
    for index, raw in enumerate(value):
        locate = _prefixed(name, index)
        item = item_name(name, raw)
        try:
            section.entries.append(Entry(locate, item, model.model_validate(raw)))
        except ValidationError as error:
            problems += problems_from_validation(error, locate, item)
            fallback = stand_in(name, raw) if isinstance(raw, dict) else None
            section.entries.append(Entry(locate, item, None, fallback))
    return section, problems


def _prefixed(*prefix: str | int) -> Callable[[Loc], str]:
    def locate(loc: Loc) -> str:
        return json_path((*prefix, *loc))

    return locate


def _csv_section(name: str, value: Any, base: Path) -> tuple[Section, list[Problem]]:
    key = CSV_KEYS[name]
    if not isinstance(value, str) or not value.strip():
        section = Section(name=name, where=key, readable=False)
        return section, [Problem(key, f"{key} must be a file name such as '{name}.csv'")]
    reader = read_agents_section if name == "agents" else read_demand_section
    return reader(base / value, value)


def _section(name: str, data: dict[str, Any], base: Path) -> tuple[Section, list[Problem]]:
    csv_key = CSV_KEYS.get(name)
    if csv_key and csv_key in data:
        if name in data:
            section = Section(name=name, where=name, readable=False)
            return section, [Problem(csv_key, f"give either '{name}' or '{csv_key}', not both")]
        return _csv_section(name, data[csv_key], base)
    if name not in data:
        if name in OPTIONAL_SECTIONS:
            return Section(name=name, where=name), []
        hint = f" (or '{csv_key}')" if csv_key else ""
        return Section(name=name, where=name, readable=False), [
            Problem(name, f"missing required field '{name}'{hint}")
        ]
    return _json_section(name, data[name])


def _top_level(model: type[BaseModel], key: str, data: dict[str, Any]) -> tuple[Any, list[Problem]]:
    if key not in data:
        if key in _REQUIRED:
            return None, [Problem(key, f"missing required field '{key}'")]
        return None, []
    try:
        return model.model_validate(data[key]), []
    except ValidationError as error:
        return None, problems_from_validation(error, _prefixed(key))


def load_scenario(path: Path) -> Scenario:
    """Load and validate a scenario file (JSON, optionally with demand/agents CSV beside it).

    Parameters
    ----------
    path:
        The JSON file. ``demand_csv`` and ``agents_csv`` are resolved relative to its folder.

    Returns
    -------
    Scenario
        The validated scenario; nothing in the input is dropped or silently corrected.

    Raises
    ------
    ScenarioError
        With ``source=str(path)`` and every problem found: JSON syntax (line and column),
        unknown fields, invalid values (JSON path such as ``agents[3].timezone``, or
        ``agents.csv:17 column timezone`` for CSV), and cross-reference problems.
    """
    data, problems = _read_json(path)
    if data is None:
        raise ScenarioError(problems, source=str(path))
    for key in data:
        if key not in _FILE_KEYS:
            problems.append(Problem(key, unknown_field_message(key)))
    name = data.get("name", "scenario")
    if not isinstance(name, str):
        problems.append(Problem("name", f"name must be a string, got {json.dumps(name)}"))
        name = "scenario"
    horizon, horizon_problems = _top_level(Horizon, "horizon", data)
    policy, policy_problems = _top_level(Policy, "policy", data)
    problems += horizon_problems + policy_problems
    sections: dict[str, Section] = {}
    for section_name in SECTIONS:
        sections[section_name], section_problems = _section(section_name, data, path.parent)
        problems += section_problems
    scenario: Scenario | None = None
    if horizon is not None and all(section.readable for section in sections.values()):
        scenario, cross_problems = check_scenario(name, horizon, policy, sections)
        problems += cross_problems
    if problems or scenario is None:
        raise ScenarioError(problems, source=str(path))
    return scenario


def dump_scenario(
    scenario: Scenario,
    path: Path,
    *,
    demand_csv: str | None = None,
    agents_csv: str | None = None,
) -> None:
    """Write ``scenario`` as plain JSON that :func:`load_scenario` reads back to an equal value.

    Parameters
    ----------
    demand_csv, agents_csv:
        When given, write that list to a CSV of this name beside ``path`` and reference it
        from the JSON instead of inlining it (large forecasts are easier to edit that way).

    Raises
    ------
    ValueError
        From the CSV writers when a value cannot be expressed in CSV (see their docs).
    """
    data: dict[str, Any] = scenario.model_dump(mode="json")
    if demand_csv is not None:
        write_demand_csv(scenario.demand, path.parent / demand_csv)
    if agents_csv is not None:
        write_agents_csv(scenario.agents, path.parent / agents_csv)
    replaced = {"demand": demand_csv, "agents": agents_csv}
    output: dict[str, Any] = {}
    for key, value in data.items():
        csv_name = replaced.get(key)
        if csv_name is not None:
            output[CSV_KEYS[key]] = csv_name
        else:
            output[key] = value
    path.write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
