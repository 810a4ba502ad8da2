"""The planning horizon: a UTC window cut into equal demand intervals."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from scheduler.timeutil import midnight_utc

IntervalMinutes = Literal[15, 30, 60]


class Horizon(BaseModel):
    """``days`` whole UTC days from 00:00Z on ``start``, in intervals of 15, 30 or 60 minutes.

    Demand is given per UTC interval; each agent's days, weeks and nights are their own local ones.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    start: date = Field(description="First UTC day of the horizon (00:00Z).")
    days: int = Field(ge=1, le=366, description="Number of whole days.")
    interval_minutes: IntervalMinutes = Field(30, description="Demand interval length in minutes.")

    @property
    def start_utc(self) -> datetime:
        return midnight_utc(self.start)

    @property
    def end_utc(self) -> datetime:
        return self.start_utc + timedelta(days=self.days)

    @property
    def minutes(self) -> int:
        return self.days * 24 * 60

    @property
    def interval_count(self) -> int:
        return self.minutes // self.interval_minutes

    def interval_start(self, index: int) -> datetime:
        """UTC start of interval ``index``."""
        return self.start_utc + timedelta(minutes=index * self.interval_minutes)

    def interval_index(self, moment: datetime) -> int | None:
        """Index of the interval starting exactly at ``moment``; None when off the grid or outside."""
        offset = moment - self.start_utc
        minutes, remainder = divmod(offset, timedelta(minutes=self.interval_minutes))
        if remainder or not 0 <= minutes < self.interval_count:
            return None
        return int(minutes)

    def minute_of(self, moment: datetime) -> int:
        """Minutes from the horizon start to ``moment`` (may be negative or beyond the end)."""
        return int((moment - self.start_utc) // timedelta(minutes=1))

    def at_minute(self, minute: int) -> datetime:
        return self.start_utc + timedelta(minutes=minute)
