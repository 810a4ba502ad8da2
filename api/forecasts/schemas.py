"""Forecast payloads."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from scheduler.domain import DemandRow, Horizon
from scheduler.roster import UtcDateTime


class ForecastIn(BaseModel):
    """Per queue and UTC interval: ``volume`` + ``aht_seconds`` (forecast) or ``required``."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    horizon: Horizon
    rows: list[DemandRow] = Field(min_length=1)


class StaffingRow(BaseModel):
    queue: str
    interval_start: UtcDateTime
    volume: float | None
    aht_seconds: float | None
    required: float = Field(description="Agents needed (Erlang C with shrinkage, or as given).")


class QueueStaffing(BaseModel):
    queue: str
    mode: str = Field(description="forecast (volume + AHT) or headcount.")
    peak_required: float
    required_agent_hours: float


class ForecastSummary(BaseModel):
    id: int
    name: str
    horizon: Horizon
    queues: list[QueueStaffing]
    created_at: datetime


class ForecastOut(ForecastSummary):
    staffing: list[StaffingRow]
