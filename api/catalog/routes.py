# mypy: disable-error-code="valid-type,no-any-return"
"""/v1/teams/{team}/queues|contracts|agents: read for every role, write for schedulers and admins.

The three collections share one shape, so one factory builds their routes; agents add bulk JSON
and CSV upserts. (No ``from __future__ import annotations`` here: FastAPI reads the body model
from each closure's real annotations.)
"""

from typing import Annotated, Any

from fastapi import APIRouter, File, Path, UploadFile, status

from api.catalog import service
from api.catalog.service import AGENTS, CONTRACTS, QUEUES, BulkResult, Kind
from api.deps import SchedulerKey, SessionDep, SettingsDep, ViewerKey
from api.errors import problems
from api.pagination import Page, PageDep
from scheduler.domain import Agent

ItemId = Annotated[str, Path(max_length=128, description="The object's id.")]


def _collection(kind: Kind[Any], plural: str) -> APIRouter:
    router = APIRouter(prefix="/teams/{team}/" + plural, tags=[plural])
    model = kind.model

    @router.get("", responses=problems(), name=f"list_{plural}")
    def list_items(principal: ViewerKey, session: SessionDep, window: PageDep) -> Page[model]:
        return service.page(session, principal.team, kind, window)

    @router.get("/{item_id}", responses=problems(), name=f"get_{kind.name}")
    def get_item(principal: ViewerKey, item_id: ItemId, session: SessionDep) -> model:
        return service.get(session, principal.team, kind, item_id)

    @router.post(
        "", status_code=status.HTTP_201_CREATED, responses=problems(409), name=f"create_{kind.name}"
    )
    def create_item(
        principal: SchedulerKey, body: model, session: SessionDep, settings: SettingsDep
    ) -> model:
        return service.create(session, principal.team, kind, body, settings)

    @router.put("/{item_id}", responses=problems(), name=f"put_{kind.name}")
    def put_item(
        principal: SchedulerKey,
        item_id: ItemId,
        body: model,
        session: SessionDep,
        settings: SettingsDep,
    ) -> model:
        """Create or replace (the body's id must match the path)."""
        return service.put(session, principal.team, kind, item_id, body, settings)

    @router.delete(
        "/{item_id}",
        status_code=status.HTTP_204_NO_CONTENT,
        responses=problems(409),
        name=f"delete_{kind.name}",
    )
    def delete_item(principal: SchedulerKey, item_id: ItemId, session: SessionDep) -> None:
        service.delete(session, principal.team, kind, item_id)

    return router


queues_router = _collection(QUEUES, "queues")
contracts_router = _collection(CONTRACTS, "contracts")
agents_router = _collection(AGENTS, "agents")


@agents_router.post("/bulk", responses=problems(413), name="upsert_agents")
def upsert_agents(
    principal: SchedulerKey, body: list[Agent], session: SessionDep, settings: SettingsDep
) -> BulkResult:
    """Create or replace many agents at once; all or nothing."""
    return service.bulk_upsert_agents(session, principal.team, body, settings)


@agents_router.post("/csv", responses=problems(413), name="upload_agents_csv")
def upload_agents_csv(
    principal: SchedulerKey,
    file: Annotated[
        UploadFile,
        File(
            description="CSV: id,timezone,contract[,name,email,site,skills,cost_per_hour,employment]; skills separated by ';'."
        ),
    ],
    session: SessionDep,
    settings: SettingsDep,
) -> BulkResult:
    """Create or replace agents from a CSV file; every fault names its line and column."""
    content = file.file.read()
    return service.agents_from_csv(session, principal.team, content, settings)
