"""The roster: the typed result of a solve, and the stable JSON contract external tools read.

Times are aware UTC datetimes in memory and ``…Z`` strings in JSON; ``local_start``/``local_end``
carry the agent's offset. ``allocation`` lists the agent's working time per queue (breaks are the
gaps); ``scheduled`` in coverage is allocated agent-time ÷ interval length.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from scheduler.timeutil import utc_iso

UtcDateTime = Annotated[datetime, PlainSerializer(utc_iso, return_type=str, when_used="json")]
LocalDateTime = Annotated[
    datetime, PlainSerializer(lambda d: d.isoformat(), return_type=str, when_used="json")
]


class SolveStatus(StrEnum):
    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"


class Span(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: UtcDateTime
    end: UtcDateTime


class QueueSpan(Span):
    queue: str


class BreakSpan(Span):
    name: str = "break"


class ShiftOut(BaseModel):
    """One worked shift. ``start``/``end`` in UTC; local fields in the agent's zone."""

    model_config = ConfigDict(frozen=True)

    agent_id: str
    start: UtcDateTime
    end: UtcDateTime
    local_start: LocalDateTime
    local_end: LocalDateTime
    timezone: str
    site: str
    local_date: str = Field(description="The local work date the shift belongs to (its start).")
    paid_hours: float
    shift_type: str | None = Field(None, description="The template worked, for shift-type rosters.")
    allocation: list[QueueSpan]
    breaks: list[BreakSpan]


class CoverageRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    queue: str
    interval_start: UtcDateTime
    required: float
    scheduled: float


class AgentHours(BaseModel):
    model_config = ConfigDict(frozen=True)

    agent_id: str
    site: str
    shifts: int
    paid_hours: float
    unsocial_hours: float
    weekend_shifts: int


class Kpis(BaseModel):
    model_config = ConfigDict(frozen=True)

    under_staffed_hours: float
    over_staffed_hours: float
    under_staffed_lower_bound_hours: float | None
    coverage_ratio: float = Field(description="Required agent-hours met ÷ required agent-hours.")
    labour_cost: float
    unsocial_hours: float
    paid_hours: float
    hours_per_agent: list[AgentHours]
    under_staffed_hours_by_queue: dict[str, float]


class Violation(BaseModel):
    """A broken rule as data: which rule (human label), which agent/queue, which time."""

    model_config = ConfigDict(frozen=True)

    rule: str
    label: str
    agent_id: str | None = None
    queue: str | None = None
    when: str | None = None
    detail: str = ""


class Explanation(BaseModel):
    """Why a scenario has no roster: the rules, agents and intervals in conflict."""

    model_config = ConfigDict(frozen=True)

    summary: str
    conflicts: list[Violation]


class Roster(BaseModel):
    """The JSON written by ``sunshift solve --out``: contract fields first, extras after."""

    model_config = ConfigDict(frozen=True)

    status: SolveStatus
    objective: float | None
    best_bound: float | None
    gap: float | None = None
    scenario: str = ""
    shifts: list[ShiftOut] = Field(default_factory=list)
    coverage: list[CoverageRow] = Field(default_factory=list)
    kpis: Kpis | None = None
    explanation: Explanation | None = None
    solver: dict[str, float | int | str | None] = Field(default_factory=dict)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
