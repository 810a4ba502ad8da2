"""``sunshift whatif``: one comparison of base and variants, as tables, JSON, CSV and rosters."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from scheduler.cli.app import app
from tests.whatif.helpers import small_team

runner = CliRunner()
FAST = ["--time-limit", "20", "--deterministic-time", "3", "--workers", "1", "--no-progress"]


def _files(tmp_path: Path) -> tuple[Path, Path, Path]:
    scenario = tmp_path / "team.json"
    scenario.write_text(small_team().model_dump_json(), encoding="utf-8")
    growth = tmp_path / "growth.yaml"
    growth.write_text("demand:\n  - queue: en\n    scale: 1.5\n", encoding="utf-8")
    hiring = tmp_path / "hiring.yaml"
    hiring.write_text(
        "hires:\n  - {site: Lisbon, timezone: Europe/Lisbon, skills: [en], contract: ft,"
        " cost_per_hour: 15, up_to: 2}\ngoal: {queues: [en], coverage: 1.0}\n",
        encoding="utf-8",
    )
    return scenario, growth, hiring


def test_json_csv_and_rosters_describe_the_same_comparison(tmp_path: Path) -> None:
    scenario, growth, hiring = _files(tmp_path)
    table, out = tmp_path / "comparison.csv", tmp_path / "rosters"
    result = runner.invoke(app, [
        "whatif", str(scenario), "--overlay", str(growth), "--overlay", f"{growth}+{hiring}",
        "--json", "--csv", str(table), "--out", str(out), *FAST,
    ])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    names = [v["name"] for v in report["comparison"]["variants"]]
    assert names == ["base", "growth", "growth+hiring"]
    assert set(report["comparison"]["deltas"]) == {"growth", "growth+hiring"}
    assert [h["variant"] for h in report["hiring"]] == ["growth+hiring"]
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    coverage = {r["variant"]: float(r["value"]) for r in rows if r["figure"] == "coverage"}
    assert coverage == {v["name"]: v["coverage"] for v in report["comparison"]["variants"]}
    assert sorted(p.name for p in out.iterdir()) == [
        "base.roster.json", "growth+hiring.roster.json", "growth.roster.json",
    ]


def test_tables_show_every_variant(tmp_path: Path) -> None:
    scenario, growth, _ = _files(tmp_path)
    result = runner.invoke(app, ["whatif", str(scenario), "--overlay", str(growth), *FAST])
    assert result.exit_code == 0, result.output
    assert "What-if comparison" in result.stdout and "growth" in result.stdout


def test_a_bad_overlay_names_its_file_and_entry_and_solves_nothing(tmp_path: Path) -> None:
    scenario, growth, _ = _files(tmp_path)
    bad = tmp_path / "closure.yaml"
    bad.write_text("agents:\n  unavailable:\n    - {site: Atlantis, start: 2026-03-23, end: 2026-03-23}\n", encoding="utf-8")
    result = runner.invoke(app, ["whatif", str(scenario), "--overlay", str(growth), "--overlay", str(bad), *FAST])
    assert result.exit_code == 2
    assert "overlay.invalid" in result.stderr
    assert "closure.yaml" in result.stderr and "agents.unavailable[0].site" in result.stderr
    assert "Atlantis" in result.stderr


def test_variant_flags_make_one_more_variant(tmp_path: Path) -> None:
    scenario, growth, _ = _files(tmp_path)
    result = runner.invoke(app, [
        "whatif", str(scenario), "--overlay", str(growth), "--scale", "en=2", "--name", "double", "--json", *FAST,
    ])
    assert result.exit_code == 0, result.output
    variants = json.loads(result.stdout)["comparison"]["variants"]
    assert [v["name"] for v in variants] == ["base", "growth", "double"]
    assert variants[2]["queues"][0]["required_hours"] == 2 * variants[0]["queues"][0]["required_hours"]


def test_nothing_to_compare_is_an_error(tmp_path: Path) -> None:
    scenario, _, _ = _files(tmp_path)
    result = runner.invoke(app, ["whatif", str(scenario), *FAST])
    assert result.exit_code == 2 and "nothing to compare" in result.stderr
