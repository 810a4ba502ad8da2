"""Solve payloads."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

JobState = Literal["queued", "running", "succeeded", "failed", "cancelled"]


class SolveParamsIn(BaseModel):
    """Solver limits; capped by the server's settings (422 naming the limit beyond them)."""

    model_config = ConfigDict(extra="forbid")

    time_limit: float | None = Field(None, gt=0, description="Wall-clock cap in seconds (default from settings).")
    deterministic_time: float | None = Field(None, gt=0, description="Reproducible work budget.")
    seed: int = Field(0, ge=0)
    workers: int | None = Field(None, ge=1, le=64, description="Solver threads (default: the cap).")
    strategy: Literal["auto", "cpsat", "lns"] = "auto"


class SolveIn(BaseModel):
    """Solve the team's agents against a forecast. Planners may only run what-ifs."""

    model_config = ConfigDict(extra="forbid")

    forecast_id: int
    label: str = Field("", max_length=200)
    what_if: bool = Field(False, description="A what-if: its roster is marked as such.")
    exclude_agents: list[str] = Field(default_factory=list, description="Agents left out (what-if: absence).")
    demand_factor: float = Field(1.0, gt=0, le=10, description="Scale the forecast's demand.")
    params: SolveParamsIn = SolveParamsIn()


class Progress(BaseModel):
    elapsed: float | None
    objective: float | None
    bound: float | None
    gap: float | None
    phase: str | None


class JobError(BaseModel):
    code: str
    detail: str


class SolveOut(BaseModel):
    id: int
    kind: Literal["solve", "whatif"] = Field(description="whatif: a comparison job (see /whatif/{id}).")
    state: JobState
    label: str
    what_if: bool
    forecast_id: int | None
    attempt: int
    progress: Progress
    result_status: str | None
    error: JobError | None
    explanation: dict[str, object] | None
    roster_version: int | None
    roster_url: str | None
    created_at: datetime
    started_at: datetime | None = Field(description="When the solver process began solving.")
    finished_at: datetime | None
    cancel_requested_at: datetime | None
    queue_seconds: float | None = Field(description="From the POST to the solver starting.")
