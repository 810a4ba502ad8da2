"""The scenario: everything a solve needs, validated as a whole so every cross-reference holds."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import timedelta
from typing import Any, Protocol, TypeVar, cast

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from scheduler.domain.agents import Agent
from scheduler.domain.contracts import Contract
from scheduler.domain.demand import DemandRow
from scheduler.domain.errors import Problem, ScenarioError
from scheduler.domain.horizon import Horizon
from scheduler.domain.policy import Policy
from scheduler.domain.queues import Queue
from scheduler.domain.shift_types import ShiftType, ShiftTypeDemand
from scheduler.timeutil import utc_iso


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_Item = TypeVar("_Item", bound=_Identified)


class Scenario(BaseModel):
    """A team, its demand and its rules over one horizon. Immutable: what-ifs are derived copies."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    _lookups: dict[str, tuple[object, dict[str, Any]]] = PrivateAttr(default_factory=dict)

    name: str = "scenario"
    horizon: Horizon
    queues: list[Queue] = Field(default_factory=list)
    contracts: list[Contract] = Field(min_length=1)
    agents: list[Agent] = Field(min_length=1)
    demand: list[DemandRow] = Field(default_factory=list)
    shift_types: list[ShiftType] = Field(default_factory=list)
    shift_demand: list[ShiftTypeDemand] = Field(default_factory=list)
    policy: Policy = Policy()

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        problems = _cross_reference_problems(self)
        if problems:
            raise ScenarioError(problems)
        return self

    def queue(self, queue_id: str) -> Queue:
        return self._by_id("queues", self.queues)[queue_id]

    def contract(self, contract_id: str) -> Contract:
        return self._by_id("contracts", self.contracts)[contract_id]

    def agent(self, agent_id: str) -> Agent:
        return self._by_id("agents", self.agents)[agent_id]

    def _by_id(self, kind: str, items: Sequence[_Item]) -> dict[str, _Item]:
        """An id index of ``items``, built once: reports call the lookups once per shift.

        The index remembers which list it was built from, so a ``model_copy(update=…)`` that
        swaps the list (copies share private state) rebuilds it instead of answering stale.
        """
        cached = self._lookups.get(kind)
        if cached is None or cached[0] is not items:
            cached = self._lookups[kind] = (items, {item.id: item for item in items})
        return cast(dict[str, _Item], cached[1])


def _duplicates(kind: str, ids: list[str]) -> list[Problem]:
    return [
        Problem(kind, f"id '{item}' is defined {count} times", item)
        for item, count in Counter(ids).items()
        if count > 1
    ]


def _cross_reference_problems(scenario: Scenario) -> list[Problem]:
    problems: list[Problem] = []
    queue_ids = [q.id for q in scenario.queues]
    contract_ids = [c.id for c in scenario.contracts]
    problems += _duplicates("queues", queue_ids)
    problems += _duplicates("contracts", contract_ids)
    problems += _duplicates("agents", [a.id for a in scenario.agents])
    known_queues, known_contracts = set(queue_ids), set(contract_ids)
    for position, agent in enumerate(scenario.agents):
        where = f"agents[{position}]"
        if agent.contract not in known_contracts:
            problems.append(
                Problem(
                    f"{where}.contract", f"contract '{agent.contract}' is not defined", agent.id
                )
            )
        for skill in agent.skills:
            if skill not in known_queues:
                problems.append(
                    Problem(f"{where}.skills", f"queue '{skill}' is not defined", agent.id)
                )
    problems += _demand_problems(scenario, known_queues)
    problems += _shift_type_problems(scenario)
    if not scenario.queues and not scenario.shift_demand:
        problems.append(Problem("queues", "nothing to staff: define queues or shift_demand"))
    return problems


def _shift_type_problems(scenario: Scenario) -> list[Problem]:
    """Every reference to a shift type resolves, and dated entries fall inside the horizon."""
    problems = _duplicates("shift_types", [t.id for t in scenario.shift_types])
    known = {t.id for t in scenario.shift_types}
    first = scenario.horizon.start
    last = first + timedelta(days=scenario.horizon.days - 1)

    def unknown(where: str, type_id: str, item: str | None) -> None:
        problems.append(Problem(where, f"shift type '{type_id}' is not defined", item))

    for k, shift_type in enumerate(scenario.shift_types):
        for other in shift_type.cannot_follow:
            if other not in known:
                unknown(f"shift_types[{k}].cannot_follow", other, shift_type.id)
    for k, contract in enumerate(scenario.contracts):
        for type_id in [*(contract.shift_types or []), *contract.max_shifts_per_type]:
            if type_id not in known:
                unknown(f"contracts[{k}]", type_id, contract.id)
    seen: set[tuple[str, str]] = set()
    for k, row in enumerate(scenario.shift_demand):
        where = f"shift_demand[{k}]"
        if row.shift_type not in known:
            unknown(f"{where}.shift_type", row.shift_type, None)
        if not first <= row.date <= last:
            problems.append(
                Problem(f"{where}.date", f"{row.date} is outside the horizon {first}–{last}")
            )
        key = (row.date.isoformat(), row.shift_type)
        if key in seen:
            problems.append(Problem(where, f"{row.date} {row.shift_type} is given twice"))
        seen.add(key)
    for a, agent in enumerate(scenario.agents):
        for k, request in enumerate(agent.shift_requests):
            where = f"agents[{a}].shift_requests[{k}]"
            if request.shift_type not in known:
                unknown(where, request.shift_type, agent.id)
            if not first <= request.date <= last:
                problems.append(
                    Problem(
                        where, f"{request.date} is outside the horizon {first}–{last}", agent.id
                    )
                )
    return problems


def _demand_problems(scenario: Scenario, known_queues: set[str]) -> list[Problem]:
    horizon = scenario.horizon
    problems: list[Problem] = []
    seen: dict[str, set[int]] = defaultdict(set)
    modes: dict[str, set[bool]] = defaultdict(set)
    for position, row in enumerate(scenario.demand):
        where = f"demand[{position}]"
        if row.queue not in known_queues:
            problems.append(
                Problem(f"{where}.queue", f"queue '{row.queue}' is not defined", row.queue)
            )
            continue
        index = horizon.interval_index(row.interval_start)
        if index is None:
            inside = horizon.start_utc <= row.interval_start < horizon.end_utc
            reason = (
                f"is not on the {horizon.interval_minutes}-minute interval grid"
                if inside
                else f"is outside the horizon {utc_iso(horizon.start_utc)}–{utc_iso(horizon.end_utc)}"
            )
            problems.append(
                Problem(
                    f"{where}.interval_start", f"{utc_iso(row.interval_start)} {reason}", row.queue
                )
            )
            continue
        if index in seen[row.queue]:
            problems.append(
                Problem(
                    f"{where}.interval_start",
                    f"interval {utc_iso(row.interval_start)} is given twice",
                    row.queue,
                )
            )
        seen[row.queue].add(index)
        modes[row.queue].add(row.is_forecast)
    for queue_id in sorted(known_queues):
        if len(modes[queue_id]) > 1:
            problems.append(
                Problem(
                    "demand",
                    "mixes forecast rows (volume + AHT) with headcount rows (required); use one",
                    queue_id,
                )
            )
        missing = [i for i in range(horizon.interval_count) if i not in seen[queue_id]]
        if missing:
            first = utc_iso(horizon.interval_start(missing[0]))
            problems.append(
                Problem(
                    "demand",
                    f"{len(missing)} of {horizon.interval_count} intervals have no demand row "
                    f"(first missing: {first}); give 0 for closed intervals",
                    queue_id,
                )
            )
    return problems
