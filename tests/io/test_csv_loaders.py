"""Demand and agents CSVs on their own: formats, row numbers as a spreadsheet shows them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from scheduler.domain import Agent, DemandRow, Problem, ScenarioError
from scheduler.io import load_agents_csv, load_demand_csv, write_agents_csv, write_demand_csv

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def problems_of(loader: object, path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        loader(path)  # type: ignore[operator]
    assert caught.value.source == str(path)
    return caught.value.problems


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- demand ---------------------------------------------------------------------------------


def test_forecast_csv_with_offsets_is_read_in_utc(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "forecast.csv",
        "queue,interval_start,volume,aht_seconds\n"
        "da-phone,2026-03-23T09:00:00+01:00,12.5,330\n"
        "da-phone,2026-03-23T08:30:00Z,0,330\n",
    )
    rows = load_demand_csv(path)
    assert rows == [
        DemandRow(queue="da-phone", interval_start=datetime(2026, 3, 23, 8, tzinfo=UTC),
                  volume=12.5, aht_seconds=330),
        DemandRow(queue="da-phone", interval_start=datetime(2026, 3, 23, 8, 30, tzinfo=UTC),
                  volume=0, aht_seconds=330),
    ]  # fmt: skip


def test_headcount_csv(tmp_path: Path) -> None:
    path = write(tmp_path, "need.csv", "queue,interval_start,required\nq,2026-03-23T00:00Z,3\n")
    assert load_demand_csv(path)[0].required == 3


@pytest.mark.parametrize(
    ("name", "where", "fragments"),
    [
        ("demand_non_numeric.csv", "demand_non_numeric.csv:4 column volume", ["'n/a'", "not a number"]),
        ("demand_negative_volume.csv", "demand_negative_volume.csv:6 column volume",
         ["volume -2", "greater than or equal to 0"]),
        ("demand_zero_aht.csv", "demand_zero_aht.csv:9 column aht_seconds",
         ["aht_seconds 0", "greater than 0"]),
        ("demand_naive_timestamp.csv", "demand_naive_timestamp.csv:3 column interval_start",
         ["'2026-03-23T01:00:00'", "no UTC offset"]),
    ],
)  # fmt: skip
def test_demand_row_problems(name: str, where: str, fragments: list[str]) -> None:
    [problem] = problems_of(load_demand_csv, FIXTURES / "invalid" / name)
    assert problem.where == where
    assert problem.item == "en-chat"
    for fragment in fragments:
        assert fragment in problem.message


def test_mixed_formats_is_refused_at_the_header() -> None:
    [problem] = problems_of(load_demand_csv, FIXTURES / "invalid" / "demand_mixed_formats.csv")
    assert problem.where == "demand_mixed_formats.csv:1"
    assert "mixes both demand formats" in problem.message


def test_missing_column_is_named() -> None:
    [problem] = problems_of(load_demand_csv, FIXTURES / "invalid" / "demand_missing_column.csv")
    assert problem.where == "demand_missing_column.csv:1"
    assert "'aht_seconds'" in problem.message


def test_every_bad_row_is_reported_not_just_the_first(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.csv",
        "queue,interval_start,volume,aht_seconds\n"
        "q,2026-03-23T00:00Z,1,300\n"
        "q,yesterday,1,300\n"
        "\n"  # a blank line is skipped but still counts as a spreadsheet row
        "q,2026-03-23T01:00Z,,300\n"
        "q,2026-03-23T01:30Z,1,300,extra\n",
    )
    problems = problems_of(load_demand_csv, path)
    assert [p.where for p in problems] == [
        "d.csv:3 column interval_start",
        "d.csv:5 column volume",
        "d.csv:6",
    ]
    assert "'yesterday' is not an ISO 8601 timestamp" in problems[0].message
    assert "volume is empty" in problems[1].message
    assert "5 cells but the header has 4" in problems[2].message


def test_quoted_line_break_keeps_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.csv",
        'id,name,timezone,skills,contract\n'
        'a1,"Two\nlines",UTC,q,ft\n'
        'a2,B,Mars/Olympus,q,ft\n',
    )
    [problem] = problems_of(load_agents_csv, path)
    assert problem.where == "a.csv:3 column timezone"
    assert problem.item == "a2"


def test_unknown_column_gets_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "d.csv", "queue,interval_start,volume,aht_secs\n")
    problems = problems_of(load_demand_csv, path)
    assert Problem("d.csv:1 column aht_secs", problems[0].message) == problems[0]
    assert "did you mean 'aht_seconds'?" in problems[0].message


def test_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    [problem] = problems_of(load_demand_csv, tmp_path / "nope.csv")
    assert problem.where == "nope.csv"
    assert "file not found" in problem.message


def test_demand_round_trip(tmp_path: Path) -> None:
    rows = [
        DemandRow(queue="q", interval_start=datetime(2026, 3, 23, i, tzinfo=UTC),
                  volume=i / 3, aht_seconds=300.25)
        for i in range(3)
    ]  # fmt: skip
    write_demand_csv(rows, tmp_path / "d.csv")
    assert load_demand_csv(tmp_path / "d.csv") == rows


def test_writer_refuses_mixed_modes(tmp_path: Path) -> None:
    moment = datetime(2026, 3, 23, tzinfo=UTC)
    rows = [
        DemandRow(queue="a", interval_start=moment, required=1),
        DemandRow(queue="b", interval_start=moment, volume=1, aht_seconds=1),
    ]
    with pytest.raises(ValueError, match="one CSV holds one format"):
        write_demand_csv(rows, tmp_path / "d.csv")


# --- agents ---------------------------------------------------------------------------------


def test_full_row_grammar(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "agents.csv",
        "id,name,email,timezone,site,skills,contract,cost_per_hour,employment,availability,"
        "time_off,preferred_start,preferred_days_off\n"
        "syd07,Mia Lee,,Australia/Sydney,Sydney,en-chat|en-email,pt-24,46,contractor,"
        '"Mon 22:00-24:00; Tue 00:00-06:00",2026-04-06..2026-04-08,07:00-09:00:3,Sat|Sun:2\n',
    )
    [agent] = load_agents_csv(path)
    assert agent.skills == ["en-chat", "en-email"]
    assert agent.email is None
    assert [(w.weekday, w.start, w.end) for w in agent.availability] == [(0, 1320, 1440), (1, 0, 360)]
    assert agent.time_off[0].start == date(2026, 4, 6)
    assert agent.preferences.start_window is not None
    assert agent.preferences.start_window.weight == 3
    assert agent.preferences.days_off is not None
    assert agent.preferences.days_off.weekdays == [5, 6]


def test_minimal_columns_take_model_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "id,timezone,skills,contract\na1,Asia/Manila,en-chat,ft\n")
    [agent] = load_agents_csv(path)
    assert agent == Agent(id="a1", timezone="Asia/Manila", skills=["en-chat"], contract="ft")


@pytest.mark.parametrize(
    ("name", "where", "item", "fragments"),
    [
        ("agents_unknown_timezone.csv", "agents_unknown_timezone.csv:3 column timezone", "syd01",
         ["'Australia/Sidney'", "unknown IANA time zone"]),
        ("agents_bad_availability.csv", "agents_bad_availability.csv:2 column availability",
         "cph01", ["'10-14'", "not a time range"]),
        ("agents_inverted_window.csv", "agents_inverted_window.csv:4 column availability",
         "ath01", ["Tue window 22:00–06:00", "inverted"]),
        ("agents_overlapping_windows.csv",
         "agents_overlapping_windows.csv:4 column availability", "ath01",
         ["Wed overlap", "08:00–16:00", "15:00–20:00"]),
        ("agents_non_numeric.csv", "agents_non_numeric.csv:3 column cost_per_hour", "syd01",
         ["cost_per_hour 'cheap'", "not a number"]),
        ("agents_bad_time_off.csv", "agents_bad_time_off.csv:2 column time_off", "cph01",
         ["time_off", "2026-03-06–2026-03-02 ends before it starts"]),
    ],
)  # fmt: skip
def test_agent_row_problems(name: str, where: str, item: str, fragments: list[str]) -> None:
    [problem] = problems_of(load_agents_csv, FIXTURES / "invalid" / name)
    assert (problem.where, problem.item) == (where, item)
    for fragment in fragments:
        assert fragment in problem.message


def test_agents_missing_column() -> None:
    [problem] = problems_of(load_agents_csv, FIXTURES / "invalid" / "agents_missing_column.csv")
    assert problem == Problem("agents_missing_column.csv:1", "missing column 'timezone'")


def test_empty_required_cells_and_bad_cells_all_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.csv",
        "id,timezone,skills,contract,cost_per_hour,employment\n"
        ",UTC,q,ft,1,employee\n"
        "a2,,q,ft,-5,freelancer\n",
    )
    problems = problems_of(load_agents_csv, path)
    assert [(p.where, p.item) for p in problems] == [
        ("a.csv:2 column id", None),
        ("a.csv:3 column timezone", "a2"),
    ]
    # Once a row's cells parse, model rules are checked too (and all of them).
    path = write(tmp_path, "b.csv", "id,timezone,skills,contract,cost_per_hour,employment\n"
                 "a2,UTC,q,ft,-5,freelancer\n")  # fmt: skip
    problems = problems_of(load_agents_csv, path)
    assert [p.where for p in problems] == ["b.csv:2 column cost_per_hour", "b.csv:2 column employment"]
    assert "cost_per_hour -5.0" in problems[0].message
    assert "'freelancer'" in problems[1].message


def test_agents_round_trip(tmp_path: Path) -> None:
    agents = load_agents_csv(FIXTURES / "follow-the-sun" / "agents.csv")
    write_agents_csv(agents, tmp_path / "agents.csv")
    assert load_agents_csv(tmp_path / "agents.csv") == agents
