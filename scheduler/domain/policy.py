"""Team-wide policy: what counts as unsocial local time and how the objective weighs things."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from scheduler.domain.clock import WallClock


class ObjectiveWeights(BaseModel):
    """Weights of the soft goals, per unit named in each field. All integers, so runs are exact.

    Under-staffing dominates by default: a roster never trades coverage for cost or comfort.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    under_staffing: int = Field(
        1000, ge=0, description="Per agent-hour short (times queue priority)."
    )
    over_staffing: int = Field(5, ge=0, description="Per agent-hour over the requirement.")
    min_hours_shortfall: int = Field(
        20, ge=0, description="Per hour under a contract's weekly minimum."
    )
    labour_cost: int = Field(1, ge=0, description="Per unit of currency.")
    unsocial_hours: int = Field(40, ge=0, description="Per hour worked inside the unsocial window.")
    preferences: int = Field(5, ge=0, description="Multiplies each preference's own weight.")
    fairness: int = Field(
        10, ge=0, description="Per unit of spread (hours, weekend and unsocial shifts)."
    )


class Policy(BaseModel):
    """``unsocial_start``–``unsocial_end`` is evaluated on each agent's own wall clock."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    unsocial_start: WallClock = Field(22 * 60)
    unsocial_end: WallClock = Field(6 * 60)
    unsocial_shift_minutes: int = Field(
        180,
        ge=1,
        description="A shift with at least this many minutes in the window is an unsocial shift "
        "(the EU Working Time Directive's night-worker threshold is 3 h).",
    )
    weekend_days: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default_factory=lambda: [5, 6], description="Local weekdays: 0 = Monday … 6 = Sunday."
    )
    weights: ObjectiveWeights = ObjectiveWeights()

    @field_validator("weekend_days")
    @classmethod
    def _each_day_once(cls, value: list[int]) -> list[int]:
        repeated = sorted({d for d in value if value.count(d) > 1})
        if repeated:
            raise ValueError(f"weekday {repeated[0]} is listed more than once")
        return value

    def is_unsocial(self, local_minute_of_day: int) -> bool:
        """Whether a local wall-clock minute lies inside the (usually overnight) unsocial window.

        >>> Policy().is_unsocial(23 * 60), Policy().is_unsocial(5 * 60 + 59), Policy().is_unsocial(6 * 60)
        (True, True, False)
        """
        start, end = self.unsocial_start, self.unsocial_end
        if start == end:
            return False
        if start < end:
            return start <= local_minute_of_day < end
        return local_minute_of_day >= start or local_minute_of_day < end
