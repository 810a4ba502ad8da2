"""The JSON Schema of a scenario *file*: the Scenario model plus its CSV alternatives."""

from __future__ import annotations

from typing import Any

from scheduler.domain import Scenario
from scheduler.io.scenario_file import CSV_KEYS


def scenario_file_schema() -> dict[str, Any]:
    """JSON Schema for what :func:`scheduler.io.load_scenario` accepts.

    ``agents`` may be replaced by ``agents_csv`` and ``demand`` by ``demand_csv`` (file names
    relative to the scenario file), but never both, so editors can flag either mistake.
    """
    schema = Scenario.model_json_schema()
    properties: dict[str, Any] = schema["properties"]
    for section, key in CSV_KEYS.items():
        properties[key] = {
            "type": "string",
            "minLength": 1,
            "title": key.replace("_", " ").title().replace("Csv", "CSV"),
            "description": f"CSV file with the {section}, relative to this file "
            f"(replaces '{section}').",
        }
    schema["required"] = [name for name in schema.get("required", []) if name != "agents"]
    schema["allOf"] = [
        {"oneOf": [{"required": ["agents"]}, {"required": ["agents_csv"]}]},
        {"not": {"required": ["demand", "demand_csv"]}},
    ]
    schema["description"] = (
        "A Sunshift scenario file. " + (schema.get("description") or "")
    ).strip()
    return schema
