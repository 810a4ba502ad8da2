"""Team and key payloads."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from api.auth.keys import Role
from scheduler.domain import Policy


class TeamOut(BaseModel):
    slug: str
    name: str
    policy: Policy
    created_at: datetime


class TeamPatch(BaseModel):
    """Change a team's display name or its policy (unsocial hours, objective weights)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    policy: Policy | None = None


class KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    name: str = Field("", max_length=200, description="What the key is for.")


class KeyOut(BaseModel):
    key_id: str
    role: Role
    name: str
    created_at: datetime
    revoked_at: datetime | None


class KeyCreated(KeyOut):
    key: str = Field(description="The secret key. Shown once: only its hash is stored.")
