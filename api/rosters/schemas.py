"""Roster payloads (the roster itself is the core's ``scheduler.roster.Roster`` contract)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from scheduler.roster import Kpis, Roster, ShiftOut, UtcDateTime


class RosterSummary(BaseModel):
    version: int
    solve_id: int
    what_if: bool
    status: str
    objective: float | None
    best_bound: float | None
    gap: float | None
    shifts: int
    kpis: Kpis | None
    created_at: datetime


class RosterOut(RosterSummary):
    roster: Roster


class CoverageCell(BaseModel):
    queue: str
    interval_start: UtcDateTime
    required: float
    scheduled: float
    gap: float = Field(description="scheduled − required (negative: under-staffed).")


class QueueCoverage(BaseModel):
    queue: str
    required_agent_hours: float
    scheduled_agent_hours: float
    under_staffed_hours: float
    over_staffed_hours: float
    intervals: list[CoverageCell]


class CoverageReport(BaseModel):
    version: int
    queues: list[QueueCoverage]


class MovedShift(BaseModel):
    agent_id: str
    local_date: str
    before: ShiftOut
    after: ShiftOut


class RosterDiff(BaseModel):
    """From version ``base`` to ``version``: per agent and local date, shifts added, removed or moved."""

    base: int
    version: int
    added: list[ShiftOut]
    removed: list[ShiftOut]
    moved: list[MovedShift]
    unchanged: int
