"""Team rules: slugs, policies, keys. Never commits (the request or the CLI does)."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from api.auth.keys import Role, new_key
from api.db.models import ApiKey, Team, utcnow
from api.errors import Conflict, InvalidInput, NotFound
from api.pagination import Page, PageWindow
from api.teams.repository import KeyRepository, TeamRepository
from api.teams.schemas import KeyCreated, KeyOut, TeamOut, TeamPatch
from scheduler.domain import Policy

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def team_out(team: Team) -> TeamOut:
    return TeamOut(
        slug=team.slug, name=team.name, policy=Policy.model_validate(team.policy or {}),
        created_at=team.created_at,
    )


def key_out(row: ApiKey) -> KeyOut:
    return KeyOut(
        key_id=row.key_id, role=Role(row.role), name=row.name, created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def ensure_team(session: Session, slug: str, name: str | None = None) -> Team:
    """The team with ``slug``, created if missing (the admin CLI's bootstrap)."""
    if not SLUG.match(slug):
        raise InvalidInput(f"team slug '{slug}' must be lowercase letters, digits and dashes")
    teams = TeamRepository(session)
    return teams.by_slug(slug) or teams.add(Team(slug=slug, name=name or slug, policy={}))


def update_team(session: Session, team: Team, patch: TeamPatch) -> TeamOut:
    if patch.name is not None:
        team.name = patch.name
    if patch.policy is not None:
        team.policy = patch.policy.model_dump(mode="json")
    session.flush()
    return team_out(team)


def create_key(session: Session, team: Team, role: Role, name: str = "") -> KeyCreated:
    key_id, key, digest = new_key()
    row = KeyRepository(session).add(
        ApiKey(team_id=team.id, key_id=key_id, key_hash=digest, role=role.value, name=name)
    )
    return KeyCreated(**key_out(row).model_dump(), key=key)


def list_keys(session: Session, team: Team, window: PageWindow) -> Page[KeyOut]:
    rows, total = KeyRepository(session).list(team.id, window.limit, window.offset)
    return Page[KeyOut].of([key_out(r) for r in rows], total, window)


def revoke_key(session: Session, team: Team, key_id: str, caller_key_id: str) -> KeyOut:
    row = KeyRepository(session).get(team.id, key_id)
    if row is None:
        raise NotFound(f"key '{key_id}' not found")
    if row.key_id == caller_key_id:
        raise Conflict("a key cannot revoke itself; use another admin key")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
    return key_out(row)
