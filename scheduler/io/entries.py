"""Scenario list items as read from a file: where each came from, and what it validated to.

A scenario's lists (queues, contracts, agents, demand) may come from JSON or from CSV. Each item
is validated on its own so that one bad agent does not hide the next, and so that problems point
into the user's file. An item that fails keeps a *stand-in*: a minimal valid object carrying only
its id and references, which lets the scenario-wide cross-reference checks still run (an invalid
queue must not make every agent's skill look "undefined").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from scheduler.domain import Agent, Contract, DemandRow, Queue, ShiftType, ShiftTypeDemand
from scheduler.io.errors import Locator

SECTION_MODELS: dict[str, type[BaseModel]] = {
    "queues": Queue,
    "contracts": Contract,
    "agents": Agent,
    "demand": DemandRow,
    "shift_types": ShiftType,
    "shift_demand": ShiftTypeDemand,
}
#: Sections a scenario file may leave out (an empty list).
OPTIONAL_SECTIONS = frozenset({"queues", "demand", "shift_types", "shift_demand"})


@dataclass(frozen=True)
class Entry:
    """One list item. ``locate`` maps a pydantic location inside the item to the user's file."""

    locate: Locator
    item: str | None
    model: BaseModel | None
    stand_in: BaseModel | None = None

    @property
    def usable(self) -> BaseModel | None:
        """What the cross-reference check sees: the model, else the stand-in."""
        return self.model if self.model is not None else self.stand_in


@dataclass
class Section:
    """One scenario list. ``where`` names it as a whole (``demand`` or ``forecast.csv``).

    ``readable`` is False when the source could not be read at all (missing file, broken
    header); cross-references are then not checked, since every one would be a false alarm.
    """

    name: str
    where: str
    entries: list[Entry] = field(default_factory=list)
    readable: bool = True

    @property
    def has_invalid(self) -> bool:
        return not self.readable or any(entry.model is None for entry in self.entries)


def item_name(section: str, raw: Any) -> str | None:
    """The id a problem should name: the agent/queue/contract id, or a demand row's queue."""
    if not isinstance(raw, Mapping):
        return None
    key = {"demand": "queue", "shift_demand": "shift_type"}.get(section, "id")
    value = raw.get(key)
    return value if isinstance(value, str) and value else None


def stand_in(section: str, raw: Mapping[str, Any]) -> BaseModel | None:
    """A minimal valid stand-in for an invalid item, or None when even its id is unusable.

    Only the fields other items refer to (ids, skills, contract, a demand row's queue and
    interval) are kept; everything else takes a harmless default.
    """
    keep: dict[str, Any]
    if section == "queues":
        keep = {"id": raw.get("id"), "language": "xx", "channel": "phone"}
    elif section == "contracts":
        keep = {"id": raw.get("id")}
    elif section == "agents":
        keep = {
            "id": raw.get("id"),
            "timezone": "UTC",
            "skills": raw.get("skills"),
            "contract": raw.get("contract"),
        }
    elif section == "demand":
        mode = (
            {"required": 0}
            if raw.get("required") is not None and raw.get("volume") is None
            else {"volume": 0, "aht_seconds": 1}
        )
        keep = {"queue": raw.get("queue"), "interval_start": raw.get("interval_start"), **mode}
    elif section == "shift_types":
        keep = {"id": raw.get("id"), "start": "00:00", "minutes": 60}
    elif section == "shift_demand":
        keep = {"date": raw.get("date"), "shift_type": raw.get("shift_type"), "required": 0}
    else:
        raise ValueError(f"unknown scenario section '{section}'")
    try:
        return SECTION_MODELS[section].model_validate(keep)
    except ValidationError:
        return None
