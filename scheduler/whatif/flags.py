"""Overlays written as command-line flags, for a quick what-if without a file.

Each flag is one overlay entry in a compact form; together they make one more variant (source
``command line``), validated exactly like an overlay file:

* ``--scale en-chat=1.2`` (``*=1.1`` for every queue)
* ``--remove site=Athens`` / ``skill=el-phone`` / ``id=mnl001``
* ``--unavailable site=Athens@2026-04-03..2026-04-05``
* ``--hire site=Cairo,timezone=Africa/Cairo,skills=ar-chat,contract=ft-40,cost=15,up_to=3``
* ``--goal queues=ar-chat,coverage=0.98`` (``service_level=0.8`` too)
* ``--set queues.en-chat.shrinkage=0.35`` (any queue, contract or policy field)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from scheduler.domain import Problem
from scheduler.whatif.overlay import OverlayError, SourcedOverlay, parse_overlay

SOURCE = "command line"
_SELECTOR_KEYS = {"site": "site", "skill": "skill", "id": "ids"}
_SETTABLE = ("queues", "contracts", "policy")


@dataclass
class OverlayFlags:
    """The raw flag values, as typer collects them."""

    scale: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)
    hire: list[str] = field(default_factory=list)
    goal: str | None = None
    set: list[str] = field(default_factory=list)
    name: str | None = None

    def given(self) -> bool:
        return bool(
            self.scale or self.remove or self.unavailable or self.hire or self.goal or self.set
        )


def overlay_from_flags(flags: OverlayFlags) -> SourcedOverlay | None:
    """The flags as one overlay (None when no flag is given); OverlayError names the flag."""
    if not flags.given():
        return None
    problems: list[Problem] = []
    data: dict[str, Any] = {"name": flags.name or "command-line"}

    def parsed(flag: str, text: str, parse: Any) -> Any:
        try:
            return parse(text)
        except ValueError as error:
            problems.append(Problem(f"{flag} {text}", str(error)))
            return None

    demand = [parsed("--scale", t, _scale) for t in flags.scale]
    removals = [parsed("--remove", t, _selector) for t in flags.remove]
    absences = [parsed("--unavailable", t, _absence) for t in flags.unavailable]
    hires = [parsed("--hire", t, _pairs) for t in flags.hire]
    for text in flags.set:
        parsed("--set", text, lambda t: _set(data, t))
    goal = parsed("--goal", flags.goal, _pairs) if flags.goal else None
    if problems:
        raise OverlayError(problems, SOURCE)
    data["demand"] = demand
    data["agents"] = {"remove": removals, "unavailable": absences}
    data["hires"] = [_hire(h) for h in hires]
    if goal is not None:
        data["goal"] = {
            **goal,
            **({"queues": goal["queues"].split("+")} if "queues" in goal else {}),
        }
    return parse_overlay(data, SOURCE)


def _scale(text: str) -> dict[str, Any]:
    queue, _, factor = text.partition("=")
    if not queue or not factor:
        raise ValueError("write QUEUE=FACTOR, e.g. en-chat=1.2 (or *=1.2 for every queue)")
    return {"queues": [] if queue == "*" else [queue], "scale": _number(factor)}


def _selector(text: str) -> dict[str, Any]:
    key, _, value = text.partition("=")
    if key not in _SELECTOR_KEYS or not value:
        raise ValueError("write site=NAME, skill=QUEUE or id=AGENT")
    return {_SELECTOR_KEYS[key]: [value] if key == "id" else value}


def _absence(text: str) -> dict[str, Any]:
    selector, _, dates = text.partition("@")
    start, _, end = dates.partition("..")
    if not start:
        raise ValueError("write SELECTOR@START..END, e.g. site=Athens@2026-04-03..2026-04-05")
    return {**_selector(selector), "start": start, "end": end or start}


def _pairs(text: str) -> dict[str, Any]:
    pairs: dict[str, Any] = {}
    for part in text.split(","):
        key, _, value = part.partition("=")
        if not key or not value:
            raise ValueError(f"'{part}' is not KEY=VALUE")
        pairs[key.strip()] = _scalar(value.strip())
    return pairs


def _hire(pairs: dict[str, Any]) -> dict[str, Any]:
    hire = dict(pairs)
    if "cost" in hire:
        hire["cost_per_hour"] = hire.pop("cost")
    if isinstance(hire.get("skills"), str):
        hire["skills"] = hire["skills"].split("+")
    return hire


def _set(data: dict[str, Any], text: str) -> None:
    path, _, value = text.partition("=")
    keys = path.split(".")
    if keys[0] not in _SETTABLE or len(keys) < 2 or not value:
        raise ValueError(
            "write queues.ID.FIELD=VALUE, contracts.ID.FIELD=VALUE or policy.FIELD=VALUE"
        )
    node = data.setdefault(keys[0], {})
    for key in keys[1:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = _scalar(value)


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a number") from None


def _scalar(text: str) -> Any:
    """A YAML scalar or flow value: ``0.35`` is a number, ``[600]`` a list, ``21:00`` a string."""
    if ":" in text and not text.startswith(("[", "{")):
        return text  # YAML 1.1 would read 21:00 as a sexagesimal number
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text
