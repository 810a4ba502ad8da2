"""Dependencies shared by every domain, as ``Annotated`` aliases.

``SessionDep`` opens one transaction per request (``BEGIN IMMEDIATE`` for writes on SQLite) and
commits it before the response is sent, so a 2xx always means stored; any error rolls it back, so
a rejected request changes nothing. ``ViewerKey`` … ``AdminKey`` authenticate the caller, scope
it to the team in the path (another team's objects are a 404) and check the role (403).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Annotated, Protocol

from fastapi import Depends, Path, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from api.auth.keys import Role, matches, parse_key
from api.db.engine import Database
from api.db.models import ApiKey, Team
from api.errors import Forbidden, NotFound, Unauthorized
from api.settings import Settings, get_settings


async def current_settings(request: Request) -> Settings:
    """The settings the app started with (async: no thread hop per request)."""
    settings: Settings = getattr(request.app.state, "settings", None) or get_settings()
    return settings


SettingsDep = Annotated[Settings, Depends(current_settings)]
_READ_METHODS = {"GET", "HEAD", "OPTIONS"}


async def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


DatabaseDep = Annotated[Database, Depends(get_database)]


class Reads(Protocol):
    """Read access for routes that manage their own reads in one worker-thread hop (a
    ``SessionDep`` costs three); ``Database`` is one, tests substitute their transaction."""

    def single_reads(self) -> AbstractContextManager[Connection | Session]: ...

    def reading(self) -> AbstractContextManager[Session]: ...


async def get_reads(database: DatabaseDep) -> Reads:
    return database


ReadsDep = Annotated[Reads, Depends(get_reads)]


def get_session(request: Request, database: DatabaseDep) -> Iterator[Session]:
    factory = database.read_sessions if request.method in _READ_METHODS else database.write_sessions
    with factory() as session, session.begin():
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer ssk_…`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="`X-API-Key: ssk_…`")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's team and role."""

    team: Team
    role: Role
    key_id: str


def authenticate(
    session: SessionDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header: Annotated[str | None, Depends(_header)],
) -> Principal:
    """The caller's principal; 401 without a key, or with an unknown or revoked one."""
    key = bearer.credentials if bearer is not None else header
    if not key:
        raise Unauthorized(
            "send an API key: Authorization: Bearer ssk_…", headers={"WWW-Authenticate": "Bearer"}
        )
    key_id = parse_key(key)
    row = (
        session.scalar(select(ApiKey).where(ApiKey.key_id == key_id)) if key_id is not None else None
    )
    if row is None or row.revoked_at is not None or not matches(key, row.key_hash):
        raise Unauthorized(
            "the API key is not valid or was revoked", headers={"WWW-Authenticate": "Bearer"}
        )
    team = session.get_one(Team, row.team_id)
    return Principal(team=team, role=Role(row.role), key_id=row.key_id)


PrincipalDep = Annotated[Principal, Depends(authenticate)]
TeamSlug = Annotated[str, Path(description="The team's slug.", max_length=64)]


def team_access(required: Role) -> Callable[[str, Principal], Principal]:
    """A dependency: the caller belongs to the team in the path (else 404) with ``required``."""

    def check(team: TeamSlug, principal: PrincipalDep) -> Principal:
        if principal.team.slug != team:
            raise NotFound(f"team '{team}' not found")
        if not principal.role.allows(required):
            raise Forbidden(
                f"this needs the {required.value} role or above; the key is {principal.role.value}"
            )
        return principal

    return check


ViewerKey = Annotated[Principal, Depends(team_access(Role.viewer))]
PlannerKey = Annotated[Principal, Depends(team_access(Role.planner))]
SchedulerKey = Annotated[Principal, Depends(team_access(Role.scheduler))]
AdminKey = Annotated[Principal, Depends(team_access(Role.admin))]
