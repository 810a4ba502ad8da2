"""Chart data is exact (local hours across DST, gaps by hour of week); files are self-contained."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from scheduler.cli.app import app
from scheduler.report.charts import gap_by_hour_of_week, site_hours_by_local_hour, write_charts
from scheduler.roster import CoverageRow, QueueSpan, Roster, ShiftOut, SolveStatus


def _shift(agent: str, zone: str, site: str, start: datetime, hours: float) -> ShiftOut:
    end = start + timedelta(hours=hours)
    tz = ZoneInfo(zone)
    return ShiftOut(
        agent_id=agent, start=start, end=end, local_start=start.astimezone(tz), local_end=end.astimezone(tz),
        timezone=zone, site=site, local_date=start.astimezone(tz).date().isoformat(), paid_hours=hours,
        allocation=[QueueSpan(queue="en", start=start, end=end)], breaks=[],
    )


def _roster(shifts: list[ShiftOut], coverage: list[CoverageRow] | None = None) -> Roster:
    return Roster(status=SolveStatus.FEASIBLE, objective=1.0, best_bound=None, scenario="t",
                  shifts=shifts, coverage=coverage or [])


def test_local_hours_follow_the_real_offset_across_both_dst_directions() -> None:
    # Copenhagen springs forward 2026-03-29 02:00 → 03:00: 00:30Z–02:30Z is local 01:30–04:30
    cph = _shift("c", "Europe/Copenhagen", "Copenhagen", datetime(2026, 3, 29, 0, 30, tzinfo=UTC), 2)
    # Sydney falls back 2026-04-05 03:00 → 02:00: 15:00Z–17:00Z is local 02:00, 02:00 (again), 03:00
    syd = _shift("s", "Australia/Sydney", "Sydney", datetime(2026, 4, 4, 15, 0, tzinfo=UTC), 2)
    hours = site_hours_by_local_hour(_roster([cph, syd]))
    assert hours["Copenhagen"][1] == pytest.approx(0.5) and hours["Copenhagen"][3] == pytest.approx(1.0)
    assert hours["Copenhagen"][4] == pytest.approx(0.5) and hours["Copenhagen"][2] == 0
    assert hours["Sydney"][2] == pytest.approx(2.0) and sum(hours["Sydney"]) == pytest.approx(2.0)
    assert sum(map(sum, hours.values())) == pytest.approx(4.0)


def test_gap_by_hour_of_week_averages_shortfall_over_weeks_per_queue() -> None:
    monday = datetime(2026, 3, 23, 9, tzinfo=UTC)
    rows = [
        CoverageRow(queue="en", interval_start=monday, required=3, scheduled=1),  # 2 short
        CoverageRow(queue="da", interval_start=monday, required=0, scheduled=4),  # over: no credit
        CoverageRow(queue="en", interval_start=monday + timedelta(days=7), required=1, scheduled=1),
        CoverageRow(queue="en", interval_start=monday + timedelta(hours=1), required=1, scheduled=0),
    ]
    gap = gap_by_hour_of_week(_roster([], rows))
    assert gap[0, 9] == pytest.approx(1.0)  # 2 short one Monday, 0 the next
    assert gap[0, 10] == pytest.approx(1.0) and gap.sum() == pytest.approx(2.0)


def test_files_are_pngs_and_one_self_contained_page(tmp_path: Path) -> None:
    start = datetime(2026, 3, 23, 8, tzinfo=UTC)
    rows = [CoverageRow(queue="en", interval_start=start + timedelta(hours=h), required=1, scheduled=1) for h in range(3)]
    written = write_charts(_roster([_shift("a", "Asia/Manila", "Manila", start, 3)], rows), tmp_path / "c", title="<demo>")
    assert [p.name for p in written] == ["required_vs_scheduled.png", "gap_heatmap.png", "site_hours.png", "index.html"]
    for png in written[:3]:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = written[-1].read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 3 and "http" not in page and "&lt;demo&gt;" in page


def test_empty_rosters_still_chart(tmp_path: Path) -> None:
    assert len(write_charts(_roster([]), tmp_path)) == 4


def test_report_command_writes_charts(tmp_path: Path) -> None:
    roster_file = tmp_path / "roster.json"
    roster_file.write_text(_roster([]).model_dump_json(), encoding="utf-8")
    result = CliRunner().invoke(app, ["report", str(roster_file), "--json", "--charts", str(tmp_path / "charts")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "charts" / "index.html").exists()
    assert result.stdout.lstrip().startswith("{")  # paths go to stderr, JSON stays clean
