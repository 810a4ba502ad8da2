"""Demand: per queue and UTC interval, either a forecast (volume + AHT) or a required headcount."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator


class DemandRow(BaseModel):
    """One queue-interval. Give ``volume`` and ``aht_seconds``, or ``required`` agents — not both."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    queue: str
    interval_start: AwareDatetime = Field(description="UTC start of the interval (ISO 8601, Z).")
    volume: float | None = Field(None, ge=0, description="Contacts arriving in the interval.")
    aht_seconds: float | None = Field(None, gt=0, description="Average handle time in seconds.")
    required: float | None = Field(None, ge=0, description="Required agents (headcount mode).")

    @field_validator("interval_start")
    @classmethod
    def _to_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @model_validator(mode="after")
    def _one_mode(self) -> DemandRow:
        forecast = self.volume is not None or self.aht_seconds is not None
        if forecast and self.required is not None:
            raise ValueError("give either volume + aht_seconds or required, not both")
        if not forecast and self.required is None:
            raise ValueError("give volume + aht_seconds, or required")
        if forecast and (self.volume is None or self.aht_seconds is None):
            missing = "aht_seconds" if self.aht_seconds is None else "volume"
            raise ValueError(f"{missing} is missing (a forecast row needs volume and aht_seconds)")
        return self

    @property
    def is_forecast(self) -> bool:
        return self.required is None
