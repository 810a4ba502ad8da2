"""Scenario files: every broken fixture reports the right place, item and words; round-trips."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scheduler.domain import Problem, Scenario, ScenarioError
from scheduler.io import dump_scenario, load_scenario

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
INVALID = FIXTURES / "invalid"


def problems_in(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.source == str(path)
    return caught.value.problems


def test_base_of_the_broken_fixtures_is_valid() -> None:
    """Each broken fixture is this file with one change, so its problems come from that change."""
    scenario = load_scenario(INVALID / "base.json")
    assert [a.id for a in scenario.agents] == ["cph01", "syd01", "ath01"]


@pytest.mark.parametrize(
    ("name", "where", "item", "fragments"),
    [
        ("unknown_field", "agents[1].shift_pattern", "syd01", ["unknown field 'shift_pattern'"]),
        ("unknown_timezone", "agents[2].timezone", "ath01",
         ["'Europe/Athen'", "unknown IANA time zone"]),
        ("inverted_window", "agents[0].availability[0]", "cph01",
         ["Mon window 18:00–08:00", "inverted"]),
        ("overlapping_windows", "agents[1]", "syd01",
         ["availability windows on Mon overlap", "08:00–12:00", "11:00–15:00"]),
        ("negative_volume", "demand[5].volume", "en-chat", ["volume -3.0", "greater than or equal to 0"]),
        ("zero_aht", "demand[7].aht_seconds", "en-chat", ["aht_seconds 0", "greater than 0"]),
        ("service_level_above_one", "queues[0].service_target.service_level", "en-chat",
         ["service_level 1.5", "less than or equal to 1"]),
        ("undefined_queue", "agents[2].skills", "ath01", ["queue 'fr-phone' is not defined"]),
        ("duplicate_agent", "agents[2].id", "cph01",
         ["id 'cph01' is defined 2 times", "agents[0].id"]),
        ("outside_horizon", "demand[24].interval_start", "en-chat",
         ["2026-03-24T00:00:00Z", "outside the horizon"]),
        ("missing_intervals", "demand", "en-chat",
         ["3 of 24 intervals have no demand row", "2026-03-23T20:00:00Z"]),
        ("naive_timestamp", "demand[5].interval_start", "en-chat",
         ["'2026-03-23T05:00:00'", "no UTC offset"]),
    ],
)  # fmt: skip
def test_one_problem_per_broken_fixture(
    name: str, where: str, item: str, fragments: list[str]
) -> None:
    [problem] = problems_in(INVALID / f"{name}.json")
    assert (problem.where, problem.item) == (where, item)
    for fragment in fragments:
        assert fragment in problem.message


def test_malformed_json_reports_line_and_column() -> None:
    [problem] = problems_in(INVALID / "malformed.json")
    assert problem.where == "malformed.json:3 column 37"
    assert problem.message == "malformed JSON: Expecting ',' delimiter"


def test_off_grid_row_and_the_interval_it_leaves_empty() -> None:
    problems = problems_in(INVALID / "off_grid.json")
    assert problems == [
        Problem(
            "demand[3].interval_start",
            "2026-03-23T03:10:00Z is not on the 60-minute interval grid",
            "en-chat",
        ),
        Problem(
            "demand",
            "1 of 24 intervals have no demand row (first missing: 2026-03-23T03:00:00Z); "
            "give 0 for closed intervals",
            "en-chat",
        ),
    ]


def test_every_problem_is_collected_across_items_and_references() -> None:
    """An invalid agent still has its skills checked (via a stand-in); a bad demand row does
    not cascade into a false 'missing interval'."""
    problems = problems_in(INVALID / "multiple_problems.json")
    assert [(p.where, p.item) for p in problems] == [
        ("agents[0].timezone", "cph01"),
        ("demand[4].volume", "en-chat"),
        ("agents[1].skills", "syd01"),
    ]


def test_invalid_queue_does_not_make_its_skills_undefined(tmp_path: Path) -> None:
    data = json.loads((INVALID / "base.json").read_text())
    data["queues"][0]["channel"] = "fax"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    [problem] = problems_in(path)
    assert (problem.where, problem.item) == ("queues[0].channel", "en-chat")
    assert "'fax'" in problem.message


def test_cross_references_into_csv_files_point_at_rows() -> None:
    problems = problems_in(INVALID / "csv_references" / "scenario.json")
    assert [(p.where, p.item) for p in problems] == [
        ("agents.csv:5 column id", "cph01"),
        ("agents.csv:3 column skills", "syd01"),
        ("forecast.csv:6 column interval_start", "en-chat"),
        ("forecast.csv", "en-chat"),
    ]
    assert "(agents.csv:2 column id, agents.csv:5 column id)" in problems[0].message
    assert "queue 'fr-phone' is not defined" in problems[1].message
    assert "not on the 60-minute interval grid" in problems[2].message
    assert "first missing: 2026-03-23T04:00:00Z" in problems[3].message


def test_top_level_problems(tmp_path: Path) -> None:
    data = json.loads((INVALID / "base.json").read_text())
    data["horizon"]["interval_minutes"] = 45
    data["solver"] = {}
    del data["contracts"]
    data["agents_csv"] = "agents.csv"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    problems = problems_in(path)
    assert [p.where for p in problems] == ["solver", "horizon.interval_minutes", "contracts", "agents_csv"]
    assert problems[0].message == "unknown field 'solver'"
    assert "45" in problems[1].message
    assert problems[2].message == "missing required field 'contracts'"
    assert problems[3].message == "give either 'agents' or 'agents_csv', not both"


def test_misspelt_key_gets_a_suggestion(tmp_path: Path) -> None:
    data = json.loads((INVALID / "base.json").read_text())
    data["agents"][0]["timezon"] = data["agents"][0].pop("timezone")
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    problems = problems_in(path)
    assert Problem("agents[0].timezone", "missing required field 'timezone'", "cph01") in problems
    assert (
        Problem("agents[0].timezon", "unknown field 'timezon' (did you mean 'timezone'?)", "cph01")
        in problems
    )


def test_duplicate_keys_and_nan_are_not_silently_accepted(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text('{"name": "a", "name": "b", "horizon": {"start": "2026-03-23", "days": 1}}')
    problems = problems_in(path)
    assert Problem("dup.json", "key 'name' appears twice in one JSON object (only one can count)") in problems
    path.write_text('{"name": NaN}')
    [problem] = problems_in(path)
    assert problem.message == "malformed JSON: NaN is not valid JSON; write a number"


def test_missing_csv_file_is_reported(tmp_path: Path) -> None:
    data = json.loads((INVALID / "base.json").read_text())
    del data["demand"]
    data["demand_csv"] = "forecast.csv"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    [problem] = problems_in(path)
    assert problem.where == "forecast.csv"
    assert "file not found" in problem.message


@pytest.mark.parametrize(
    "relative",
    [
        "follow-the-sun/scenario.json",
        "small/tiny.json",
        "small/two_zones.json",
        "small/tiny_csv/scenario.json",
        "invalid/base.json",
    ],
)
def test_valid_fixtures_load(relative: str) -> None:
    assert isinstance(load_scenario(FIXTURES / relative), Scenario)


def test_csv_twin_equals_the_json_original() -> None:
    assert load_scenario(FIXTURES / "small" / "tiny_csv" / "scenario.json") == load_scenario(
        FIXTURES / "small" / "tiny.json"
    )


def test_json_round_trip(tmp_path: Path) -> None:
    original = load_scenario(FIXTURES / "follow-the-sun" / "scenario.json")
    dump_scenario(original, tmp_path / "plain.json")
    assert load_scenario(tmp_path / "plain.json") == original
    dump_scenario(original, tmp_path / "split.json", demand_csv="d.csv", agents_csv="a.csv")
    assert load_scenario(tmp_path / "split.json") == original
    written = json.loads((tmp_path / "split.json").read_text())
    assert written["demand_csv"] == "d.csv" and "demand" not in written


def test_csv_paths_are_relative_to_the_scenario_file(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "small" / "tiny_csv", tmp_path / "copy")
    assert len(load_scenario(tmp_path / "copy" / "scenario.json").agents) == 3


def test_a_folder_is_not_a_scenario_file(tmp_path: Path) -> None:
    [problem] = problems_in(tmp_path)
    assert problem.where == tmp_path.name
    assert "cannot be read" in problem.message
