"""Night shifts across DST changes in both hemispheres: an 8-hour shift is 8 elapsed hours, it
belongs to the local date it starts on, and its unsocial minutes follow the local wall clock.

Copenhagen springs forward 2026-03-29 02:00 → 03:00; Sydney falls back 2026-04-05 03:00 → 02:00
and springs forward 2026-10-04 02:00 → 03:00. Each shift starts at 22:00 local the evening before.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from scheduler.domain import Horizon, Policy
from scheduler.validate import compute_kpis, objective_breakdown, validate_roster
from tests.validate.builders import (
    local,
    make_agent,
    make_contract,
    make_roster,
    make_scenario,
    make_shift,
    quiet_weights,
)

CASES = [
    # zone, horizon Monday, local start, local end (wall clock), unsocial minutes
    ("Europe/Copenhagen", date(2026, 3, 23), "2026-03-28 22:00", "2026-03-29T07:00:00+02:00", 420),
    ("Australia/Sydney", date(2026, 3, 30), "2026-04-04 22:00", "2026-04-05T05:00:00+10:00", 480),
    ("Australia/Sydney", date(2026, 9, 28), "2026-10-03 22:00", "2026-10-04T07:00:00+11:00", 420),
]
IDS = ["copenhagen-spring-forward", "sydney-fall-back", "sydney-spring-forward"]


@pytest.mark.parametrize(("tz", "monday", "start", "local_end", "unsocial"), CASES, ids=IDS)
def test_night_shift_across_a_dst_change(
    tz: str, monday: date, start: str, local_end: str, unsocial: int
) -> None:
    scenario = make_scenario(
        horizon=Horizon(start=monday, days=7, interval_minutes=60),
        agents=[make_agent(timezone=tz)],
        contracts=[make_contract(max_unsocial_shifts_per_week=1)],
        policy=Policy(weights=quiet_weights(unsocial_hours=40)),
    )
    shift = make_shift(scenario, local(start, tz))
    assert shift.end - shift.start == timedelta(hours=8)
    assert shift.local_end.isoformat() == local_end
    assert shift.local_date == start[:10]
    assert validate_roster(scenario, make_roster([shift])) == []

    kpis = compute_kpis(scenario, [shift], None)
    assert kpis.unsocial_hours == unsocial / 60
    assert kpis.paid_hours == 8
    assert kpis.hours_per_agent[0].weekend_shifts == 1  # Saturday evening, local
    breakdown = objective_breakdown(scenario, make_roster([shift]))
    assert breakdown.unsocial_hours == pytest.approx(40 * unsocial / 60)


@pytest.mark.parametrize(
    ("tz", "monday", "start", "elapsed"),
    [
        (tz, monday, start, hours)
        for (tz, monday, start, _, _), hours in zip(CASES, [7, 9, 7], strict=True)
    ],
    ids=IDS,
)
def test_wall_clock_eight_hours_is_not_an_eight_hour_shift(
    tz: str, monday: date, start: str, elapsed: int
) -> None:
    """Ending at 06:00 local the next morning is 7 or 9 elapsed hours across the change."""
    scenario = make_scenario(
        horizon=Horizon(start=monday, days=7, interval_minutes=60), agents=[make_agent(timezone=tz)]
    )
    begin = local(start, tz)
    wall_end = datetime.fromisoformat(start) + timedelta(hours=8)
    shift = make_shift(scenario, begin, end=local(wall_end.isoformat(sep=" "), tz))
    assert shift.end - shift.start == timedelta(hours=elapsed)
    found = validate_roster(scenario, make_roster([shift]))
    assert [(v.rule, v.when) for v in found] == [
        ("contract_shape", begin.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    ]


def test_two_night_shifts_around_spring_forward_keep_their_local_days() -> None:
    """Saturday 22:00 and Sunday 22:00 in Copenhagen are 23 elapsed hours apart but two local
    days: one shift per day, rest counted in elapsed time (23 − 8 = 15 h)."""
    tz = "Europe/Copenhagen"
    horizon = Horizon(start=date(2026, 3, 23), days=8, interval_minutes=60)
    scenario = make_scenario(horizon=horizon, agents=[make_agent(timezone=tz)])
    saturday = make_shift(scenario, local("2026-03-28 22:00", tz))
    sunday = make_shift(scenario, local("2026-03-29 22:00", tz))
    assert sunday.start - saturday.start == timedelta(hours=23)
    assert [s.local_date for s in (saturday, sunday)] == ["2026-03-28", "2026-03-29"]
    assert validate_roster(scenario, make_roster([saturday, sunday])) == []
    strict = make_scenario(
        horizon=horizon,
        agents=[make_agent(timezone=tz)],
        contracts=[make_contract(min_rest_hours=15.5)],
    )
    found = validate_roster(strict, make_roster([saturday, sunday]))
    assert [(v.rule, v.when) for v in found] == [("rest", "2026-03-29T20:00:00Z")]
