"""Derive a variant scenario from a base and one or more overlays (composed in order).

The base is never modified (scenarios are frozen; every change builds a new model). Composition
rules: demand changes multiply and add in order; agent removals, unavailability, additions and
hires accumulate; a queue, contract or policy field set by two overlays to different values is a
conflict, reported with both files. Every reference (queue, contract, agent, site, skill) must
resolve, so a misspelt site is an error rather than a what-if that silently changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from scheduler.domain import Agent, Contract, DemandRow, Problem, Scenario, ScenarioError, TimeOff
from scheduler.io.errors import json_path, problems_from_validation
from scheduler.roster import utc
from scheduler.whatif.overlay import (
    AgentSelector,
    DemandChange,
    Goal,
    Hires,
    OverlayError,
    SourcedOverlay,
)

#: Suffix of the contract a hypothetical hire works under: the offered contract without its
#: minimum hours, so an unused hire costs nothing and the solver is free to leave it out.
OPTIONAL_HIRE_SUFFIX = "~hire"


@dataclass(frozen=True)
class HireGroup:
    """The hires one ``hires`` entry offers: where, which skills, at what cost, how many."""

    site: str
    skills: tuple[str, ...]
    contract: str
    cost_per_hour: float
    agent_ids: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.site} {'+'.join(self.skills)}"


@dataclass(frozen=True)
class Variant:
    """A named scenario derived from the base, with what hiring and goals it carries."""

    name: str
    scenario: Scenario
    sources: tuple[str, ...] = ()
    hire_groups: tuple[HireGroup, ...] = ()
    goal: Goal | None = None
    description: str = ""

    @property
    def hire_ids(self) -> set[str]:
        return {a for group in self.hire_groups for a in group.agent_ids}

    def with_hires(self, chosen: set[str]) -> Scenario:
        """The plain scenario: the chosen hires as ordinary agents on their real contract, the
        rest gone (what a planner would roster after hiring exactly these people)."""
        unknown = chosen - self.hire_ids
        if unknown:
            raise ValueError(f"not offered hires: {', '.join(sorted(unknown))}")
        agents = [
            a.model_copy(update={"contract": a.contract.removesuffix(OPTIONAL_HIRE_SUFFIX)})
            if a.id in chosen
            else a
            for a in self.scenario.agents
            if a.id not in self.hire_ids or a.id in chosen
        ]
        contracts = [c for c in self.scenario.contracts if not c.id.endswith(OPTIONAL_HIRE_SUFFIX)]
        return Scenario.model_validate(
            {**_fields(self.scenario), "agents": agents, "contracts": contracts}
        )


def base_variant(scenario: Scenario) -> Variant:
    return Variant(name="base", scenario=scenario)


def apply(base: Scenario, overlays: Sequence[SourcedOverlay], name: str | None = None) -> Variant:
    """The variant of ``base`` that ``overlays`` describe, applied in order.

    Raises
    ------
    OverlayError
        Naming the overlay file and entry for unknown references, conflicts between overlays
        and any rule the derived scenario breaks.
    """
    if not overlays:
        return base_variant(base)
    sources = tuple(o.source for o in overlays)
    label = name or "+".join(o.name for o in overlays)
    _check_conflicts(overlays)
    scenario = base
    groups: list[HireGroup] = []
    goal: Goal | None = None
    for item in overlays:
        scenario, added = _apply_one(scenario, item)
        groups += added
        goal = item.overlay.goal or goal
    if goal is not None:
        _check_queues(scenario, goal.queues, overlays[-1].source, "goal.queues")
    return Variant(
        name=label,
        scenario=scenario,
        sources=sources,
        hire_groups=tuple(groups),
        goal=goal,
        description="; ".join(o.overlay.description for o in overlays if o.overlay.description),
    )


def _apply_one(scenario: Scenario, item: SourcedOverlay) -> tuple[Scenario, list[HireGroup]]:
    overlay, source = item.overlay, item.source
    fields = _fields(scenario)
    fields["queues"] = _patched(scenario.queues, overlay.queues, "queues", source)
    fields["contracts"] = _patched(scenario.contracts, overlay.contracts, "contracts", source)
    if overlay.policy:
        fields["policy"] = _validated(
            type(scenario.policy),
            _merge(scenario.policy.model_dump(), overlay.policy),
            "policy",
            source,
        )
    agents = _agents_after(scenario, item)
    groups: list[HireGroup] = []
    known_ids = {a.id for a in agents}
    for k, hires in enumerate(overlay.hires):
        where = f"hires[{k}]"
        _check_queues(scenario, hires.skills, source, f"{where}.skills")
        # the contract as this overlay leaves it (its own contract changes apply to hires too)
        contract = _contract(fields["contracts"], hires.contract, source, f"{where}.contract")
        optional = _optional_contract(contract)
        if optional.id not in {c.id for c in fields["contracts"]}:
            fields["contracts"] = [*fields["contracts"], optional]
        new = _hire_agents(hires, optional.id)
        clash = sorted({a.id for a in new} & known_ids)
        if clash:
            raise OverlayError(
                [
                    Problem(
                        f"{where}.id_prefix",
                        f"hire id '{clash[0]}' is already an agent; set id_prefix",
                    )
                ],
                source,
            )
        known_ids |= {a.id for a in new}
        agents += new
        groups.append(
            HireGroup(
                site=hires.site,
                skills=tuple(hires.skills),
                contract=hires.contract,
                cost_per_hour=hires.cost_per_hour,
                agent_ids=tuple(a.id for a in new),
            )
        )
    fields["agents"] = agents
    fields["demand"] = _demand_after(scenario, overlay.demand, source)
    try:
        return Scenario.model_validate(fields), groups
    except ScenarioError as error:
        raise OverlayError(error.problems, source) from None
    except ValidationError as error:
        raise OverlayError(problems_from_validation(error, json_path), source) from None


def _fields(scenario: Scenario) -> dict[str, Any]:
    """The scenario's fields as models (not dumped: re-validation keeps them as they are)."""
    return {name: getattr(scenario, name) for name in type(scenario).model_fields}


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` applied; nested mappings merge, everything else replaces."""
    merged = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _validated(model: type[BaseModel], data: dict[str, Any], where: str, source: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise OverlayError(
            problems_from_validation(error, lambda loc: json_path((where, *loc))), source
        ) from None


def _patched(
    items: Sequence[Any], patches: dict[str, dict[str, Any]], kind: str, source: str
) -> list[Any]:
    by_id = {item.id: item for item in items}
    unknown = [key for key in patches if key not in by_id]
    if unknown:
        known = ", ".join(sorted(by_id)) or "none"
        raise OverlayError(
            [
                Problem(f"{kind}.{key}", f"{kind[:-1]} '{key}' is not in the base (known: {known})")
                for key in unknown
            ],
            source,
        )
    for key, patch in patches.items():
        if "id" in patch and patch["id"] != key:
            raise OverlayError([Problem(f"{kind}.{key}.id", "an overlay cannot rename")], source)
    return [
        _validated(
            type(item), _merge(item.model_dump(), patches[item.id]), f"{kind}.{item.id}", source
        )
        if item.id in patches
        else item
        for item in items
    ]


def _check_queues(scenario: Scenario, queue_ids: Sequence[str], source: str, where: str) -> None:
    known = {q.id for q in scenario.queues}
    problems = [
        Problem(where, f"queue '{q}' is not in the scenario (known: {', '.join(sorted(known))})")
        for q in queue_ids
        if q not in known
    ]
    if problems:
        raise OverlayError(problems, source)


def _contract(contracts: list[Contract], contract_id: str, source: str, where: str) -> Contract:
    for contract in contracts:
        if contract.id == contract_id and not contract.id.endswith(OPTIONAL_HIRE_SUFFIX):
            return contract
    known = ", ".join(c.id for c in contracts if not c.id.endswith(OPTIONAL_HIRE_SUFFIX))
    raise OverlayError(
        [Problem(where, f"contract '{contract_id}' is not in the base (known: {known})")], source
    )


def _optional_contract(contract: Contract) -> Contract:
    return contract.model_copy(
        update={
            "id": contract.id + OPTIONAL_HIRE_SUFFIX,
            "min_hours_per_week": 0.0,
            "min_hours_hard": False,
            "min_total_minutes": None,
        }
    )


def _hire_agents(hires: Hires, contract_id: str) -> list[Agent]:
    prefix = hires.prefix()
    return [
        Agent(
            id=f"{prefix}-{k}",
            name=f"Hire {k} ({hires.site})",
            timezone=hires.timezone,
            site=hires.site,
            skills=list(hires.skills),
            contract=contract_id,
            cost_per_hour=hires.cost_per_hour,
            employment="contractor" if hires.employment == "contractor" else "employee",
        )
        for k in range(1, hires.up_to + 1)
    ]


def _selected(agents: list[Agent], selector: AgentSelector, source: str, where: str) -> set[str]:
    """Ids the selector picks; an id, site or skill that matches nobody is an error."""
    known_ids = {a.id for a in agents}
    problems = [
        Problem(f"{where}.ids", f"agent '{i}' is not in the scenario")
        for i in selector.ids
        if i not in known_ids
    ]
    if selector.site is not None and not any(a.site == selector.site for a in agents):
        sites = ", ".join(sorted({a.site for a in agents}))
        problems.append(
            Problem(f"{where}.site", f"no agent works at site '{selector.site}' (sites: {sites})")
        )
    if selector.skill is not None and not any(selector.skill in a.skills for a in agents):
        problems.append(Problem(f"{where}.skill", f"no agent has skill '{selector.skill}'"))
    if problems:
        raise OverlayError(problems, source)
    chosen = {a.id for a in agents if selector.matches(a)}
    if not chosen:
        raise OverlayError([Problem(where, f"no agent matches {selector.describe()}")], source)
    return chosen


def _agents_after(scenario: Scenario, item: SourcedOverlay) -> list[Agent]:
    changes, source = item.overlay.agents, item.source
    agents = list(scenario.agents)
    removed: set[str] = set()
    for k, selector in enumerate(changes.remove):
        removed |= _selected(agents, selector, source, f"agents.remove[{k}]")
    agents = [a for a in agents if a.id not in removed]
    if not agents:
        raise OverlayError([Problem("agents.remove", "removes every agent")], source)
    off: dict[str, list[TimeOff]] = defaultdict(list)
    for k, entry in enumerate(changes.unavailable):
        for agent_id in _selected(agents, entry, source, f"agents.unavailable[{k}]"):
            off[agent_id].append(TimeOff(start=entry.start, end=entry.end, reason=entry.reason))
    agents = [
        a.model_copy(update={"time_off": [*a.time_off, *off[a.id]]}) if a.id in off else a
        for a in agents
    ]
    known = {a.id for a in agents}
    for k, agent in enumerate(changes.add):
        if agent.id in known:
            raise OverlayError(
                [Problem(f"agents.add[{k}].id", f"agent '{agent.id}' already exists")], source
            )
        known.add(agent.id)
    return agents + list(changes.add)


def _demand_after(scenario: Scenario, changes: list[DemandChange], source: str) -> list[DemandRow]:
    rows = list(scenario.demand)
    horizon = scenario.horizon
    for k, change in enumerate(changes):
        where = f"demand[{k}]"
        _check_queues(scenario, change.queues, source, f"{where}.queues")
        queues = set(change.queues or [q.id for q in scenario.queues])
        start, end = _window_utc(change, horizon.start_utc, horizon.end_utc)
        if start >= horizon.end_utc or end <= horizon.start_utc:
            raise OverlayError([Problem(f"{where}.window", "lies outside the horizon")], source)
        rows = [
            _changed(row, change)
            if row.queue in queues and start <= row.interval_start < end
            else row
            for row in rows
        ]
    return rows


def _changed(row: DemandRow, change: DemandChange) -> DemandRow:
    if row.required is not None:
        return row.model_copy(update={"required": row.required * change.scale + change.add})
    return row.model_copy(update={"volume": (row.volume or 0.0) * change.scale + change.add})


def _window_utc(change: DemandChange, first: datetime, last: datetime) -> tuple[datetime, datetime]:
    if change.window is None:
        return first, last
    zone = ZoneInfo(change.window.timezone)
    return (
        utc(change.window.start.replace(tzinfo=zone)),
        utc(change.window.end.replace(tzinfo=zone)),
    )


def _check_conflicts(overlays: Sequence[SourcedOverlay]) -> None:
    """Two overlays setting the same field to different values cannot both hold."""
    seen: dict[str, tuple[Any, str]] = {}
    problems: list[Problem] = []
    for item in overlays:
        overlay = item.overlay
        settings = [
            *_leaves("queues", overlay.queues),
            *_leaves("contracts", overlay.contracts),
            *_leaves("policy", overlay.policy),
        ]
        for path, value in settings:
            earlier = seen.get(path)
            if earlier is not None and earlier[0] != value:
                problems.append(
                    Problem(
                        path,
                        f"{item.source} sets {value!r} but {earlier[1]} sets {earlier[0]!r}",
                    )
                )
            seen[path] = (value, item.source)
    if problems:
        raise OverlayError(problems, " + ".join(o.source for o in overlays))


def _leaves(prefix: str, data: dict[str, Any]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        path = f"{prefix}.{key}"
        out += _leaves(path, value) if isinstance(value, dict) else [(path, value)]
    return out
