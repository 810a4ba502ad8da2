"""Solver parameters. Reproducible runs use a deterministic-time budget; wall time is a cap."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class SolveParams(BaseModel):
    """How to solve. Same scenario + seed + workers + ``deterministic_time`` ⇒ same roster.

    ``time_limit`` is wall-clock seconds from the call, building the model and computing the
    lower bounds included (a safety cap, not reproducible on its own);
    ``deterministic_time`` is CP-SAT's machine-independent work budget (on rule-heavy teams
    the path search's share of it is counted in days planned, see :mod:`scheduler.solve.improve`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    time_limit: float | None = Field(60.0, gt=0, description="Wall-clock cap in seconds.")
    deterministic_time: float | None = Field(None, gt=0, description="Deterministic work budget.")
    seed: int = Field(0, ge=0)
    workers: int = Field(0, ge=0, le=64, description="0 = all cores.")
    strategy: Literal["auto", "cpsat", "lns"] = "auto"
    lower_bound: bool = Field(True, description="Compute the LP lower bound on under-staffing.")
    explain_infeasible: bool = True
    log: bool = False

    @model_validator(mode="after")
    def _some_limit(self) -> SolveParams:
        if self.time_limit is None and self.deterministic_time is None:
            raise ValueError("give time_limit, deterministic_time or both: a solve must end")
        return self
