"""The synthetic team generator: determinism, sizes, realism and calibration."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from scheduler.domain import Scenario
from scheduler.io import load_scenario
from scheduler.synthetic import (
    QUEUE_CATALOGUE,
    TARGET_UTILISATION,
    SyntheticSpecError,
    generate_team,
    rough_agents,
)
from scheduler.timeutil import to_local

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def team() -> Scenario:
    return generate_team(agents=200, days=14, queues=5, seed=7)


def test_same_seed_gives_identical_json() -> None:
    first = generate_team(agents=60, days=7, queues=5, seed=11)
    second = generate_team(agents=60, days=7, queues=5, seed=11)
    assert first.model_dump_json() == second.model_dump_json()


def test_different_seed_gives_a_different_team() -> None:
    first = generate_team(agents=60, days=7, queues=5, seed=11)
    other = generate_team(agents=60, days=7, queues=5, seed=12)
    assert first.agents != other.agents
    assert first.demand != other.demand


def test_bench_sizes() -> None:
    """The `sunshift bench` sizes build (speed is checked by the benchmark, not here)."""
    big = generate_team(agents=500, days=28, queues=5, seed=1)
    assert len(big.agents) == 500
    assert big.horizon.interval_count == 28 * 48
    assert len(big.demand) == 5 * 28 * 48
    assert [q.id for q in big.queues] == ["en-chat", "da-phone", "el-phone", "ar-chat", "en-email"]


def test_interval_and_start_are_honoured() -> None:
    scenario = generate_team(agents=5, days=2, queues=1, seed=0, interval_minutes=15,
                             start=date(2026, 10, 5))  # fmt: skip
    assert scenario.horizon.start == date(2026, 10, 5)
    assert len(scenario.demand) == 2 * 96


@pytest.mark.parametrize(
    ("argument", "value"),
    [("agents", 0), ("days", 0), ("queues", len(QUEUE_CATALOGUE) + 1), ("interval_minutes", 20)],
)
def test_bad_arguments_are_named(argument: str, value: int) -> None:
    arguments = {"agents": 10, "days": 7, "queues": 3, "seed": 1, "interval_minutes": 30}
    arguments[argument] = value
    with pytest.raises(SyntheticSpecError) as caught:
        generate_team(**arguments)  # type: ignore[arg-type]
    assert caught.value.parameter == argument
    assert isinstance(caught.value, ValueError)


def test_sites_span_continents_and_both_hemispheres(team: Scenario) -> None:
    zones = {agent.timezone for agent in team.agents}
    assert {"Asia/Manila", "Europe/Copenhagen", "Europe/Athens", "Asia/Riyadh",
            "America/Chicago", "Australia/Sydney"} <= zones  # fmt: skip


def test_language_skills_are_plausible(team: Scenario) -> None:
    native = {"da-phone": "Europe/Copenhagen", "el-phone": "Europe/Athens", "ar-chat": "Asia/Riyadh"}
    for agent in team.agents:
        assert 1 <= len(agent.skills) <= 3
        for skill in agent.skills:
            if skill in native:
                assert agent.timezone == native[skill], (agent.id, skill)
    skilled = Counter(skill for agent in team.agents for skill in agent.skills)
    assert all(skilled[queue.id] > 0 for queue in team.queues)


def test_contract_mix(team: Scenario) -> None:
    by_contract = Counter(agent.contract for agent in team.agents)
    assert set(by_contract) == {"ft-40", "pt-24", "night-24x7"}
    assert by_contract["ft-40"] > by_contract["pt-24"] > by_contract["night-24x7"] > 0
    assert {a.employment for a in team.agents if a.contract == "pt-24"} == {"contractor"}
    manila = {a.cost_per_hour for a in team.agents if a.site == "Manila" and a.contract == "ft-40"}
    copenhagen = {a.cost_per_hour for a in team.agents if a.site == "Copenhagen" and a.contract == "ft-40"}
    assert max(manila) < min(copenhagen)
    night = team.contract("night-24x7")
    assert (night.earliest_start, night.latest_start, night.max_unsocial_shifts_per_week) == (0, 1380, 2)
    meal = team.contract("ft-40").breaks[0]
    assert (meal.minutes, meal.earliest_start_offset, meal.latest_end_offset, meal.paid) == (30, 180, 300, False)


def test_time_off_and_preferences_shares(team: Scenario) -> None:
    days_off = sum((t.end - t.start).days + 1 for agent in team.agents for t in agent.time_off)
    share = days_off / (len(team.agents) * team.horizon.days)
    assert 0.04 <= share <= 0.06
    with_preferences = sum(
        1 for a in team.agents if a.preferences.start_window or a.preferences.days_off
    )
    assert 0.2 <= with_preferences / len(team.agents) <= 0.4
    first, last = team.horizon.start, team.horizon.start + timedelta(days=team.horizon.days - 1)
    for agent in team.agents:
        for entry in agent.time_off:
            assert first <= entry.start <= entry.end <= last


def test_demand_is_a_forecast_with_local_seasonality(team: Scenario) -> None:
    assert all(row.is_forecast for row in team.demand)
    danish = defaultdict(float)
    weekday_vs_weekend = defaultdict(float)
    for row in team.demand:
        if row.queue == "da-phone":
            local = to_local(row.interval_start, "Europe/Copenhagen")
            danish[local.hour] += row.volume or 0.0
            weekday_vs_weekend[local.weekday() >= 5] += row.volume or 0.0
    assert sum(danish[h] for h in range(0, 8)) == 0  # closed at night, in Copenhagen time
    assert max(danish, key=lambda h: danish[h]) in range(9, 16)
    assert weekday_vs_weekend[True] < 0.1 * weekday_vs_weekend[False]
    english = [row.volume or 0.0 for row in team.demand if row.queue == "en-chat"]
    assert min(english) > 0  # follow-the-sun: English chat never closes


def test_demand_is_calibrated_to_capacity(team: Scenario) -> None:
    """Roughly required agent-hours are 60–75 % of contracted hours (after time off)."""
    required = 0.0
    for queue in team.queues:
        rows = [row for row in team.demand if row.queue == queue.id]
        volume = np.array([row.volume for row in rows], dtype=float)
        aht = np.array([row.aht_seconds for row in rows], dtype=float)
        required += float(rough_agents(volume, aht, 30, queue).sum()) * 0.5
    capacity = 0.0
    for agent in team.agents:
        off = sum((t.end - t.start).days + 1 for t in agent.time_off)
        capacity += team.contract(agent.contract).max_hours_per_week * (14 - off) / 7
    assert 0.60 <= required / capacity <= 0.75
    assert required / capacity == pytest.approx(TARGET_UTILISATION, abs=0.05)


def test_follow_the_sun_fixture_is_the_generator_output() -> None:
    """fixtures/make_fixtures.py builds the fixture with these arguments; regenerate if this fails."""
    generated = generate_team(agents=45, days=14, queues=5, seed=2026, start=date(2026, 3, 23))
    fixture = load_scenario(FIXTURES / "follow-the-sun" / "scenario.json")
    assert fixture == generated.model_copy(update={"name": "follow-the-sun"})
