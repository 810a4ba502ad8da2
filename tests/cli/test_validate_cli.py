"""``sunshift validate`` and ``sunshift schema``: exit codes, JSON contract, readable errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from scheduler.cli.app import app

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_valid_scenario_json_summary() -> None:
    path = FIXTURES / "follow-the-sun" / "scenario.json"
    result = runner.invoke(app, ["validate", str(path), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["valid"] is True
    assert payload["agents"] == 45
    assert payload["intervals"] == 14 * 48
    assert payload["horizon_start"] == "2026-03-23T00:00:00Z"
    assert set(payload["sites"]) == {"Athens", "Chicago", "Copenhagen", "Manila", "Riyadh", "Sydney"}
    assert sum(payload["sites"].values()) == 45
    assert payload["queues"] == ["en-chat", "da-phone", "el-phone", "ar-chat", "en-email"]
    demand = {row["queue"]: row for row in payload["demand"]}
    assert demand["da-phone"]["mode"] == "forecast"
    assert demand["da-phone"]["volume"] > 0


def test_headcount_summary() -> None:
    result = runner.invoke(app, ["validate", str(FIXTURES / "small" / "tiny.json"), "--json"])
    assert result.exit_code == 0, result.output
    [demand] = json.loads(result.stdout)["demand"]
    # 08–10 and 16–18 local need 1, 10–16 need 2: 4 h × 1 + 6 h × 2 = 16 agent-hours.
    assert demand == {
        "queue": "da-phone",
        "channel": "phone",
        "mode": "headcount",
        "volume": None,
        "workload_hours": None,
        "required_agent_hours": 16.0,
    }


def test_valid_scenario_human_summary() -> None:
    result = runner.invoke(app, ["validate", str(FIXTURES / "small" / "two_zones.json")])
    assert result.exit_code == 0, result.output
    assert "two-zones: valid" in result.stdout
    assert "Copenhagen 2, Sydney 2" in result.stdout


def test_invalid_scenario_json_lists_problems_and_exits_2() -> None:
    path = FIXTURES / "invalid" / "multiple_problems.json"
    result = runner.invoke(app, ["validate", str(path), "--json"])
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert payload["valid"] is False
    assert payload["source"] == str(path)
    assert [(p["where"], p["item"]) for p in payload["problems"]] == [
        ("agents[0].timezone", "cph01"),
        ("demand[4].volume", "en-chat"),
        ("agents[1].skills", "syd01"),
    ]
    assert "'Europe/Kobenhavn'" in payload["problems"][0]["message"]


def test_invalid_scenario_prints_one_line_per_problem_without_traceback() -> None:
    path = FIXTURES / "invalid" / "csv_references" / "scenario.json"
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    # one line each, never wrapped at the console width: logs and greps see whole problems
    problems, hint = result.stderr.rstrip("\n").rsplit("\nhint: ", 1)
    head, *details = problems.split("\n  - ")
    assert all("\n" not in line for line in [head, *details, hint])
    assert head.startswith("error [scenario.invalid]")
    assert head.endswith("is not a valid scenario (4 problems)")
    assert len(details) == 4
    assert details[0] == (
        "agents.csv:5 column id (cph01): id 'cph01' is defined 2 times "
        "(agents.csv:2 column id, agents.csv:5 column id)"
    )
    assert details[3].startswith("forecast.csv (en-chat): 1 of 24 intervals have no demand row")
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_missing_file_is_invalid_not_a_crash(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.json"), "--json"])
    assert result.exit_code == 2
    [problem] = json.loads(result.stdout)["problems"]
    assert problem["where"] == "nope.json"
    assert "file not found" in problem["message"]


def test_schema_to_stdout_covers_csv_alternatives() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert {"demand_csv", "agents_csv", "agents", "demand", "horizon"} <= set(schema["properties"])
    assert "agents" not in schema["required"]
    assert {"oneOf": [{"required": ["agents"]}, {"required": ["agents_csv"]}]} in schema["allOf"]


def test_schema_to_file(tmp_path: Path) -> None:
    out = tmp_path / "scenario.schema.json"
    result = runner.invoke(app, ["schema", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["title"] == "Scenario"
    assert str(out) in result.stdout
