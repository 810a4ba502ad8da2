"""Overlays: small YAML/JSON documents that change a base scenario without copying it.

An overlay says what is different ("Arabic chat volume +20 % in Riyadh evenings", "Athens
closed over Easter", "up to 5 contractors in Manila"); :func:`scheduler.whatif.apply.apply`
derives the variant scenario from the base. Every entry is validated here, so a typo is reported
with the overlay file and the entry's path (``closure.yaml: agents.unavailable[0].site``).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scheduler.domain import Agent, Problem, ScenarioError
from scheduler.io.errors import json_path, problems_from_validation
from scheduler.timeutil import is_valid_timezone

_STRICT = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class OverlayError(ScenarioError):
    """An overlay (or a combination of overlays) cannot be applied; names file and entry."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        super().__init__(problems, source)
        self.args = (str(self.args[0]).replace("in the scenario", "in the overlay", 1),)


class LocalWindow(BaseModel):
    """A stretch of LOCAL time in ``timezone``: ``start`` inclusive to ``end`` exclusive."""

    model_config = _STRICT

    start: datetime = Field(description="Local date-time, e.g. 2026-03-25T18:00 (no offset).")
    end: datetime
    timezone: str = Field("UTC", description="IANA zone the start and end are read in.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not is_valid_timezone(value):
            raise ValueError(f"unknown IANA time zone '{value}' (e.g. 'Asia/Riyadh')")
        return value

    @field_validator("start", "end")
    @classmethod
    def _local(cls, value: datetime) -> datetime:
        if value.tzinfo is not None:
            raise ValueError("give a local date-time without an offset; the zone is `timezone`")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> LocalWindow:
        if self.end <= self.start:
            raise ValueError(f"window {self.start}–{self.end} is empty or inverted")
        return self


class DemandChange(BaseModel):
    """Scale and/or add demand of some queues (all when none is named), optionally in a window.

    ``scale`` multiplies forecast volume (or required headcount); then ``add`` adds contacts
    per interval to forecast queues (agents to headcount queues). A scenario has a row for every
    interval (zero where closed), so ``add`` reaches every interval of the window.
    """

    model_config = _STRICT

    queues: list[str] = Field(default_factory=list, description="Queue ids; empty = every queue.")
    scale: float = Field(1.0, gt=0, description="Multiplier (> 0); 1.2 = +20 %.")
    add: float = Field(0.0, ge=0, description="Contacts (or agents) added per interval.")
    window: LocalWindow | None = None

    @model_validator(mode="before")
    @classmethod
    def _queue_alias(cls, data: Any) -> Any:
        if isinstance(data, dict) and "queue" in data:
            data = {**data}
            if "queues" in data:
                raise ValueError("give `queue` or `queues`, not both")
            data["queues"] = [data.pop("queue")]
        return data


class AgentSelector(BaseModel):
    """Agents by id, site or skill; all given criteria must hold (at least one is required)."""

    model_config = _STRICT

    ids: list[str] = Field(default_factory=list)
    site: str | None = None
    skill: str | None = None

    @model_validator(mode="after")
    def _something(self) -> AgentSelector:
        if not self.ids and self.site is None and self.skill is None:
            raise ValueError("select agents by `ids`, `site` or `skill`")
        return self

    def matches(self, agent: Agent) -> bool:
        return (
            (not self.ids or agent.id in self.ids)
            and (self.site is None or agent.site == self.site)
            and (self.skill is None or self.skill in agent.skills)
        )

    def describe(self) -> str:
        parts = [f"ids {', '.join(self.ids)}"] if self.ids else []
        parts += [f"site '{self.site}'"] if self.site is not None else []
        parts += [f"skill '{self.skill}'"] if self.skill is not None else []
        return " and ".join(parts)


class Unavailability(AgentSelector):
    """Selected agents are off on these local dates (e.g. a site closed for a holiday)."""

    start: date
    end: date
    reason: str = "unavailable (what-if)"

    @model_validator(mode="after")
    def _dates_ordered(self) -> Unavailability:
        if self.end < self.start:
            raise ValueError(f"{self.start}–{self.end} ends before it starts")
        return self


class AgentChanges(BaseModel):
    model_config = _STRICT

    remove: list[AgentSelector] = Field(default_factory=list)
    unavailable: list[Unavailability] = Field(default_factory=list)
    add: list[Agent] = Field(default_factory=list)


class Hires(BaseModel):
    """Up to ``up_to`` hypothetical agents the solver may use; it decides how many."""

    model_config = _STRICT

    site: str = Field(min_length=1)
    timezone: str
    skills: list[str] = Field(min_length=1)
    contract: str
    cost_per_hour: float = Field(ge=0)
    up_to: int = Field(ge=1, le=500)
    employment: str = Field("contractor", pattern="^(employee|contractor)$")
    id_prefix: str | None = Field(None, pattern=r"^[A-Za-z0-9_.:@-]+$")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not is_valid_timezone(value):
            raise ValueError(f"unknown IANA time zone '{value}' (e.g. 'Asia/Manila')")
        return value

    def prefix(self) -> str:
        return self.id_prefix or f"hire-{self.site}-{'-'.join(self.skills)}"


class Goal(BaseModel):
    """What hiring must achieve: a coverage ratio and/or a projected service level."""

    model_config = _STRICT

    queues: list[str] = Field(default_factory=list, description="Queue ids; empty = every queue.")
    coverage: float | None = Field(None, gt=0, le=1)
    service_level: float | None = Field(None, gt=0, le=1)

    @model_validator(mode="after")
    def _something(self) -> Goal:
        if self.coverage is None and self.service_level is None:
            raise ValueError("a goal needs `coverage` and/or `service_level`")
        return self


class Overlay(BaseModel):
    """One what-if: every section optional; sections compose across overlays (see apply)."""

    model_config = _STRICT

    name: str = Field("", description="Shown in the comparison (default: the file's stem).")
    description: str = ""
    demand: list[DemandChange] = Field(default_factory=list)
    agents: AgentChanges = AgentChanges()
    hires: list[Hires] = Field(default_factory=list)
    queues: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Per queue id: fields to change (partial Queue)."
    )
    contracts: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Per contract id: fields to change (partial Contract)."
    )
    policy: dict[str, Any] = Field(default_factory=dict, description="Partial Policy.")
    goal: Goal | None = None


class SourcedOverlay(BaseModel):
    """An overlay with the file it came from (every error message names it)."""

    model_config = ConfigDict(frozen=True)

    source: str
    overlay: Overlay

    @property
    def name(self) -> str:
        return self.overlay.name or Path(self.source).stem


def parse_overlay(data: Any, source: str) -> SourcedOverlay:
    """Validate an overlay document; OverlayError lists every problem at its entry path."""
    if not isinstance(data, dict):
        raise OverlayError([Problem("(top level)", "an overlay is a mapping of sections")], source)
    try:
        return SourcedOverlay(source=source, overlay=Overlay.model_validate(data))
    except ValidationError as error:
        raise OverlayError(problems_from_validation(error, json_path), source) from None


def load_overlay(path: Path) -> SourcedOverlay:
    """Read a ``.yaml``/``.yml``/``.json`` overlay file."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise OverlayError(
            [Problem(path.name, f"cannot be read: {error.strerror or error}")], source
        ) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise OverlayError(
            [Problem(path.name, f"is not valid {_format(path)}: {error}")], source
        ) from None
    return parse_overlay(data, source)


def _format(path: Path) -> str:
    return "JSON" if path.suffix.lower() == ".json" else "YAML"
