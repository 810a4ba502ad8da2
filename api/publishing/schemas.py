"""Publish responses: the team's published state and its audit trail."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class PublishedState(BaseModel):
    version: int | None = Field(description="The published roster version; null before any.")
    published_at: datetime | None
    etag: str = Field(description="Send it as If-Match to publish over this state.")


class AuditEntry(BaseModel):
    key_id: str = Field(description="The API key that published.")
    published_at: datetime
    from_version: int | None
    to_version: int
    added: int
    removed: int
    moved: int
    unchanged: int
