"""The agents-CSV cell grammar: examples from the docs, refusals that name the text, round-trips."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler.domain import AvailabilityWindow, DaysOffPreference, StartWindowPreference, TimeOff
from scheduler.io.cells import (
    CellFormatError,
    format_availability,
    format_days_off_preference,
    format_number,
    format_start_preference,
    format_time_off,
    parse_availability,
    parse_days_off_preference,
    parse_list,
    parse_number,
    parse_start_preference,
    parse_time_off,
)


def windows(*spec: tuple[int, str, str]) -> list[AvailabilityWindow]:
    return [AvailabilityWindow(weekday=d, start=a, end=b) for d, a, b in spec]  # type: ignore[arg-type]


def test_brief_example_availability() -> None:
    parsed = parse_availability("Mon-Fri 08:00-18:00; Sat 10:00-14:00")
    assert parsed == windows(*[(d, "08:00", "18:00") for d in range(5)], (5, "10:00", "14:00"))


def test_overnight_window_is_two_adjacent_windows() -> None:
    assert parse_availability("Mon 22:00-24:00; Tue 00:00-06:00") == windows(
        (0, "22:00", "24:00"), (1, "00:00", "06:00")
    )


def test_day_lists_wrapping_ranges_and_several_ranges() -> None:
    assert parse_availability("fri-mon 09:00-12:00,13:00-17:00") == windows(
        *[(d, a, b) for d in (4, 5, 6, 0) for a, b in (("09:00", "12:00"), ("13:00", "17:00"))]
    )
    assert parse_availability("Mon,Wed 07:00-15:00") == windows(
        (0, "07:00", "15:00"), (2, "07:00", "15:00")
    )


def test_empty_availability_means_always_available() -> None:
    assert parse_availability("") == []
    assert parse_availability(" ; ") == []


@pytest.mark.parametrize(
    ("text", "offending", "fragment"),
    [
        ("Mon-Fri 08:00-18:00; Sat 10-14", "10-14", "is not a time range"),
        ("Mun 08:00-10:00", "Mun", "is not a weekday"),
        ("Mon", "Mon", "needs days and times"),
        ("Mon 08:00-25:00", "25:00", "is not a time of day"),
        ("Tue 22:00-06:00", "Tue 22:00-06:00", "inverted"),
    ],
)
def test_availability_refusals_name_the_text(text: str, offending: str, fragment: str) -> None:
    with pytest.raises(CellFormatError) as caught:
        parse_availability(text)
    assert caught.value.text == offending
    assert fragment in str(caught.value)


def test_format_groups_consecutive_identical_days() -> None:
    assert (
        format_availability(windows((0, "08:00", "12:00"), (1, "08:00", "12:00"), (3, "08:00", "12:00")))
        == "Mon-Tue 08:00-12:00; Thu 08:00-12:00"
    )


def test_time_off_examples() -> None:
    assert parse_time_off("2026-03-02..2026-03-06; 2026-03-20") == [
        TimeOff(start=date(2026, 3, 2), end=date(2026, 3, 6)),
        TimeOff(start=date(2026, 3, 20), end=date(2026, 3, 20)),
    ]
    assert parse_time_off("2026-03-20 (doctor)")[0].reason == "doctor"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2026-03-06..2026-03-02", "ends before it starts"),
        ("2026-02-30", "is not a date"),
        ("next week", "is not 'YYYY-MM-DD'"),
    ],
)
def test_time_off_refusals(text: str, fragment: str) -> None:
    with pytest.raises(CellFormatError, match=fragment):
        parse_time_off(text)


def test_preference_examples() -> None:
    assert parse_start_preference("08:00-10:00:3") == StartWindowPreference(
        earliest=480, latest=600, weight=3
    )
    assert parse_start_preference("08:00-10:00") == StartWindowPreference(earliest=480, latest=600)
    assert parse_days_off_preference("Sat|Sun:2") == DaysOffPreference(weekdays=[5, 6], weight=2)
    assert parse_start_preference("") is None
    assert parse_days_off_preference(" ") is None


def test_preference_refusals_name_the_rule() -> None:
    with pytest.raises(CellFormatError, match="inverted"):
        parse_start_preference("10:00-08:00")
    with pytest.raises(CellFormatError, match="less than or equal to 100"):
        parse_days_off_preference("Sat:500")
    with pytest.raises(CellFormatError, match="'Caturday' is not a weekday"):
        parse_days_off_preference("Caturday")


def test_lists_and_numbers() -> None:
    assert parse_list("en-chat|da-phone") == ["en-chat", "da-phone"]
    with pytest.raises(CellFormatError, match="empty item"):
        parse_list("en-chat||da-phone")
    for bad in ("nan", "inf", "1,5", "abc"):
        with pytest.raises(CellFormatError):
            parse_number(bad)


# --- round-trips ------------------------------------------------------------------------------

clock = st.integers(min_value=0, max_value=24 * 4).map(lambda quarter: quarter * 15)


@st.composite
def day_windows(draw: st.DrawFn, weekday: int) -> list[AvailabilityWindow]:
    """Sorted, non-overlapping windows on one day (adjacent windows allowed)."""
    cuts = sorted(draw(st.sets(clock, max_size=6)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    return [AvailabilityWindow(weekday=weekday, start=a, end=b) for a, b in pairs]


@st.composite
def week_windows(draw: st.DrawFn) -> list[AvailabilityWindow]:
    return [w for day in range(7) for w in draw(day_windows(day))]


@given(week_windows())
def test_availability_round_trips(original: list[AvailabilityWindow]) -> None:
    assert parse_availability(format_availability(original)) == original


@st.composite
def time_off_lists(draw: st.DrawFn) -> list[TimeOff]:
    first = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)))
    length = draw(st.integers(min_value=0, max_value=10))
    reason = draw(
        st.one_of(
            st.just("time off"),
            st.text(st.characters(blacklist_characters=";\n\r", blacklist_categories=["Cs"]))
            .map(str.strip)
            .filter(lambda text: text == text.strip()),
        )
    )
    return [TimeOff(start=first, end=first + timedelta(days=length), reason=reason)]


@given(time_off_lists())
def test_time_off_round_trips(original: list[TimeOff]) -> None:
    assert parse_time_off(format_time_off(original)) == original


@given(
    st.builds(
        StartWindowPreference,
        earliest=st.integers(0, 600),
        latest=st.integers(600, 1440),
        weight=st.integers(0, 100),
    )
)
def test_start_preference_round_trips(original: StartWindowPreference) -> None:
    assert parse_start_preference(format_start_preference(original)) == original


@given(
    st.builds(
        DaysOffPreference,
        weekdays=st.lists(st.integers(0, 6), min_size=1, max_size=7),
        weight=st.integers(0, 100),
    )
)
def test_days_off_preference_round_trips(original: DaysOffPreference) -> None:
    assert parse_days_off_preference(format_days_off_preference(original)) == original


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_round_trip_exactly(value: float) -> None:
    assert parse_number(format_number(value)) == value


def test_unwritable_reason_is_refused_not_altered() -> None:
    with pytest.raises(ValueError, match="cannot be written"):
        format_time_off([TimeOff(start=date(2026, 1, 1), end=date(2026, 1, 1), reason="a; b")])
