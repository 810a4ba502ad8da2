"""/v1/teams/{team}/whatif: POST queues a comparison job (planner), GET reads it back."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request, Response, status

from api.deps import PlannerKey, SessionDep, SettingsDep, ViewerKey
from api.errors import problems
from api.solves.routes import wake_supervisor
from api.whatif import service
from api.whatif.schemas import WhatIfIn, WhatIfOut

router = APIRouter(prefix="/teams/{team}/whatif", tags=["what-if"])


@router.post("", status_code=status.HTTP_202_ACCEPTED, responses=problems(413, 429))
def submit_whatif(
    principal: PlannerKey, body: WhatIfIn, session: SessionDep, settings: SettingsDep,
    request: Request, response: Response, background: BackgroundTasks,
) -> WhatIfOut:
    """Solve the base and each variant; poll the job for the comparison (cancel via /solves)."""
    job = service.submit(session, principal.team, body, settings)
    response.headers["Location"] = f"/v1/teams/{principal.team.slug}/whatif/{job.id}"
    background.add_task(wake_supervisor, request)
    return job


@router.get("/{job_id}", responses=problems())
def get_whatif(principal: ViewerKey, job_id: int, session: SessionDep) -> WhatIfOut:
    return service.get(session, principal.team, job_id)
