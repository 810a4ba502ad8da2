"""Publishing: ``GET …/published`` (state and ETag), ``POST …/rosters/{version}/publish``
(If-Match required) and ``GET …/audit``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response
from pydantic import BaseModel

from api.clock import NowDep
from api.deps import SchedulerKey, SessionDep, ViewerKey
from api.errors import problems
from api.pagination import Page, PageDep
from api.publishing import service
from api.publishing.schemas import AuditEntry, PublishedState

router = APIRouter(prefix="/teams/{team}", tags=["publishing"])


class PublishOut(BaseModel):
    published: PublishedState
    audit: AuditEntry


@router.get("/published", responses=problems())
def get_published(principal: ViewerKey, session: SessionDep, response: Response) -> PublishedState:
    """The published roster version and the ETag to publish over it with."""
    current = service.state(session, principal.team)
    response.headers["ETag"] = current.etag
    return current


@router.post("/rosters/{version}/publish", responses=problems(409, 412, 428))
def publish(
    principal: SchedulerKey,
    version: int,
    session: SessionDep,
    response: Response,
    now: NowDep,
    if_match: Annotated[str | None, Header(description="The ETag of GET …/published.")] = None,
) -> PublishOut:
    """Make ``version`` the team's published roster; feeds show it from now on."""
    published, entry = service.publish(
        session, principal.team, version, if_match, principal.key_id, now
    )
    response.headers["ETag"] = published.etag
    return PublishOut(published=published, audit=entry)


@router.get("/audit", responses=problems())
def list_audit(principal: ViewerKey, session: SessionDep, window: PageDep) -> Page[AuditEntry]:
    """Every publish, newest first: who, when, from which version, what changed."""
    return service.audit(session, principal.team, window)
