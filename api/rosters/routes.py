"""/v1/teams/{team}/rosters: immutable versions, read by every role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse
from pydantic import AwareDatetime

from api.deps import SessionDep, ViewerKey
from api.errors import problems
from api.pagination import Page, PageDep
from api.rosters import service
from api.rosters.schemas import CoverageReport, RosterDiff, RosterOut, RosterSummary

router = APIRouter(prefix="/teams/{team}/rosters", tags=["rosters"])


@router.get("", responses=problems())
def list_rosters(
    principal: ViewerKey, session: SessionDep, window: PageDep,
    what_if: Annotated[bool | None, Query(description="Only what-ifs (true) or only real rosters (false).")] = None,
) -> Page[RosterSummary]:
    return service.page(session, principal.team, what_if, window)


@router.get("/{version}", responses=problems())
def get_roster(principal: ViewerKey, version: int, session: SessionDep) -> RosterOut:
    """The roster JSON contract (shifts, coverage, KPIs) with its version's metadata."""
    return service.get(session, principal.team, version)


@router.get(
    "/{version}/shifts.csv",
    response_class=PlainTextResponse,
    responses={**problems(), 200: {"content": {"text/csv": {}}, "description": "One line per shift."}},
)
def get_roster_csv(principal: ViewerKey, version: int, session: SessionDep) -> PlainTextResponse:
    body = service.shifts_csv(session, principal.team, version)
    return PlainTextResponse(
        body, media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{principal.team.slug}-roster-v{version}.csv"'},
    )


@router.get("/{version}/coverage", responses=problems())
def get_coverage(
    principal: ViewerKey, version: int, session: SessionDep,
    queue: Annotated[str | None, Query(description="Only this queue.")] = None,
    start: Annotated[AwareDatetime | None, Query(description="Intervals from this UTC instant.")] = None,
    end: Annotated[AwareDatetime | None, Query(description="Intervals before this UTC instant.")] = None,
) -> CoverageReport:
    return service.coverage(session, principal.team, version, queue, start, end)


@router.get("/{version}/diff/{base}", responses=problems())
def diff_rosters(principal: ViewerKey, version: int, base: int, session: SessionDep) -> RosterDiff:
    """What changed from version ``base`` to ``version``."""
    return service.diff(session, principal.team, version, base)
