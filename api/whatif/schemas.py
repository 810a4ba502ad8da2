"""What-if payloads: variants as overlay documents in, the comparison out."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.solves.schemas import SolveOut, SolveParamsIn

MAX_VARIANTS = 6


class VariantIn(BaseModel):
    """One variant: overlays (the documents of ``sunshift whatif --overlay``) applied in order."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field("", max_length=100, description="Default: the overlays' names joined by +.")
    overlays: list[dict[str, Any]] = Field(min_length=1, max_length=8)


class WhatIfIn(BaseModel):
    """Compare the team on a forecast (the base) with each variant, same seed and limits."""

    model_config = ConfigDict(extra="forbid")

    forecast_id: int
    label: str = Field("", max_length=200)
    variants: list[VariantIn] = Field(min_length=1, max_length=MAX_VARIANTS)
    marginal: bool = Field(True, description="With hires: price one more hire per site/skill group.")
    params: SolveParamsIn = SolveParamsIn()


class WhatIfOut(SolveOut):
    """The job, and once it succeeded the comparison (as ``sunshift whatif --json`` prints it)
    plus each variant's roster version (what-if rosters: never publishable)."""

    result: dict[str, Any] | None
