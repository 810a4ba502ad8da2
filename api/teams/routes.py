"""/v1/teams: the caller's team, its policy and its API keys."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import AdminKey, PrincipalDep, SessionDep, ViewerKey
from api.errors import problems
from api.pagination import Page, PageDep
from api.teams import service
from api.teams.schemas import KeyCreated, KeyIn, KeyOut, TeamOut, TeamPatch

router = APIRouter(prefix="/teams", tags=["teams"])


@router.get("", responses=problems())
def list_teams(principal: PrincipalDep, window: PageDep) -> Page[TeamOut]:
    """The teams this key can see: its own."""
    items = [service.team_out(principal.team)] if window.offset == 0 else []
    return Page[TeamOut].of(items, 1, window)


@router.get("/{team}", responses=problems())
def get_team(principal: ViewerKey) -> TeamOut:
    return service.team_out(principal.team)


@router.patch("/{team}", responses=problems())
def patch_team(principal: AdminKey, patch: TeamPatch, session: SessionDep) -> TeamOut:
    return service.update_team(session, session.merge(principal.team), patch)


@router.get("/{team}/keys", responses=problems())
def list_keys(principal: AdminKey, session: SessionDep, window: PageDep) -> Page[KeyOut]:
    return service.list_keys(session, principal.team, window)


@router.post("/{team}/keys", status_code=status.HTTP_201_CREATED, responses=problems())
def create_key(principal: AdminKey, body: KeyIn, session: SessionDep) -> KeyCreated:
    """A new key for this team; the secret is in the response only."""
    return service.create_key(session, principal.team, body.role, body.name)


@router.delete("/{team}/keys/{key_id}", responses=problems(409))
def revoke_key(principal: AdminKey, key_id: str, session: SessionDep) -> KeyOut:
    return service.revoke_key(session, principal.team, key_id, principal.key_id)
