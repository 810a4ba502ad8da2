"""Master-data rules: cross-references hold (agents name known contracts and queues), and nothing
in use can be deleted. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from api.catalog.repository import DocumentRepository
from api.csvio import CsvRow, read_csv, split_list
from api.db.models import AgentRow, ContractRow, QueueRow, Team
from api.errors import Conflict, FieldError, InvalidInput, LimitExceeded, NotFound
from api.pagination import Page, PageWindow
from api.settings import Settings
from api.validation import field_errors
from scheduler.domain import Agent, Contract, Queue

M = TypeVar("M", Queue, Contract, Agent)


class BulkResult(BaseModel):
    created: int
    updated: int


@dataclass(frozen=True)
class Kind(Generic[M]):
    name: str  # "queue"
    model: type[M]
    row: type[QueueRow] | type[ContractRow] | type[AgentRow]


QUEUES = Kind("queue", Queue, QueueRow)
CONTRACTS = Kind("contract", Contract, ContractRow)
AGENTS = Kind("agent", Agent, AgentRow)


def _repo(session: Session, kind: Kind[Any]) -> DocumentRepository[Any]:
    return DocumentRepository(session, kind.row)


def get(session: Session, team: Team, kind: Kind[M], key: str) -> M:
    row = _repo(session, kind).get(team.id, key)
    if row is None:
        raise NotFound(f"{kind.name} '{key}' not found")
    return kind.model.model_validate(row.data)


def page(session: Session, team: Team, kind: Kind[M], window: PageWindow) -> Page[M]:
    rows, total = _repo(session, kind).page(team.id, window.limit, window.offset)
    return Page[kind.model].of(  # type: ignore[name-defined]
        [kind.model.model_validate(r.data) for r in rows], total, window
    )


def _agent_reference_errors(
    session: Session, team: Team, agents: Sequence[tuple[str, Agent]]
) -> list[FieldError]:
    contracts = _repo(session, CONTRACTS).keys(team.id)
    queues = _repo(session, QUEUES).keys(team.id)
    errors: list[FieldError] = []
    for loc, agent in agents:
        if agent.contract not in contracts:
            errors.append(
                FieldError(
                    loc=f"{loc}.contract" if loc.startswith("body") else f"{loc}, column contract",
                    message=f"contract '{agent.contract}' is not defined for this team",
                    item=agent.id,
                )
            )
        for skill in agent.skills:
            if skill not in queues:
                errors.append(
                    FieldError(
                        loc=f"{loc}.skills" if loc.startswith("body") else f"{loc}, column skills",
                        message=f"queue '{skill}' is not defined for this team",
                        item=agent.id,
                    )
                )
    return errors


def create(session: Session, team: Team, kind: Kind[M], item: M, settings: Settings) -> M:
    if _repo(session, kind).get(team.id, item.id) is not None:
        raise Conflict(f"{kind.name} '{item.id}' already exists; PUT replaces it")
    return put(session, team, kind, item.id, item, settings)


def put(session: Session, team: Team, kind: Kind[M], key: str, item: M, settings: Settings) -> M:
    if item.id != key:
        raise InvalidInput(
            f"the body's id '{item.id}' differs from the path's '{key}'",
            errors=[FieldError(loc="body.id", message=f"must be '{key}'")],
        )
    if isinstance(item, Agent):
        errors = _agent_reference_errors(session, team, [("body", item)])
        if errors:
            raise InvalidInput(f"agent '{item.id}' refers to unknown objects", errors=errors)
        _check_agent_limit(session, team, [item.id], settings)
    _repo(session, kind).upsert(team.id, key, item.model_dump(mode="json"))
    return item


def delete(session: Session, team: Team, kind: Kind[M], key: str) -> None:
    if _repo(session, kind).get(team.id, key) is None:
        raise NotFound(f"{kind.name} '{key}' not found")
    if kind is not AGENTS:
        users = [
            row.key
            for row in _repo(session, AGENTS).all(team.id)
            if (kind is QUEUES and key in row.data.get("skills", []))
            or (kind is CONTRACTS and row.data.get("contract") == key)
        ]
        if users:
            shown = ", ".join(users[:10]) + (" …" if len(users) > 10 else "")
            raise Conflict(f"{kind.name} '{key}' is used by {len(users)} agent(s): {shown}")
    _repo(session, kind).delete(team.id, key)


def bulk_upsert_agents(
    session: Session, team: Team, agents: list[Agent], settings: Settings
) -> BulkResult:
    """All or nothing: every agent is checked before any is stored."""
    _check_agent_limit(session, team, [a.id for a in agents], settings)
    ids = [a.id for a in agents]
    errors = [
        FieldError(loc=f"body[{i}].id", message=f"agent '{a.id}' appears twice", item=a.id)
        for i, a in enumerate(agents)
        if ids.index(a.id) != i
    ]
    errors += _agent_reference_errors(session, team, [(f"body[{i}]", a) for i, a in enumerate(agents)])
    if errors:
        raise InvalidInput(f"{len(errors)} problem(s) in the agents; nothing was stored", errors=errors)
    created, updated = _repo(session, AGENTS).upsert_many(
        team.id, [(a.id, a.model_dump(mode="json")) for a in agents]
    )
    return BulkResult(created=created, updated=updated)


AGENT_CSV_REQUIRED = {"id", "timezone", "contract"}
AGENT_CSV_OPTIONAL = {"name", "email", "site", "skills", "cost_per_hour", "employment"}


def agents_from_csv(
    session: Session, team: Team, content: bytes, settings: Settings
) -> BulkResult:
    """Upsert agents from CSV (``skills`` separated by ``;``); all or nothing."""
    rows = read_csv(
        content, required=AGENT_CSV_REQUIRED, optional=AGENT_CSV_OPTIONAL, source="agents CSV"
    )
    agents: list[tuple[str, Agent]] = []
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    for row in rows:
        agent = _agent_from_row(row, errors)
        if agent is None:
            continue
        if agent.id in seen:
            errors.append(
                FieldError(
                    loc=row.loc("id"),
                    message=f"agent '{agent.id}' is already on line {seen[agent.id]}",
                    item=agent.id,
                )
            )
            continue
        seen[agent.id] = row.line
        agents.append((row.loc(), agent))
    errors += _agent_reference_errors(session, team, agents)
    if errors:
        raise InvalidInput(f"{len(errors)} problem(s) in the agents CSV; nothing was stored", errors=errors)
    _check_agent_limit(session, team, [a.id for _, a in agents], settings)
    created, updated = _repo(session, AGENTS).upsert_many(
        team.id, [(a.id, a.model_dump(mode="json")) for _, a in agents]
    )
    return BulkResult(created=created, updated=updated)


def _agent_from_row(row: CsvRow, errors: list[FieldError]) -> Agent | None:
    values: dict[str, Any] = {k: v for k, v in row.values.items() if v != ""}
    if "skills" in values:
        values["skills"] = split_list(values["skills"])
    try:
        return Agent.model_validate(values)
    except ValidationError as error:
        for detail in field_errors(error):
            column = detail.loc.split(".")[0].split("[")[0]
            errors.append(
                FieldError(
                    loc=row.loc(column or None), message=detail.message, item=values.get("id")
                )
            )
        return None


def _check_agent_limit(session: Session, team: Team, ids: list[str], settings: Settings) -> None:
    total = len(_repo(session, AGENTS).keys(team.id) | set(ids))
    if total > settings.max_agents:
        raise LimitExceeded(
            f"the team would have {total} agents; the limit is {settings.max_agents}",
            limit="max_agents",
            allowed=float(settings.max_agents),
            requested=float(total),
        )
