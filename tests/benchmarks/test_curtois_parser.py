"""The Curtois parser: every shipped instance, the format's corner cases, and a clear error naming
the line for each kind of malformed file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from scheduler.benchmarks.curtois import CurtoisFormatError, parse_instance, parse_text
from scheduler.benchmarks.curtois_run import all_instances
from tests.benchmarks.curtois_builders import DATA_DIR, TINY, curtois_instance


def best_known_rows() -> dict[str, dict[str, str]]:
    with (DATA_DIR / "best_known.csv").open(encoding="utf-8", newline="") as handle:
        return {row["instance"]: row for row in csv.DictReader(handle)}


@pytest.mark.parametrize("name", all_instances())
def test_every_shipped_instance_parses_with_the_published_sizes(name: str) -> None:
    instance = curtois_instance(name)
    row = best_known_rows()[name]
    assert instance.name == name
    assert instance.days == int(row["days"])
    assert len(instance.staff) == int(row["staff"])
    assert len(instance.shifts) == int(row["shift_types"])
    assert instance.days % 7 == 0
    # every cover row and request refers to ids of its own namespace
    assert {c.shift for c in instance.cover} <= set(instance.shift_ids)
    requests = instance.on_requests + instance.off_requests
    assert {r.employee for r in requests} <= set(instance.employee_ids)
    assert {r.shift for r in requests} <= set(instance.shift_ids)
    for employee in instance.staff:
        assert set(employee.max_shifts) == set(instance.shift_ids)


def test_employee_d_and_shift_d_are_kept_apart() -> None:
    """Instance 8 has an employee D and a shift D (ids collide in Instances 1–10 and 14–19)."""
    instance = curtois_instance("Instance8")
    assert instance.shift("D").cannot_follow == ("E",)
    assert instance.shift("D").minutes == 480
    employee = instance.employee("D")
    assert dict(employee.max_shifts) == {"E": 0, "D": 28, "L": 14, "N": 0}
    assert instance.days_off["D"] == frozenset({22, 26})
    # an employee id that is not a shift id is unknown as a shift, and vice versa
    with pytest.raises(KeyError):
        instance.shift("AD")  # an employee, not a shift
    # the request and cover sections name employee D and shift D in their own columns
    assert any(r.employee == "D" for r in instance.on_requests + instance.off_requests)
    assert any(c.shift == "D" for c in instance.cover)


def test_colliding_ids_in_a_tiny_file_keep_their_own_meaning() -> None:
    instance = parse_text(TINY, name="tiny")
    assert instance.employee("D").max_shifts["L"] == 3
    assert instance.employee("E").max_shifts["L"] == 0
    assert instance.shift("E").cannot_follow == ()
    assert instance.shift("L").cannot_follow == ("E", "D")
    assert [(r.employee, r.shift) for r in instance.on_requests] == [("D", "L"), ("E", "D")]


def test_empty_cannot_follow_multi_day_days_off_and_comments() -> None:
    instance = curtois_instance("Instance1")
    assert instance.shift("D").cannot_follow == ()
    tiny = parse_text(TINY, name="tiny")
    assert tiny.days_off == {"D": frozenset({0, 1, 2}), "E": frozenset({13})}
    assert curtois_instance("Instance8").days_off["A"] == frozenset({1, 2})


def test_a_signed_zero_requirement_reads_as_zero() -> None:
    """Instance 15 writes two cover requirements as ``-0``; they are 0, not an error."""
    instance = curtois_instance("Instance15")
    zeros = [c for c in instance.cover if c.day == 41 and c.shift in ("D", "n2")]
    assert [c.required for c in zeros] == [0, 0]


def test_a_comment_inside_a_section_does_not_end_it() -> None:
    text = TINY.replace("D,480,E\n", "D,480,E\n# a note between two shifts\n")
    assert parse_text(text, name="tiny").shift_ids == ("E", "D", "L")


# (case id, text to replace, replacement, words the message must contain)
MALFORMED = [
    (
        "unknown section",
        "SECTION_DAYS_OFF\n",
        "SECTION_HOLIDAYS\n",
        "unknown section 'SECTION_HOLIDAYS'",
    ),
    ("shift field count", "E,480,\n", "E,480\n", "expected 3 fields"),
    (
        "staff field count",
        "E,E=14|D=14|L=0,4800,960,5,2,2,1\n",
        "E,E=14|D=14|L=0,4800,960,5,2,2\n",
        "expected 8 fields",
    ),
    ("request field count", "E,4,D,3\n", "E,4,D\n", "expected 4 fields"),
    ("cover field count", "3,L,1,100,1\n", "3,L,1,100\n", "expected 5 fields"),
    (
        "non-integer length",
        "L,600,E|D\n",
        "L,ten hours,E|D\n",
        "LengthInMins must be a non-negative integer",
    ),
    (
        "non-integer staff field",
        "D,E=14|D=14|L=3,4800,960,5,2,2,1\n",
        "D,E=14|D=14|L=3,4800,960,5,two,2,1\n",
        "MinConsecutiveShifts",
    ),
    ("negative weight", "E,5,E,1\n", "E,5,E,-1\n", "Weight must be a non-negative integer"),
    (
        "undefined shift in MaxShifts",
        "E,E=14|D=14|L=0,4800,960,5,2,2,1\n",
        "E,E=14|D=14|N=0,4800,960,5,2,2,1\n",
        "names shift 'N', which is not defined",
    ),
    (
        "MaxShifts missing a type",
        "E,E=14|D=14|L=0,4800,960,5,2,2,1\n",
        "E,E=14|D=14,4800,960,5,2,2,1\n",
        "does not list shift 'L'",
    ),
    ("undefined shift in CannotFollow", "D,480,E\n", "D,480,N\n", "CannotFollow names shift 'N'"),
    ("empty CannotFollow item", "L,600,E|D\n", "L,600,E||D\n", "has an empty item"),
    ("undefined shift in cover", "3,L,1,100,1\n", "3,N,1,100,1\n", "names shift 'N'"),
    ("undefined shift in request", "D,3,L,2\n", "D,3,X,2\n", "names shift 'X'"),
    ("undefined employee in days off", "E,13\n", "F,13\n", "employee 'F' is not defined"),
    ("undefined employee in request", "E,5,E,1\n", "L,5,E,1\n", "employee 'L' is not defined"),
    ("duplicate shift", "L,600,E|D\n", "L,600,E|D\nD,600,\n", "shift 'D' is defined twice"),
    (
        "duplicate employee",
        "E,E=14|D=14|L=0,4800,960,5,2,2,1\n",
        "E,E=14|D=14|L=0,4800,960,5,2,2,1\nD,E=1|D=1|L=1,4800,960,5,2,2,1\n",
        "employee 'D' is defined twice",
    ),
    (
        "duplicate cover",
        "3,L,1,100,1\n",
        "3,L,1,100,1\n0,D,2,100,1\n",
        "day 0, shift 'D' is given twice",
    ),
    ("day outside horizon", "D,3,L,2\n", "D,14,L,2\n", "day 14 is outside the horizon"),
    ("data after a blank line", "E,13\n", "E,13\n\nD,5\n", "outside a section"),
    ("section given twice", "SECTION_COVER\n", "SECTION_SHIFTS\n", "SECTION_SHIFTS is given twice"),
    (
        "section skipped",
        "SECTION_DAYS_OFF\n",
        "SECTION_SHIFT_ON_REQUESTS\n",
        "needs SECTION_DAYS_OFF before it",
    ),
    (
        "min above max minutes",
        "E,E=14|D=14|L=0,4800,960,5,2,2,1\n",
        "E,E=14|D=14|L=0,960,4800,5,2,2,1\n",
        "MinTotalMinutes 4800 exceeds",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_a_malformed_file_is_refused_naming_its_line(
    tmp_path: Path, old: str, new: str, words: str
) -> None:
    assert TINY.count(old) == 1
    text = TINY.replace(old, new)
    path = tmp_path / "Broken.txt"
    path.write_text(text, encoding="utf-8")
    # the line at fault is the last line of the replacement (the one that breaks the file)
    line = text[: TINY.index(old) + len(new) - 1].count("\n") + 1
    with pytest.raises(CurtoisFormatError) as caught:
        parse_instance(path)
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.source, error.line) == (str(path), line), str(error)
    assert words in error.problem
    assert str(error).startswith(f"{path}:{line}: ")


def test_a_missing_section_is_named_at_the_end_of_the_file(tmp_path: Path) -> None:
    text = TINY[: TINY.index("SECTION_COVER")]
    path = tmp_path / "Short.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        CurtoisFormatError, match=r"Short.txt:\d+: the file ends without SECTION_COVER"
    ):
        parse_instance(path)


def test_a_section_before_the_one_it_needs_is_refused() -> None:
    text = "SECTION_STAFF\nA,D=1,1,0,1,1,1,1\n"
    with pytest.raises(CurtoisFormatError) as caught:
        parse_text(text, name="early")
    assert caught.value.line == 1
    assert "needs SECTION_HORIZON, SECTION_SHIFTS before it" in str(caught.value)


def test_the_horizon_section_takes_exactly_one_number() -> None:
    text = TINY.replace("14\n\nSECTION_SHIFTS", "14\n7\n\nSECTION_SHIFTS")
    with pytest.raises(
        CurtoisFormatError, match=r"tiny:5: SECTION_HORIZON gives the horizon length twice"
    ):
        parse_text(text, name="tiny")
