"""Rule-of-thumb monthly capacity: customers × rate → workload hours → FTE."""

from __future__ import annotations

import doctest

import pytest

import scheduler.staffing.capacity as capacity_module
from scheduler.staffing import StaffingInputError, estimate_capacity


def test_worked_example() -> None:
    """20,000 customers × 0.06 = 1,200 tickets × 15 min = 300 h; 160 h × 0.75 × 0.8 = 96 h per
    FTE; 300 / 96 = 3.125 FTE → 4 people."""
    estimate = estimate_capacity(20_000, 0.06, 15, 160, shrinkage=0.25, occupancy=0.8)
    assert estimate.tickets == pytest.approx(1200)
    assert estimate.workload_hours == pytest.approx(300)
    assert estimate.productive_hours_per_fte == pytest.approx(96)
    assert estimate.fte == pytest.approx(3.125)
    assert estimate.fte_rounded_up == 4


def test_defaults_are_no_shrinkage_and_85_percent_occupancy() -> None:
    """Defaults match a queue's defaults (shrinkage 0, max occupancy 0.85)."""
    estimate = estimate_capacity(1_000, 0.5, 12, 170)
    assert estimate.productive_hours_per_fte == pytest.approx(144.5)
    assert estimate.fte == pytest.approx(100 / 144.5)
    assert estimate.fte_rounded_up == 1


def test_whole_fte_is_not_rounded_up_by_float_noise() -> None:
    """3,000 × 0.07 × 14 min = 49 h; 100 h × 0.7 × 0.7 = 49 h: exactly 1 FTE, although the
    doubles give 1.0000000000000002."""
    estimate = estimate_capacity(3_000, 0.07, 14, 100, shrinkage=0.3, occupancy=0.7)
    assert estimate.fte > 1  # the float trap
    assert estimate.fte_rounded_up == 1


def test_no_customers_needs_no_one() -> None:
    """Zero tickets is a valid plan: zero FTE."""
    estimate = estimate_capacity(0, 0.2, 10, 160)
    assert (estimate.tickets, estimate.fte, estimate.fte_rounded_up) == (0.0, 0.0, 0)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"customers": -5}, "customers"),
        ({"incident_rate": -0.1}, "incident_rate"),
        ({"aht_minutes": 0}, "aht_minutes"),
        ({"paid_hours_per_month": 0}, "paid_hours_per_month"),
        ({"shrinkage": 1.0}, "shrinkage"),
        ({"occupancy": 0.0}, "occupancy"),
        ({"occupancy": 1.2}, "occupancy"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, float], field: str) -> None:
    """STYLE §11: a ValueError subclass carrying the field and the value."""
    arguments = {
        "customers": 1000.0,
        "incident_rate": 0.1,
        "aht_minutes": 10.0,
        "paid_hours_per_month": 160.0,
    } | kwargs
    with pytest.raises(StaffingInputError) as caught:
        estimate_capacity(**arguments)
    assert caught.value.field == field
    assert caught.value.value == kwargs[field]
    assert field in str(caught.value)


def test_doctests() -> None:
    """The module's worked example is part of the contract."""
    assert doctest.testmod(capacity_module).failed == 0
