"""The independent evaluator against the benchmark's rules, including every pitfall FORMAT.md
lists, and on a known optimal roster of Instance 1 (607)."""

from __future__ import annotations

import doctest

import pytest

from scheduler.benchmarks import curtois, curtois_eval, curtois_import, curtois_run
from scheduler.benchmarks.curtois import CurtoisInstance, parse_text
from scheduler.benchmarks.curtois_eval import evaluate
from tests.benchmarks.curtois_builders import curtois_instance, load_fixture

#: Limits that never bind, so each test switches on only the rule it is about.
LOOSE = {"max": 100_000, "min": 0, "run": 14, "min_run": 1, "min_off": 1, "weekends": 2}


def make_instance(
    *,
    days: int = 14,
    shifts: str = "D,480,E\nE,480,",
    limits: dict[str, int] | None = None,
    maxima: str = "D=14|E=14",
    days_off: str = "",
    on: str = "",
    off: str = "",
    cover: str = "",
) -> CurtoisInstance:
    """One employee ``A`` (and shift types D and E) with only the given limits binding."""
    v = LOOSE | (limits or {})
    staff = (
        f"A,{maxima},{v['max']},{v['min']},{v['run']},{v['min_run']},{v['min_off']},{v['weekends']}"
    )
    sections = [
        f"SECTION_HORIZON\n{days}\n",
        f"SECTION_SHIFTS\n{shifts}\n",
        f"SECTION_STAFF\n{staff}\n",
        f"SECTION_DAYS_OFF\n{days_off}\n",
        f"SECTION_SHIFT_ON_REQUESTS\n{on}\n",
        f"SECTION_SHIFT_OFF_REQUESTS\n{off}\n",
        f"SECTION_COVER\n{cover}\n",
    ]
    return parse_text("\n".join(s.replace("\n\n", "\n") for s in sections), name="made")


def row(pattern: str) -> list[str]:
    """``"-DD-E"`` → ``["", "D", "D", "", "E"]``."""
    return ["" if c == "-" else c for c in pattern]


def rules(instance: CurtoisInstance, pattern: str) -> list[str]:
    return [b.rule for b in evaluate(instance, {"A": row(pattern)}).breaches]


def test_an_on_request_costs_its_weight_only_when_it_is_not_met() -> None:
    """The pitfall: penalising a met on-request (one public model reports 1204 for Instance 1)."""
    instance = make_instance(days=7, on="A,2,D,3")
    assert evaluate(instance, {"A": row("--D----")}).on_requests == 0  # met
    assert evaluate(instance, {"A": row("-------")}).on_requests == 3  # off that day
    assert evaluate(instance, {"A": row("--E----")}).on_requests == 3  # another shift


def test_an_off_request_costs_its_weight_only_for_its_own_shift() -> None:
    instance = make_instance(days=7, off="A,2,D,2")
    assert evaluate(instance, {"A": row("--D----")}).off_requests == 2
    assert evaluate(instance, {"A": row("--E----")}).off_requests == 0
    assert evaluate(instance, {"A": row("-------")}).off_requests == 0


def test_cover_counts_each_shift_type_separately_with_its_weights() -> None:
    instance = make_instance(days=7, cover="0,D,2,100,1\n1,E,0,100,1")
    result = evaluate(instance, {"A": row("EE-----")})
    assert (result.cover_under, result.cover_over) == (200, 1)  # E on day 0 does not cover D
    assert result.penalty == 201


def test_d_480_e_means_e_may_not_follow_d() -> None:
    """``D,480,E``: E cannot be worked the day after D; D after E is fine."""
    instance = make_instance(days=7)
    assert rules(instance, "DE-----") == ["shift_rotation"]
    assert rules(instance, "ED-----") == []
    assert rules(instance, "D-E----") == []
    assert rules(instance, "-----DE") == ["shift_rotation"]  # last two days are still checked


def test_minimum_runs_touching_an_edge_are_exempt() -> None:
    instance = make_instance(days=14, limits={"min_run": 3})
    assert rules(instance, "D-------------") == []  # touches day 0
    assert rules(instance, "-------------D") == []  # touches the last day
    assert rules(instance, "DD----------DD") == []
    assert rules(instance, "---DD---------") == ["min_consecutive_shifts"]
    assert rules(instance, "---DDD--------") == []


def test_minimum_days_off_runs_touching_an_edge_are_exempt() -> None:
    instance = make_instance(days=14, limits={"min_off": 2})
    assert rules(instance, "-DDDDDD-DDDDD-") == ["min_consecutive_days_off"]  # day 7 alone
    assert rules(instance, "-DDDDD--DDDDD-") == []  # edge single days off are exempt


def test_maximum_runs_are_measured_inside_the_horizon() -> None:
    instance = make_instance(days=14, limits={"run": 3})
    assert rules(instance, "DDD-----------") == []
    assert rules(instance, "DDDD----------") == ["max_consecutive_shifts"]
    assert rules(instance, "----------DDDD") == ["max_consecutive_shifts"]


def test_a_weekend_counts_once_even_when_both_days_are_worked() -> None:
    instance = make_instance(days=14, limits={"weekends": 1})
    assert rules(instance, "-----DD-------") == []  # days 5 and 6: the first weekend, once
    assert rules(instance, "-----D-------D") == ["max_weekends"]  # Sat of week 1, Sun of week 2
    assert rules(instance, "------D-----D-") == ["max_weekends"]
    assert rules(instance, "DDDDD--DDDDD--") == []  # weekdays only


def test_shift_type_maxima_minutes_and_days_off() -> None:
    instance = make_instance(
        days=7, maxima="D=1|E=0", limits={"max": 960, "min": 480}, days_off="A,3,4"
    )
    assert rules(instance, "D------") == []
    assert rules(instance, "-------") == ["min_total_minutes"]
    assert rules(instance, "D-D-D--") == ["max_shifts", "max_total_minutes", "days_off"]
    assert rules(instance, "E------") == ["max_shifts"]


def test_malformed_assignments_are_reported_not_ignored() -> None:
    instance = make_instance(days=7)
    result = evaluate(instance, {"A": row("DX"), "Z": row("-------")})
    assert [str(b) for b in result.breaches] == [
        "assignment Z: not an employee of the instance",
        "assignment A: 2 entries for a 7-day horizon",
        "assignment A day 1: shift 'X' is not defined",
    ]
    assert evaluate(instance, {}).breaches[0].detail == "no assignment row"


def test_the_known_optimal_roster_of_instance_1_scores_607() -> None:
    """The benchmark's published optimum; any misreading of a rule moves it."""
    solution = load_fixture("instance1-optimal-607.json")
    result = evaluate(curtois_instance("Instance1"), solution["assignments"])
    assert result.breaches == ()
    assert result.penalty == 607 == solution["objective"]


def test_changing_one_day_of_the_optimum_costs_more_or_breaks_a_rule() -> None:
    instance = curtois_instance("Instance1")
    assignments = load_fixture("instance1-optimal-607.json")["assignments"]
    for employee in instance.employee_ids:
        for day in range(instance.days):
            changed = {e: list(days) for e, days in assignments.items()}
            changed[employee][day] = "" if changed[employee][day] else "D"
            result = evaluate(instance, changed)
            assert result.breaches or result.penalty >= 607


@pytest.mark.parametrize(
    "module", [curtois, curtois_eval, curtois_import, curtois_run], ids=lambda m: m.__name__
)
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0
