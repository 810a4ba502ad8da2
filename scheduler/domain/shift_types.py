"""Named shift templates (Early, Late, Night…) and demand counted per day and template.

Teams that roster fixed shift types state demand as "3 on Early every weekday" rather than as a
curve per interval; both modes can be used in one scenario.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from scheduler.domain.clock import WallClock


class ShiftType(BaseModel):
    """A template starting at ``start`` local time and lasting ``minutes`` (elapsed).

    ``cannot_follow`` lists types that may not be worked on the local day after this one.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.:-]+$")
    start: WallClock = Field(description="Local start time, 00:00–23:59.")
    minutes: int = Field(gt=0, le=24 * 60)

    @field_validator("start")
    @classmethod
    def _before_midnight(cls, value: int) -> int:
        if value >= 24 * 60:
            raise ValueError("a shift type starts before 24:00; write 00:00 for midnight")
        return value

    cannot_follow: list[str] = Field(default_factory=list)


class ShiftTypeDemand(BaseModel):
    """``required`` agents on shift type ``shift_type`` on local date ``date``; each agent short
    costs ``under_weight`` points and each agent over costs ``over_weight``."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    date: date
    shift_type: str
    required: int = Field(ge=0)
    under_weight: int = Field(100, ge=0)
    over_weight: int = Field(1, ge=0)


class ShiftRequest(BaseModel):
    """An agent asks to work (``on``) or not to work (``off``) ``shift_type`` on a local date;
    unmet requests cost ``weight`` points. An ``on`` request is unmet by a day off or another type."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    date: date
    shift_type: str
    kind: Literal["on", "off"]
    weight: int = Field(1, ge=0)
