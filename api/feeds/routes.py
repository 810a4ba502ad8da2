"""Feed management for schedulers (``/teams/{team}/feeds``) and the feeds themselves
(``GET /feeds/{token}.ics``: the token is the credential, no API key)."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated

from fastapi import APIRouter, Header, Response, status
from fastapi.concurrency import run_in_threadpool

from api.clock import NowDep
from api.deps import ReadsDep, SchedulerKey, SessionDep, SettingsDep
from api.errors import problems
from api.feeds import service
from api.feeds.schemas import FeedCreated, FeedIn, FeedOut
from api.pagination import Page, PageDep

router = APIRouter(prefix="/teams/{team}/feeds", tags=["feeds"])
public_router = APIRouter(tags=["feeds"])

CALENDAR = "text/calendar; charset=utf-8"


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems())
def create_feed(
    principal: SchedulerKey, body: FeedIn, session: SessionDep, settings: SettingsDep
) -> FeedCreated:
    """A feed URL for one agent, queue, site or the whole team (the token is shown once)."""
    return service.create(session, principal.team, body, settings)


@router.get("", responses=problems())
def list_feeds(principal: SchedulerKey, session: SessionDep, window: PageDep) -> Page[FeedOut]:
    return service.page(session, principal.team, window)


@router.post("/{feed_id}/rotate", status_code=status.HTTP_201_CREATED, responses=problems())
def rotate_feed(
    principal: SchedulerKey, feed_id: str, session: SessionDep, settings: SettingsDep, now: NowDep
) -> FeedCreated:
    """A new URL for the same feed; the old URL stops working at once."""
    return service.rotate(session, principal.team, feed_id, settings, now)


@router.delete("/{feed_id}", responses=problems())
def revoke_feed(principal: SchedulerKey, feed_id: str, session: SessionDep, now: NowDep) -> FeedOut:
    return service.revoke(session, principal.team, feed_id, now)


@public_router.get(
    "/feeds/{token}.ics",
    response_class=Response,
    responses={
        **problems(404, authenticated=False),
        200: {"content": {"text/calendar": {}}, "description": "The iCalendar feed."},
        304: {"description": "Unchanged since the ETag or date the client holds."},
    },
)
async def get_feed(
    token: str,
    reads: ReadsDep,
    settings: SettingsDep,
    now: NowDep,
    if_none_match: Annotated[str | None, Header()] = None,
    if_modified_since: Annotated[str | None, Header()] = None,
) -> Response:
    """The calendar: published shifts from some days back to the end of the published horizon."""
    # one worker-thread hop for the whole read (a session dependency would cost three)
    feed = await run_in_threadpool(service.serve_from, reads, token, settings, now)
    headers = {
        "ETag": feed.etag,
        "Last-Modified": format_datetime(feed.last_modified, usegmt=True),
        "Cache-Control": "private, max-age=300",
    }
    if _not_modified(feed.etag, feed.last_modified, if_none_match, if_modified_since):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(content=feed.body, media_type=CALENDAR, headers=headers)


def _not_modified(
    etag: str, last_modified: datetime, if_none_match: str | None, if_modified_since: str | None
) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if if_modified_since is not None:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False  # an unparseable date is ignored, as the RFC asks
        return since.tzinfo is not None and last_modified <= since
    return False
