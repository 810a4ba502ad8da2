"""/v1/teams/{team}/solves: POST queues a job (202), GET shows it, DELETE cancels it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response, status

from api.deps import PlannerKey, SessionDep, SettingsDep, ViewerKey
from api.errors import problems
from api.pagination import Page, PageDep
from api.solves import service
from api.solves.schemas import JobState, SolveIn, SolveOut

router = APIRouter(prefix="/teams/{team}/solves", tags=["solves"])


def wake_supervisor(request: Request) -> None:
    """Start queued jobs now rather than at the next poll (after the request's commit)."""
    supervisor = getattr(request.app.state, "supervisor", None)
    if supervisor is not None:
        supervisor.wake()


@router.post("", status_code=status.HTTP_202_ACCEPTED, responses=problems(413, 429))
def submit_solve(
    principal: PlannerKey,
    body: SolveIn,
    session: SessionDep,
    settings: SettingsDep,
    request: Request,
    response: Response,
    background: BackgroundTasks,
) -> SolveOut:
    """Queue a solve; poll the returned job (or its Location) for progress and the roster."""
    job = service.submit(session, principal.team, principal.role, body, settings)
    response.headers["Location"] = f"/v1/teams/{principal.team.slug}/solves/{job.id}"
    background.add_task(wake_supervisor, request)  # runs after the commit
    return job


@router.get("", responses=problems())
def list_solves(
    principal: ViewerKey,
    session: SessionDep,
    window: PageDep,
    state: Annotated[JobState | None, Query(description="Only jobs in this state.")] = None,
) -> Page[SolveOut]:
    return service.page(session, principal.team, state, window)


@router.get("/{solve_id}", responses=problems())
def get_solve(principal: ViewerKey, solve_id: int, session: SessionDep) -> SolveOut:
    return service.get(session, principal.team, solve_id)


@router.delete("/{solve_id}", status_code=status.HTTP_202_ACCEPTED, responses=problems(409))
def cancel_solve(
    principal: PlannerKey, solve_id: int, session: SessionDep, request: Request,
    background: BackgroundTasks,
) -> SolveOut:
    """Cancel: a queued job at once; a running one is stopped cooperatively, then hard."""
    job = service.cancel(session, principal.team, principal.role, solve_id)
    background.add_task(wake_supervisor, request)
    return job
