"""Agents: who they are, where they live (IANA zone), what they can do and when they can work."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scheduler.domain.clock import WallClock, format_clock
from scheduler.domain.shift_types import ShiftRequest
from scheduler.timeutil import is_valid_timezone

Weekday = int  # 0 = Monday … 6 = Sunday, as in ``date.weekday()``
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class AvailabilityWindow(BaseModel):
    """A weekly recurring window in the agent's LOCAL time: ``weekday`` from ``start`` to ``end``.

    A window cannot cross midnight; write an overnight window as two adjacent ones
    (``Mon 22:00–24:00`` and ``Tue 00:00–06:00``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday.")
    start: WallClock
    end: WallClock

    @model_validator(mode="after")
    def _not_inverted(self) -> AvailabilityWindow:
        if self.end <= self.start:
            raise ValueError(
                f"{WEEKDAY_NAMES[self.weekday]} window {format_clock(self.start)}–"
                f"{format_clock(self.end)} is inverted or empty (split overnight windows at 24:00)"
            )
        return self


class TimeOff(BaseModel):
    """Whole local dates off, ``start`` to ``end`` inclusive."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    start: date
    end: date
    reason: str = "time off"

    @model_validator(mode="after")
    def _ordered(self) -> TimeOff:
        if self.end < self.start:
            raise ValueError(f"time off {self.start}–{self.end} ends before it starts")
        return self

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


class StartWindowPreference(BaseModel):
    """The agent would like to start between ``earliest`` and ``latest`` local time."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    earliest: WallClock
    latest: WallClock
    weight: int = Field(1, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> StartWindowPreference:
        if self.latest < self.earliest:
            raise ValueError(
                f"preferred start window {format_clock(self.earliest)}–{format_clock(self.latest)} "
                "is inverted"
            )
        return self


class DaysOffPreference(BaseModel):
    """The agent would like these weekdays off; each worked one costs ``weight``."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    weekdays: list[int] = Field(min_length=1)
    weight: int = Field(1, ge=0, le=100)

    @field_validator("weekdays")
    @classmethod
    def _valid_weekdays(cls, value: list[int]) -> list[int]:
        bad = [d for d in value if not 0 <= d <= 6]
        if bad:
            raise ValueError(f"weekday {bad[0]} is not 0 (Monday) … 6 (Sunday)")
        return value


class Preferences(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    start_window: StartWindowPreference | None = None
    days_off: DaysOffPreference | None = None


class Agent(BaseModel):
    """One person on the team. ``availability`` empty means available at any local time."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.:@-]+$")
    name: str = ""
    email: str | None = None
    timezone: str = Field(description="IANA zone, e.g. 'Europe/Copenhagen'.")
    site: str = Field("remote", min_length=1)
    skills: list[str] = Field(
        default_factory=list, description="Queue ids the agent can work (none: shift types only)."
    )
    contract: str
    cost_per_hour: float = Field(0, ge=0)
    employment: Literal["employee", "contractor"] = "employee"
    availability: list[AvailabilityWindow] = Field(default_factory=list)
    time_off: list[TimeOff] = Field(default_factory=list)
    preferences: Preferences = Preferences()
    shift_requests: list[ShiftRequest] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not is_valid_timezone(value):
            raise ValueError(f"unknown IANA time zone '{value}' (e.g. 'Europe/Athens')")
        return value

    @field_validator("skills")
    @classmethod
    def _distinct_skills(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a skill is listed twice")
        return value

    @model_validator(mode="after")
    def _windows_do_not_overlap(self) -> Agent:
        by_day = sorted(self.availability, key=lambda w: (w.weekday, w.start))
        for before, after in pairwise(by_day):
            if before.weekday == after.weekday and after.start < before.end:
                raise ValueError(
                    f"agent '{self.id}': availability windows on {WEEKDAY_NAMES[before.weekday]} "
                    f"overlap ({format_clock(before.start)}–{format_clock(before.end)} and "
                    f"{format_clock(after.start)}–{format_clock(after.end)})"
                )
        return self

    def is_off(self, local_day: date) -> bool:
        return any(entry.covers(local_day) for entry in self.time_off)
