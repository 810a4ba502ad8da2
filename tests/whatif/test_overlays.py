"""Overlays change exactly what they say, compose, and reject bad entries by file and entry."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from scheduler.domain import DemandRow, Horizon, Queue
from scheduler.whatif import OverlayError, apply, load_overlay
from scheduler.whatif.apply import OPTIONAL_HIRE_SUFFIX
from tests.builders import make_agent
from tests.whatif.helpers import day_demand, overlay, small_team


def _volume_team():
    """Forecast demand over the Copenhagen spring-forward night (2026-03-29 02:00 → 03:00)."""
    horizon = Horizon(start=date(2026, 3, 28), days=2, interval_minutes=60)
    demand = [
        DemandRow(queue="en", interval_start=horizon.interval_start(i), volume=10 + i, aht_seconds=300)
        for i in range(horizon.interval_count)
    ]
    return small_team(horizon=horizon, demand=demand)


def test_scaling_in_a_local_window_changes_exactly_those_intervals_across_dst() -> None:
    base = _volume_team()
    before = base.model_dump()
    window = {"start": "2026-03-29T00:00", "end": "2026-03-29T06:00", "timezone": "Europe/Copenhagen"}
    variant = apply(base, [overlay({"demand": [{"queue": "en", "scale": 1.5, "window": window}]})])
    # local 00:00 CET = 23:00Z on the 28th; local 06:00 CEST = 04:00Z: five UTC hours, not six
    changed = {
        row.interval_start: row.volume
        for row, old in zip(variant.scenario.demand, base.demand, strict=True)
        if row.volume != old.volume
    }
    assert sorted(changed) == [datetime(2026, 3, 28, 23, tzinfo=UTC)] + [
        datetime(2026, 3, 29, h, tzinfo=UTC) for h in range(4)
    ]
    for row, old in zip(variant.scenario.demand, base.demand, strict=True):
        factor = 1.5 if row.interval_start in changed else 1.0
        assert row.volume == pytest.approx((old.volume or 0) * factor)
        assert row.aht_seconds == old.aht_seconds
    assert base.model_dump() == before  # the base is never modified


def test_scale_and_add_compose_in_order_and_add_fills_empty_intervals() -> None:
    base = small_team()  # 2 agents 08–16 UTC, 0 otherwise
    variant = apply(base, [
        overlay({"demand": [{"scale": 2.0}]}, "a.yaml"),
        overlay({"demand": [{"queue": "en", "add": 1}]}, "b.yaml"),
    ])
    required = {row.interval_start.hour: row.required for row in variant.scenario.demand}
    assert required[9] == 5 and required[20] == 1  # (2 × 2) + 1 and (0 × 2) + 1
    assert variant.name == "a+b" and variant.sources == ("a.yaml", "b.yaml")


def test_agents_removed_made_unavailable_and_added_by_site_and_id() -> None:
    base = small_team(agents=[
        make_agent("a1", site="Copenhagen"), make_agent("a2", site="Athens", timezone="Europe/Athens"),
        make_agent("a3", site="Athens", timezone="Europe/Athens", skills=["en", "el"]),
    ], queues=[Queue(id="en", language="en", channel="phone"), Queue(id="el", language="el", channel="phone")],
        demand=day_demand() + [row.model_copy(update={"queue": "el"}) for row in day_demand()])
    variant = apply(base, [overlay({"agents": {
        "remove": [{"skill": "el"}],
        "unavailable": [{"site": "Athens", "start": "2026-03-24", "end": "2026-03-24", "reason": "closed"}],
        "add": [make_agent("new1", site="Riyadh", timezone="Asia/Riyadh").model_dump()],
    }})])
    agents = {a.id: a for a in variant.scenario.agents}
    assert set(agents) == {"a1", "a2", "new1"}
    assert [(t.start, t.end, t.reason) for t in agents["a2"].time_off] == [(date(2026, 3, 24), date(2026, 3, 24), "closed")]
    assert agents["a1"].time_off == [] and agents["a1"] == base.agent("a1")


def test_queue_contract_and_policy_changes_touch_only_named_fields() -> None:
    base = small_team()
    variant = apply(base, [overlay({
        "queues": {"en": {"service_target": {"service_level": 0.95}, "shrinkage": 0.3}},
        "contracts": {"ft": {"shift_lengths_minutes": [600]}},
        "policy": {"unsocial_start": "21:00", "weights": {"labour_cost": 2}},
    })])
    queue, contract, policy = variant.scenario.queue("en"), variant.scenario.contract("ft"), variant.scenario.policy
    assert queue.service_target.service_level == 0.95
    assert queue.service_target.answer_seconds == base.queue("en").service_target.answer_seconds
    assert queue.shrinkage == 0.3 and contract.shift_lengths_minutes == [600]
    assert contract.max_hours_per_week == base.contract("ft").max_hours_per_week
    assert policy.unsocial_start == 21 * 60 and policy.weights.labour_cost == 2
    assert policy.weights.under_staffing == base.policy.weights.under_staffing


def test_hires_are_optional_agents_and_a_plain_scenario_keeps_only_the_chosen() -> None:
    base = small_team()
    variant = apply(base, [overlay({"hires": [{
        "site": "Lisbon", "timezone": "Europe/Lisbon", "skills": ["en"], "contract": "ft",
        "cost_per_hour": 15, "up_to": 3,
    }]})])
    hires = sorted(variant.hire_ids)
    assert hires == ["hire-Lisbon-en-1", "hire-Lisbon-en-2", "hire-Lisbon-en-3"]
    optional = variant.scenario.contract("ft" + OPTIONAL_HIRE_SUFFIX)
    assert optional.min_hours_per_week == 0 and base.contract("ft").min_hours_per_week == 16
    changed = apply(base, [overlay({
        "contracts": {"ft": {"shift_lengths_minutes": [600]}},
        "hires": [{"site": "Lisbon", "timezone": "Europe/Lisbon", "skills": ["en"], "contract": "ft",
                   "cost_per_hour": 15, "up_to": 1}],
    })])
    assert changed.scenario.contract("ft" + OPTIONAL_HIRE_SUFFIX).shift_lengths_minutes == [600]
    plain = variant.with_hires({"hire-Lisbon-en-2"})
    assert [a.id for a in plain.agents] == ["a1", "a2", "hire-Lisbon-en-2"]
    assert plain.agent("hire-Lisbon-en-2").contract == "ft"
    assert [c.id for c in plain.contracts] == ["ft"]


@pytest.mark.parametrize(
    ("data", "where", "words"),
    [
        ({"demand": [{"queue": "fr", "scale": 2}]}, "demand[0].queues", "queue 'fr'"),
        ({"demand": [{"scale": 0}]}, "demand[0].scale", "greater than 0"),
        ({"demand": [{"scale": 2, "window": {"start": "2026-03-23T08:00", "end": "2026-03-23T09:00", "timezone": "Mars/Base"}}]},
         "demand[0].window.timezone", "Mars/Base"),
        ({"agents": {"remove": [{"site": "Atlantis"}]}}, "agents.remove[0].site", "Atlantis"),
        ({"agents": {"unavailable": [{"ids": ["zz"], "start": "2026-03-23", "end": "2026-03-23"}]}},
         "agents.unavailable[0].ids", "agent 'zz'"),
        ({"queues": {"xx": {"shrinkage": 0.1}}}, "queues.xx", "queue 'xx'"),
        ({"queues": {"en": {"shrinkage": 1.5}}}, "queues.en.shrinkage", "less than 1"),
        ({"contracts": {"ft": {"max_hours_per_week": -1}}}, "contracts.ft.max_hours_per_week", "greater than 0"),
        ({"hires": [{"site": "X", "timezone": "UTC", "skills": ["en"], "contract": "nope", "cost_per_hour": 1, "up_to": 1}]},
         "hires[0].contract", "contract 'nope'"),
        ({"deman": []}, "deman", "unknown field 'deman' (did you mean 'demand'?)"),
    ],
)
def test_bad_entries_name_the_file_and_entry(data: dict, where: str, words: str) -> None:
    with pytest.raises(OverlayError) as caught:
        apply(small_team(), [overlay(data, "closure.yaml")])
    assert caught.value.source == "closure.yaml"
    text = str(caught.value)
    assert where in text and words in text, text


def test_conflicting_overlays_name_both_files() -> None:
    with pytest.raises(OverlayError) as caught:
        apply(small_team(), [
            overlay({"queues": {"en": {"shrinkage": 0.2}}}, "a.yaml"),
            overlay({"queues": {"en": {"shrinkage": 0.3}}}, "b.yaml"),
        ])
    text = str(caught.value)
    assert "queues.en.shrinkage" in text and "a.yaml" in text and "b.yaml" in text


def test_overlay_files_load_from_yaml_and_json_with_errors_naming_the_file(tmp_path: Path) -> None:
    good = tmp_path / "growth.yaml"
    good.write_text("demand:\n  - queue: en\n    scale: 1.2\n", encoding="utf-8")
    assert load_overlay(good).name == "growth"
    broken = tmp_path / "broken.yaml"
    broken.write_text("demand: [\n", encoding="utf-8")
    with pytest.raises(OverlayError, match="not valid YAML"):
        load_overlay(broken)
    typo = tmp_path / "typo.json"
    typo.write_text('{"demand": [{"queue": "en", "scael": 2}]}', encoding="utf-8")
    with pytest.raises(OverlayError) as caught:
        load_overlay(typo)
    assert "demand[0].scael" in str(caught.value) and str(typo) in str(caught.value)


def test_the_bundled_overlays_apply_to_the_fixture() -> None:
    from scheduler.io import load_scenario

    fixture = Path("fixtures/follow-the-sun")
    base = load_scenario(fixture / "scenario.json")
    for path in sorted((fixture / "whatif").glob("*.yaml")):
        variant = apply(base, [load_overlay(path)])
        assert variant.scenario != base, path
