"""Feed token requests and responses (the token itself appears once, at creation)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Scope = Literal["agent", "queue", "site", "team"]


class FeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scope: Scope = Field(description="One agent's shifts, or a queue's, a site's or the team's.")
    target: str = Field("", description="The agent id, queue id or site; empty for the team.")
    name: str = Field("", max_length=200, description="A label for the list of feeds.")


class FeedOut(BaseModel):
    id: str = Field(description="The token id (public; not the secret).")
    scope: Scope
    target: str
    name: str
    created_at: datetime
    revoked_at: datetime | None
    replaced_by: str | None = Field(description="The token id that replaced this one on rotation.")


class FeedCreated(FeedOut):
    token: str = Field(description="The secret token: shown once, store it now.")
    url: str = Field(description="The URL to paste into a calendar app.")
