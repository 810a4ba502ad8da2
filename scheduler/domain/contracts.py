"""Contracts: the labour rules an agent works under (hours, shift shapes, rest, breaks)."""

from __future__ import annotations

from itertools import pairwise

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scheduler.domain.clock import WallClock, format_clock


class BreakRule(BaseModel):
    """A break every shift of at least ``min_shift_minutes`` gets, placed by the solver.

    The break starts no earlier than ``earliest_start_offset`` minutes after the shift start and
    ends no later than ``latest_end_offset`` minutes after it (e.g. a 30-min meal between hours 3
    and 5 of a shift longer than 6 h). An agent on a break covers nothing.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    name: str = Field(min_length=1)
    minutes: int = Field(gt=0, le=120)
    earliest_start_offset: int = Field(ge=0, description="Minutes after shift start.")
    latest_end_offset: int = Field(gt=0, description="Minutes after shift start.")
    min_shift_minutes: int = Field(0, ge=0, description="Only shifts at least this long get it.")
    paid: bool = False

    @model_validator(mode="after")
    def _window_fits(self) -> BreakRule:
        if self.latest_end_offset - self.earliest_start_offset < self.minutes:
            raise ValueError(
                f"break '{self.name}': window {self.earliest_start_offset}–{self.latest_end_offset} "
                f"min after shift start is shorter than the {self.minutes}-min break"
            )
        return self


class Contract(BaseModel):
    """Hours, shift shapes and rest rules shared by a group of agents.

    Weeks are 7-day blocks of the agent's local dates counted from the horizon start date.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    id: str = Field(min_length=1)
    min_hours_per_week: float = Field(0, ge=0, description="Shortfall is penalised (see hard).")
    min_hours_hard: bool = Field(
        False, description="Make the weekly minimum a hard rule (guaranteed contracted hours)."
    )
    max_hours_per_week: float = Field(40, gt=0, le=84)
    shift_lengths_minutes: list[int] = Field(
        default_factory=lambda: [480],
        min_length=1,
        description="Allowed paid+unpaid shift lengths.",
    )
    start_granularity_minutes: int = Field(60, description="Shifts start on this UTC grid.")
    earliest_start: WallClock = Field(0, description="Earliest local start time.")
    latest_start: WallClock = Field(23 * 60, description="Latest local start time.")
    max_consecutive_days: int = Field(6, ge=1, le=366)
    min_rest_hours: float = Field(11, ge=0, le=48)
    min_days_off_per_week: int = Field(1, ge=0, le=7)
    max_unsocial_shifts_per_week: int | None = Field(None, ge=0, le=7)
    max_weekend_days: int | None = Field(None, ge=0, description="Per horizon.")
    breaks: list[BreakRule] = Field(default_factory=list)
    shift_types: list[str] | None = Field(
        None, description="When set, agents work only these shift templates (by id)."
    )
    max_shifts_per_type: dict[str, int] = Field(
        default_factory=dict, description="Per shift type id: most shifts of it per horizon."
    )
    min_total_minutes: int | None = Field(None, ge=0, description="Hard, per horizon.")
    max_total_minutes: int | None = Field(None, ge=0, description="Hard, per horizon.")
    min_consecutive_days: int | None = Field(
        None,
        ge=1,
        description="Shortest run of working days; runs touching a horizon edge are exempt.",
    )
    min_consecutive_days_off: int | None = Field(
        None, ge=1, description="Shortest run of days off; runs touching a horizon edge are exempt."
    )
    max_weekends: int | None = Field(
        None, ge=0, description="Weekends with any work (local Sat or Sun) per horizon."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Contract:
        problems: list[str] = []
        if self.min_hours_per_week > self.max_hours_per_week:
            problems.append(
                f"min_hours_per_week {self.min_hours_per_week} exceeds "
                f"max_hours_per_week {self.max_hours_per_week}"
            )
        for length in self.shift_lengths_minutes:
            if not 60 <= length <= 16 * 60 or length % 15:
                problems.append(
                    f"shift length {length} min must be a multiple of 15 between 60 and 960"
                )
        if len(set(self.shift_lengths_minutes)) != len(self.shift_lengths_minutes):
            problems.append("shift_lengths_minutes lists a length twice")
        if self.start_granularity_minutes not in (15, 30, 60, 120):
            problems.append(
                f"start_granularity_minutes {self.start_granularity_minutes} must be 15, 30, 60 or 120"
            )
        if self.earliest_start > self.latest_start or self.latest_start >= 24 * 60:
            problems.append(
                f"start window {format_clock(self.earliest_start)}–{format_clock(self.latest_start)} "
                "is inverted or ends at 24:00 (latest_start must be before midnight)"
            )
        ordered = sorted(self.breaks, key=lambda b: b.earliest_start_offset)
        for before, after in pairwise(ordered):
            overlap = after.earliest_start_offset < before.latest_end_offset
            both_apply = any(
                n >= max(before.min_shift_minutes, after.min_shift_minutes)
                for n in self.shift_lengths_minutes
            )
            if overlap and both_apply:
                problems.append(
                    f"break windows '{before.name}' and '{after.name}' overlap; give each break "
                    "its own part of the shift"
                )
        for rule in self.breaks:
            too_short = [
                n
                for n in self.shift_lengths_minutes
                if n >= rule.min_shift_minutes and n < rule.latest_end_offset
            ]
            if too_short:
                problems.append(
                    f"break '{rule.name}' window ends {rule.latest_end_offset} min after start, "
                    f"after the end of the {too_short[0]}-min shifts it applies to"
                )
        if (
            self.min_total_minutes is not None
            and self.max_total_minutes is not None
            and self.min_total_minutes > self.max_total_minutes
        ):
            problems.append(
                f"min_total_minutes {self.min_total_minutes} exceeds max_total_minutes "
                f"{self.max_total_minutes}"
            )
        bad = [f"{k}={v}" for k, v in self.max_shifts_per_type.items() if v < 0]
        if bad:
            problems.append(f"max_shifts_per_type must be ≥ 0 ({', '.join(bad)})")
        if problems:
            raise ValueError(f"contract '{self.id}': " + "; ".join(problems))
        return self

    def breaks_for(self, shift_minutes: int) -> list[BreakRule]:
        """The break rules a shift of this length gets."""
        return [rule for rule in self.breaks if shift_minutes >= rule.min_shift_minutes]
