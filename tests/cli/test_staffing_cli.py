"""``sunshift staffing`` and ``sunshift capacity``: JSON contract, tables, and input errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from scheduler.cli.app import app

runner = CliRunner()

CASE_1 = [
    "staffing",
    "--calls",
    "100",
    "--interval-minutes",
    "30",
    "--aht-seconds",
    "180",
    "--target-sl",
    "0.8",
    "--answer-seconds",
    "20",
]


def test_staffing_json_case_1() -> None:
    """REFERENCES case 1 (src B, CRAN ErlangC 0.1.0; src A shrinkage check ⌈14 / 0.7⌉ = 20):
    14 agents, 20 rostered at 30 % shrinkage, SL 0.88835, ASA 7.8359 s, occupancy 0.7142857."""
    result = runner.invoke(app, [*CASE_1, "--shrinkage", "0.3", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert isinstance(payload, dict)
    assert payload["agents"] == 14
    assert payload["scheduled_agents"] == 20
    assert payload["service_level"] == pytest.approx(0.88835, abs=1e-5)
    assert payload["asa_seconds"] == pytest.approx(7.8359, abs=1e-4)
    assert payload["occupancy"] == pytest.approx(0.7142857, abs=1e-7)
    assert payload["traffic_erlangs"] == pytest.approx(10.0)
    assert payload["wait_probability"] == pytest.approx(0.1741319, abs=1e-7)


def test_staffing_json_occupancy_cap_binds() -> None:
    """REFERENCES case 7 (src C, pyworkforce): 70 % cap, T = 19.8 s → 15 raw, 22 rostered."""
    args = [*CASE_1[:-1], "19.8", "--max-occupancy", "0.7", "--shrinkage", "0.3", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert (payload["agents"], payload["scheduled_agents"]) == (15, 22)
    assert payload["occupancy"] == pytest.approx(2 / 3)


def test_staffing_without_shrinkage_rosters_the_raw_agents() -> None:
    """Shrinkage defaults to 0, so scheduled == agents."""
    payload = json.loads(runner.invoke(app, [*CASE_1, "--json"]).stdout)
    assert payload["agents"] == payload["scheduled_agents"] == 14


def test_staffing_table_for_people() -> None:
    """Without --json a table shows the same numbers."""
    result = runner.invoke(app, [*CASE_1, "--shrinkage", "0.3"])
    assert result.exit_code == 0, result.output
    assert "Agents on the queue" in result.stdout
    assert "14" in result.stdout
    assert "20" in result.stdout
    assert "88.8%" in result.stdout


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--target-sl", "1.5"),
        ("--aht-seconds", "0"),
        ("--interval-minutes", "0"),
        ("--calls", "-10"),
        ("--shrinkage", "1"),
        ("--max-occupancy", "1.2"),
    ],
)
def test_staffing_bad_input_fails_cleanly(option: str, value: str) -> None:
    """input.invalid: exit code 2, the option and the value named, no traceback, no JSON."""
    result = runner.invoke(app, [*CASE_1, option, value, "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert option in result.stderr
    assert f"got {float(value)}" in result.stderr
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception)  # only the clean SystemExit(2)


def test_capacity_json() -> None:
    """Worked example: 20,000 × 0.06 × 15 min = 300 h over 160 × 0.75 × 0.8 = 96 h → 3.125."""
    args = [
        "capacity",
        "--customers",
        "20000",
        "--incident-rate",
        "0.06",
        "--aht-minutes",
        "15",
        "--paid-hours-per-month",
        "160",
        "--shrinkage",
        "0.25",
        "--occupancy",
        "0.8",
    ]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["tickets"] == pytest.approx(1200)
    assert payload["workload_hours"] == pytest.approx(300)
    assert payload["productive_hours_per_fte"] == pytest.approx(96)
    assert payload["fte"] == pytest.approx(3.125)
    assert payload["fte_rounded_up"] == 4
    table = runner.invoke(app, args)
    assert table.exit_code == 0
    assert "3.12" in table.stdout


def test_capacity_bad_input_fails_cleanly() -> None:
    """input.invalid for an occupancy above 1: exit 2 and the option named."""
    args = ["capacity", "--customers", "100", "--incident-rate", "0.1", "--aht-minutes", "10"]
    result = runner.invoke(app, [*args, "--paid-hours-per-month", "160", "--occupancy", "1.2"])
    assert result.exit_code == 2
    assert "--occupancy" in result.stderr
    assert "1.2" in result.stderr
    assert "Traceback" not in result.output
