"""Quick capacity estimate: how many FTE a support team needs in a month, by rule of thumb.

Erlang C needs an interval forecast; early planning ("we'll have 20,000 customers next year")
has only a customer count and a ticket rate. This gives the monthly FTE from workload hours and
the productive hours one FTE delivers. It ignores intraday peaks and service targets, so treat
it as a floor for budgeting, not a roster.

>>> estimate = estimate_capacity(
...     customers=20_000, incident_rate=0.06, aht_minutes=15,
...     paid_hours_per_month=160, shrinkage=0.25, occupancy=0.8,
... )
>>> estimate.tickets, estimate.workload_hours, estimate.productive_hours_per_fte
(1200.0, 300.0, 96.0)
>>> estimate.fte, estimate.fte_rounded_up
(3.125, 4)
"""

from __future__ import annotations

import math
from typing import Final

from pydantic import BaseModel, ConfigDict

from scheduler.staffing.erlang import StaffingInputError

__all__ = ["CapacityEstimate", "estimate_capacity"]

_MINUTES_PER_HOUR: Final = 60.0
_CEIL_DECIMALS: Final = 9
"""Round before ``ceil`` so float noise (3.0000000000000004) does not add a whole FTE."""


class CapacityEstimate(BaseModel):
    """Monthly workload and the FTE it takes; every intermediate is kept so it can be shown."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tickets: float
    workload_hours: float
    productive_hours_per_fte: float
    fte: float
    fte_rounded_up: int


def estimate_capacity(
    customers: float,
    incident_rate: float,
    aht_minutes: float,
    paid_hours_per_month: float,
    shrinkage: float = 0.0,
    occupancy: float = 0.85,
) -> CapacityEstimate:
    """FTE needed for a month of tickets: workload hours ÷ productive hours per FTE.

    tickets = customers × incident rate; workload hours = tickets × AHT; productive hours per
    FTE = paid hours × (1 − shrinkage) × occupancy, because nobody spends every paid hour on
    tickets (shrinkage) or is busy every minute they are available (occupancy).

    Parameters
    ----------
    customers:
        Customers served (≥ 0).
    incident_rate:
        Tickets per customer per month (≥ 0).
    aht_minutes:
        Average handle time per ticket in minutes (> 0).
    paid_hours_per_month:
        Paid hours of one FTE per month (> 0), e.g. 160.
    shrinkage:
        Fraction of paid time off tickets (leave, training, meetings), in [0, 1).
    occupancy:
        Fraction of available time spent handling tickets, in (0, 1]; 0.85 is a common ceiling.

    Returns
    -------
    A :class:`CapacityEstimate` with tickets, workload hours, productive hours per FTE, the FTE
    as a float and rounded up to whole people.

    Raises
    ------
    StaffingInputError
        For any parameter out of range; ``field`` names it.
    """
    for field, value in (("customers", customers), ("incident_rate", incident_rate)):
        if not (math.isfinite(value) and value >= 0):
            raise StaffingInputError(field, value, "must be a finite number >= 0")
    for field, value in (
        ("aht_minutes", aht_minutes),
        ("paid_hours_per_month", paid_hours_per_month),
    ):
        if not (math.isfinite(value) and value > 0):
            raise StaffingInputError(field, value, "must be a finite number > 0")
    if not (0 <= shrinkage < 1):
        raise StaffingInputError("shrinkage", shrinkage, "must be in [0, 1)")
    if not (0 < occupancy <= 1):
        raise StaffingInputError("occupancy", occupancy, "must be in (0, 1]")

    tickets = float(customers) * incident_rate
    workload_hours = tickets * aht_minutes / _MINUTES_PER_HOUR
    productive_hours = paid_hours_per_month * (1.0 - shrinkage) * occupancy
    fte = workload_hours / productive_hours
    return CapacityEstimate(
        tickets=tickets,
        workload_hours=workload_hours,
        productive_hours_per_fte=productive_hours,
        fte=fte,
        fte_rounded_up=math.ceil(round(fte, _CEIL_DECIMALS)),
    )
