"""Shift-type rosters: template shapes, per-type and per-horizon limits, successions, minimum
runs, weekends, type cover and shift requests, judged from hand-written rosters; and a solved
shift-type scenario that the validator passes and scores exactly as the solver does.

The default scenario is a team without queues working templates E (06:00), L (14:00, no E the day
after) and N (22:00), 8 h each, over the two weeks from Monday 2026-03-23 in UTC.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from scheduler.domain import (
    Agent,
    Contract,
    DemandRow,
    Horizon,
    Policy,
    Queue,
    Scenario,
    ShiftRequest,
    ShiftType,
    ShiftTypeDemand,
)
from scheduler.model.rules import LABELS
from scheduler.roster import Violation
from scheduler.solve.facade import solve
from scheduler.solve.params import SolveParams
from scheduler.validate import (
    HARD_RULES,
    compute_coverage,
    compute_kpis,
    objective_breakdown,
    validate_roster,
)
from tests.validate.builders import (
    MONDAY,
    local,
    make_agent,
    make_contract,
    make_roster,
    make_scenario,
    make_shift,
    make_typed_shift,
    quiet_weights,
    utc,
)

TYPES = [
    ShiftType(id="E", start="06:00", minutes=480),
    ShiftType(id="L", start="14:00", minutes=480, cannot_follow=["E"]),
    ShiftType(id="N", start="22:00", minutes=480),
]
TWO_WEEKS = Horizon(start=MONDAY, days=14, interval_minutes=60)
#: Something to staff (a scenario needs queues or type demand) that costs nothing either way.
NOTHING_REQUIRED = [
    ShiftTypeDemand(date=MONDAY, shift_type="E", required=0, under_weight=0, over_weight=0)
]


def day(offset: int) -> str:
    """The local date ``offset`` days after the horizon start, as ``"2026-03-23"`` text."""
    return (MONDAY + timedelta(days=offset)).isoformat()


def typed_contract(**overrides: Any) -> Contract:
    """Works E, L and N; no weekly caps, so each test meets only the rule it is about."""
    fields: dict[str, Any] = {
        "shift_types": ["E", "L", "N"],
        "max_consecutive_days": 14,
        "min_days_off_per_week": 0,
        "min_rest_hours": 0,
        "max_hours_per_week": 84,
    }
    return make_contract(**(fields | overrides))


def typed_scenario(
    *, agents: int | list[Agent] = 1, contract: Contract | None = None, **overrides: Any
) -> Scenario:
    """No queues, types E/L/N, one contract; ``agents`` is a count of skill-less UTC agents
    ``a1, a2…`` or the agents themselves."""
    team = (
        agents
        if isinstance(agents, list)
        else [make_agent(id=f"a{k + 1}", skills=[]) for k in range(agents)]
    )
    fields: dict[str, Any] = {
        "horizon": TWO_WEEKS,
        "queues": [],
        "shift_types": TYPES,
        "shift_demand": NOTHING_REQUIRED,
        "contracts": [contract or typed_contract()],
        "agents": team,
        "policy": Policy(weights=quiet_weights()),
    }
    return make_scenario(**(fields | overrides))


def found(violations: list[Violation]) -> list[tuple[str, str | None, str | None]]:
    return [(v.rule, v.agent_id, v.when) for v in violations]


def check(scenario: Scenario, *shifts: Any) -> list[tuple[str, str | None, str | None]]:
    return found(validate_roster(scenario, make_roster(shifts)))


def test_new_rule_keys_are_the_models() -> None:
    keys = {rule.key for rule in HARD_RULES}
    model_keys = {
        "max_shifts_per_type",
        "total_minutes",
        "forbidden_succession",
        "min_consecutive_days",
        "min_consecutive_days_off",
        "max_weekends",
    }
    assert model_keys <= keys
    assert model_keys <= set(LABELS)
    assert "shift_type_shape" in keys


def test_a_week_of_templates_is_valid() -> None:
    scenario = typed_scenario()
    shifts = [make_typed_shift(scenario, t, day(d)) for d, t in enumerate("EELLNN")]
    assert check(scenario, *shifts) == []


# --- shift_type_shape ----------------------------------------------------------------------------


def test_templates_replace_the_free_form_contract_shape() -> None:
    """A 10-hour template at 06:30 is neither a contract length nor on the 60-min UTC grid, and
    the contract's local start window would refuse it: only the template judges it."""
    scenario = typed_scenario(
        shift_types=[*TYPES, ShiftType(id="M", start="06:30", minutes=600)],
        contract=typed_contract(shift_types=["M"], latest_start="06:00"),
        shift_demand=[ShiftTypeDemand(date=MONDAY, shift_type="M", required=0)],
    )
    assert check(scenario, make_typed_shift(scenario, "M", day(1))) == []
    off_template = make_shift(scenario, utc("2026-03-24 06:00"), 600, shift_type="M")
    assert check(scenario, off_template) == [("shift_type_shape", "a1", "2026-03-24T06:00:00Z")]


@pytest.mark.parametrize(
    ("start", "minutes", "shift_type", "problem"),
    [
        ("2026-03-24 06:00", 480, None, "names no shift type"),
        ("2026-03-24 06:00", 480, "X", "'X' is not defined"),
        ("2026-03-24 07:00", 480, "E", "'E' starts at 2026-03-24T06:00:00Z"),
        ("2026-03-24 06:00", 420, "E", "'E' lasts 480 min"),
    ],
    ids=["unnamed", "unknown", "late-start", "short"],
)
def test_a_typed_shift_must_be_its_template(
    start: str, minutes: int, shift_type: str | None, problem: str
) -> None:
    scenario = typed_scenario()
    shift = make_shift(scenario, utc(start), minutes, shift_type=shift_type)
    violations = validate_roster(scenario, make_roster([shift]))
    assert found(violations) == [("shift_type_shape", "a1", f"{start[:10]}T{start[11:]}:00Z")]
    assert problem in violations[0].detail


def test_a_type_outside_the_contract_is_refused() -> None:
    scenario = typed_scenario(contract=typed_contract(shift_types=["E", "L"]))
    violations = validate_roster(scenario, make_roster([make_typed_shift(scenario, "N", day(1))]))
    assert found(violations) == [("shift_type_shape", "a1", "2026-03-24T22:00:00Z")]
    assert "not one of contract 'full''s (E, L)" in violations[0].detail


def test_a_free_form_shift_may_name_a_type_only_if_it_is_that_template() -> None:
    scenario = typed_scenario(contract=make_contract())
    plain = make_shift(scenario, utc("2026-03-24 08:00"))
    named = make_typed_shift(scenario, "E", day(2))
    assert check(scenario, plain, named) == []
    misnamed = make_shift(scenario, utc("2026-03-24 08:00"), shift_type="E")
    unknown = make_shift(scenario, utc("2026-03-26 08:00"), shift_type="X")
    assert check(scenario, misnamed, unknown) == [
        ("shift_type_shape", "a1", "2026-03-24T08:00:00Z"),
        ("shift_type_shape", "a1", "2026-03-26T08:00:00Z"),
    ]


def test_a_template_on_the_local_day_before_the_horizon_is_refused() -> None:
    """22:00 in New York on Sunday is 02:00Z Monday, inside the UTC horizon, but the solver only
    starts templates on the horizon's own local dates."""
    scenario = typed_scenario(agents=[make_agent(timezone="America/New_York", skills=[])])
    sunday_night = make_typed_shift(scenario, "N", "2026-03-22")
    assert sunday_night.start == utc("2026-03-23 02:00")
    violations = validate_roster(scenario, make_roster([sunday_night]))
    assert found(violations) == [("shift_type_shape", "a1", "2026-03-23T02:00:00Z")]
    assert "outside the horizon's local dates" in violations[0].detail


def test_templates_across_dst_start_at_their_wall_time() -> None:
    """Copenhagen: 02:30 does not exist on 29 March; it happens twice on 25 October, and the
    template is the first (CEST) one, as the solver places it."""
    night = ShiftType(id="N", start="02:30", minutes=480)
    copenhagen = [make_agent(timezone="Europe/Copenhagen", skills=[])]

    spring = typed_scenario(
        horizon=Horizon(start=MONDAY, days=7, interval_minutes=30),
        shift_types=[night],
        contract=typed_contract(shift_types=["N"]),
        shift_demand=[ShiftTypeDemand(date=MONDAY, shift_type="N", required=0)],
        agents=copenhagen,
    )
    assert check(spring, make_typed_shift(spring, "N", "2026-03-28")) == []
    skipped = make_shift(
        spring, local("2026-03-29 03:30", "Europe/Copenhagen"), 480, shift_type="N"
    )
    violations = validate_roster(spring, make_roster([skipped]))
    assert found(violations) == [("shift_type_shape", "a1", "2026-03-29T01:30:00Z")]
    assert "does not exist in Europe/Copenhagen" in violations[0].detail

    autumn_monday = date(2026, 10, 19)
    autumn = spring.model_copy(
        update={
            "horizon": Horizon(start=autumn_monday, days=7, interval_minutes=30),
            "shift_demand": [ShiftTypeDemand(date=autumn_monday, shift_type="N", required=0)],
        }
    )
    first = make_typed_shift(autumn, "N", "2026-10-25")
    assert first.start == utc("2026-10-25 00:30")
    assert check(autumn, first) == []
    second = make_shift(autumn, utc("2026-10-25 01:30"), 480, shift_type="N")  # 02:30 CET
    assert check(autumn, second) == [("shift_type_shape", "a1", "2026-10-25T01:30:00Z")]


# --- per-horizon limits ---------------------------------------------------------------------------


def test_max_shifts_per_type() -> None:
    scenario = typed_scenario(contract=typed_contract(max_shifts_per_type={"N": 1, "E": 0}))
    one_night = [make_typed_shift(scenario, "N", day(0)), make_typed_shift(scenario, "L", day(3))]
    assert check(scenario, *one_night) == []
    second_night = make_typed_shift(scenario, "N", day(2))
    violations = validate_roster(scenario, make_roster([*one_night, second_night]))
    assert found(violations) == [("max_shifts_per_type", "a1", day(2))]
    assert violations[0].label == "at most 1 'N' shifts per horizon"
    assert check(scenario, make_typed_shift(scenario, "E", day(5))) == [
        ("max_shifts_per_type", "a1", day(5))
    ]


def test_total_minutes_range() -> None:
    scenario = typed_scenario(
        agents=2, contract=typed_contract(min_total_minutes=2 * 480, max_total_minutes=3 * 480)
    )
    a1 = [make_typed_shift(scenario, "E", day(d)) for d in range(4)]
    a2 = [make_typed_shift(scenario, "L", day(d), agent_id="a2") for d in (0, 5)]
    assert check(scenario, *a1[:3], *a2) == []
    assert check(scenario, *a1, *a2[:1]) == [
        ("total_minutes", "a1", day(3)),  # the fourth shift goes over 1440
        ("total_minutes", "a2", day(0)),  # short: dated at the horizon start
    ]


def test_total_minutes_judges_agents_without_shifts() -> None:
    scenario = typed_scenario(agents=2, contract=typed_contract(min_total_minutes=480))
    shifts = [make_typed_shift(scenario, "E", day(0))]
    violations = validate_roster(scenario, make_roster(shifts))
    assert found(violations) == [("total_minutes", "a2", day(0))]
    assert violations[0].detail == "0 paid minutes over the horizon, 480 short (contract 'full')"


def test_max_weekends_counts_a_weekend_once() -> None:
    scenario = typed_scenario(contract=typed_contract(max_weekends=1))
    first_weekend = [
        make_typed_shift(scenario, "E", day(5)),
        make_typed_shift(scenario, "E", day(6)),
    ]
    assert check(scenario, *first_weekend) == []
    second_sunday = make_typed_shift(scenario, "L", day(13))
    violations = validate_roster(scenario, make_roster([*first_weekend, second_sunday]))
    assert found(violations) == [("max_weekends", "a1", day(13))]
    assert violations[0].detail == f"works 2 weekends, from {day(5)}, {day(13)}"


def test_max_weekends_keys_weekends_by_calendar_week() -> None:
    """From a Sunday start, day 0 (Sunday) and day 6 (Saturday) are different weekends."""
    sunday = MONDAY - timedelta(days=1)
    scenario = typed_scenario(
        horizon=Horizon(start=sunday, days=14, interval_minutes=60),
        shift_demand=[ShiftTypeDemand(date=sunday, shift_type="E", required=0)],
        contract=typed_contract(max_weekends=1),
    )
    saturday, next_sunday = (sunday + timedelta(days=d) for d in (6, 7))
    assert (
        check(
            scenario,
            make_typed_shift(scenario, "E", saturday.isoformat()),
            make_typed_shift(scenario, "E", next_sunday.isoformat()),
        )
        == []
    )
    assert check(
        scenario,
        make_typed_shift(scenario, "E", sunday.isoformat()),
        make_typed_shift(scenario, "E", saturday.isoformat()),
    ) == [("max_weekends", "a1", saturday.isoformat())]


# --- sequences ------------------------------------------------------------------------------------


def test_forbidden_succession() -> None:
    """L lists E in ``cannot_follow``: no E on the local day after an L."""
    scenario = typed_scenario()
    allowed = [
        make_typed_shift(scenario, "E", day(0)),
        make_typed_shift(scenario, "L", day(1)),
        make_typed_shift(scenario, "N", day(2)),
        make_typed_shift(scenario, "E", day(4)),  # L on day 1, not day 3
    ]
    assert check(scenario, *allowed) == []
    violations = validate_roster(
        scenario,
        make_roster(
            [make_typed_shift(scenario, "L", day(7)), make_typed_shift(scenario, "E", day(8))]
        ),
    )
    assert found(violations) == [("forbidden_succession", "a1", day(8))]
    assert violations[0].label == "no 'E' on the day after 'L'"


def test_min_consecutive_working_days() -> None:
    scenario = typed_scenario(contract=typed_contract(min_consecutive_days=2))
    edges_and_pairs = [
        make_typed_shift(scenario, "E", day(d))
        for d in (0, 3, 4, 13)  # 0 and 13 touch the edges
    ]
    assert check(scenario, *edges_and_pairs) == []
    lone = make_typed_shift(scenario, "E", day(7))
    violations = validate_roster(scenario, make_roster([*edges_and_pairs, lone]))
    assert found(violations) == [("min_consecutive_days", "a1", day(7))]
    assert violations[0].detail == f"only 1 consecutive working days, {day(7)} to {day(7)}"


def test_min_consecutive_days_off() -> None:
    scenario = typed_scenario(contract=typed_contract(min_consecutive_days_off=2))
    two_off = [make_typed_shift(scenario, "E", day(d)) for d in (1, 2, 5)]  # off 0, 3–4, 6–13
    assert check(scenario, *two_off) == []
    one_off = make_typed_shift(scenario, "E", day(7))  # off 6 alone
    violations = validate_roster(scenario, make_roster([*two_off, one_off]))
    assert found(violations) == [("min_consecutive_days_off", "a1", day(6))]
    assert violations[0].label == "at least 2 consecutive days off"


def test_short_runs_at_the_horizon_edges_are_exempt() -> None:
    """Day 0 alone at work and day 13 alone off could continue outside the horizon."""
    scenario = typed_scenario(
        contract=typed_contract(min_consecutive_days=3, min_consecutive_days_off=3)
    )
    shifts = [make_typed_shift(scenario, "E", day(d)) for d in (0, *range(4, 13))]
    assert check(scenario, *shifts) == []


# --- objective -----------------------------------------------------------------------------------


def test_type_cover_points() -> None:
    """Monday E needs 2 and gets 1 (100); Monday L needs 0 and gets 2 (2 × 3); Tuesday E needs 1
    and gets none (7); Tuesday L has no row, so its shift costs nothing: 113 points."""
    scenario = typed_scenario(
        agents=3,
        shift_demand=[
            ShiftTypeDemand(
                date=MONDAY, shift_type="E", required=2, under_weight=100, over_weight=1
            ),
            ShiftTypeDemand(date=MONDAY, shift_type="L", required=0, under_weight=9, over_weight=3),
            ShiftTypeDemand(date=day(1), shift_type="E", required=1, under_weight=7, over_weight=1),
        ],
    )
    shifts = [
        make_typed_shift(scenario, "E", day(0), agent_id="a1"),
        make_typed_shift(scenario, "L", day(0), agent_id="a2"),
        make_typed_shift(scenario, "L", day(0), agent_id="a3"),
        make_typed_shift(scenario, "L", day(1), agent_id="a1"),
    ]
    breakdown = objective_breakdown(scenario, make_roster(shifts))
    assert breakdown.shift_type_cover == 113
    assert breakdown.shift_requests == 0
    assert breakdown.total == 113


def test_type_cover_counts_by_local_date() -> None:
    """Manila's Monday 06:00 is Sunday 22:00Z: still Monday's E."""
    scenario = typed_scenario(
        horizon=Horizon(start=MONDAY, days=2, interval_minutes=60),
        agents=[make_agent(timezone="Asia/Manila", skills=[])],
        shift_demand=[
            ShiftTypeDemand(date=MONDAY, shift_type="E", required=1, under_weight=10),
            ShiftTypeDemand(date=day(1), shift_type="E", required=1, under_weight=1000),
        ],
    )
    shift = make_typed_shift(scenario, "E", day(1))
    assert shift.start == utc("2026-03-23 22:00")
    assert objective_breakdown(scenario, make_roster([shift])).shift_type_cover == 10


def test_shift_request_points() -> None:
    """Met: on E Monday (worked), off E Thursday (free). Unmet: on L Tuesday (works E, 5), off N
    Wednesday (works N, 2), on E Friday (day off, 6): 13 points."""
    requests = [
        ShiftRequest(date=MONDAY, shift_type="E", kind="on", weight=4),
        ShiftRequest(date=day(1), shift_type="L", kind="on", weight=5),
        ShiftRequest(date=day(2), shift_type="N", kind="off", weight=2),
        ShiftRequest(date=day(3), shift_type="E", kind="off", weight=3),
        ShiftRequest(date=day(4), shift_type="E", kind="on", weight=6),
    ]
    scenario = typed_scenario(
        agents=[make_agent(skills=[], shift_requests=requests), make_agent(id="a2", skills=[])]
    )
    shifts = [
        make_typed_shift(scenario, "E", day(0)),
        make_typed_shift(scenario, "E", day(1)),
        make_typed_shift(scenario, "N", day(2)),
        make_typed_shift(scenario, "E", day(4), agent_id="a2"),  # someone else's E is not a1's
    ]
    breakdown = objective_breakdown(scenario, make_roster(shifts))
    assert breakdown.shift_requests == 13
    assert breakdown.total == 13


# --- scenarios without queues ---------------------------------------------------------------------


def test_a_team_without_queues_has_no_coverage_and_full_kpis() -> None:
    scenario = typed_scenario()
    shifts = [make_typed_shift(scenario, "E", day(d)) for d in range(3)]
    assert shifts[0].allocation == []
    assert compute_coverage(scenario, shifts) == []
    kpis = compute_kpis(scenario, shifts, None)
    assert kpis.coverage_ratio == 1.0
    assert kpis.under_staffed_hours == 0 and kpis.over_staffed_hours == 0
    assert kpis.under_staffed_hours_by_queue == {}
    assert kpis.paid_hours == 24
    assert check(scenario, *shifts) == []
    assert objective_breakdown(scenario, make_roster(shifts)).under_staffing == 0


def test_an_agent_without_skills_allocates_nothing() -> None:
    scenario = make_scenario(agents=[make_agent(skills=[])])
    idle = make_shift(scenario, utc("2026-03-24 08:00"))
    assert check(scenario, idle) == []
    working = make_shift(scenario, utc("2026-03-25 08:00"), queue="phone")
    violations = validate_roster(scenario, make_roster([working]))
    assert found(violations) == [("allocation", "a1", "2026-03-25T08:00:00Z")]
    assert "has no skills" in violations[0].detail


# --- end to end -----------------------------------------------------------------------------------


def solver_scenario() -> Scenario:
    """Six UTC agents on E/L/N over two weeks with every shift-type rule in play.

    Agents also hold a queue with no demand (and over-staffing costs nothing) because the greedy
    first roster cannot yet handle agents without skills.
    """
    contract = Contract(
        id="rota",
        shift_types=["E", "L", "N"],
        max_shifts_per_type={"N": 3},
        min_total_minutes=5 * 480,
        max_total_minutes=9 * 480,
        min_consecutive_days=2,
        min_consecutive_days_off=2,
        max_consecutive_days=5,
        min_days_off_per_week=2,
        max_weekends=1,
        min_rest_hours=8,
    )
    queue = Queue(id="desk", language="en", channel="phone")
    agents = [
        Agent(
            id=f"a{k}",
            timezone="UTC",
            skills=["desk"],
            contract="rota",
            shift_requests=[
                ShiftRequest(
                    date=MONDAY + timedelta(days=2 * k), shift_type="E", kind="on", weight=3
                ),
                ShiftRequest(
                    date=MONDAY + timedelta(days=k + 1), shift_type="N", kind="off", weight=2
                ),
            ],
        )
        for k in range(6)
    ]
    demand = [
        ShiftTypeDemand(
            date=MONDAY + timedelta(days=d),
            shift_type=t,
            required=n,
            under_weight=50,
            over_weight=5,
        )
        for d in range(14)
        for t, n in (("E", 2), ("L", 1), ("N", 1))
    ]
    return Scenario(
        name="shift-type-rota",
        horizon=TWO_WEEKS,
        queues=[queue],
        demand=[
            DemandRow(queue="desk", interval_start=TWO_WEEKS.interval_start(i), required=0)
            for i in range(TWO_WEEKS.interval_count)
        ],
        shift_types=TYPES,
        shift_demand=demand,
        contracts=[contract],
        agents=agents,
        policy=Policy(weights=quiet_weights(fairness=1, unsocial_hours=1)),
    )


def test_solved_shift_type_roster_is_valid_and_scored_like_the_solver() -> None:
    scenario = solver_scenario()
    result = solve(scenario, SolveParams(time_limit=10, deterministic_time=2, workers=1))
    assert result.objective is not None
    shifts = result.roster.shifts
    assert shifts and all(s.shift_type in {"E", "L", "N"} for s in shifts)
    assert validate_roster(scenario, result.roster) == []
    breakdown = objective_breakdown(scenario, result.roster)
    assert breakdown.total == pytest.approx(result.objective)
    assert breakdown.shift_type_cover > 0  # weekends cannot all be covered under max_weekends=1
