"""/v1/teams/{team}/forecasts: JSON or CSV in, staffing out."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile, status
from pydantic import ValidationError

from api.deps import SchedulerKey, SessionDep, SettingsDep, ViewerKey
from api.errors import InvalidInput, problems
from api.forecasts import service
from api.forecasts.schemas import ForecastIn, ForecastOut, ForecastSummary
from api.pagination import Page, PageDep
from api.validation import field_errors
from scheduler.domain import Horizon

router = APIRouter(prefix="/teams/{team}/forecasts", tags=["forecasts"])


@router.get("", responses=problems())
def list_forecasts(principal: ViewerKey, session: SessionDep, window: PageDep) -> Page[ForecastSummary]:
    return service.page(session, principal.team, window)


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(413))
def create_forecast(
    principal: SchedulerKey, body: ForecastIn, session: SessionDep, settings: SettingsDep
) -> ForecastOut:
    """Store a forecast and return the staffing it implies per queue and interval."""
    return service.create(session, principal.team, body, settings)


@router.post("/csv", status_code=status.HTTP_201_CREATED, responses=problems(413))
def upload_forecast_csv(
    principal: SchedulerKey,
    session: SessionDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="CSV: queue,interval_start and volume,aht_seconds or required.")],
    name: Annotated[str, Form(min_length=1, max_length=200)],
    start: Annotated[date, Form(description="First UTC day of the horizon.")],
    days: Annotated[int, Form(ge=1, le=366)],
    interval_minutes: Annotated[int, Form(description="15, 30 or 60.")] = 30,
) -> ForecastOut:
    try:
        horizon = Horizon.model_validate({"start": start, "days": days, "interval_minutes": interval_minutes})
    except ValidationError as error:
        raise InvalidInput("the horizon is not valid", errors=field_errors(error, ("body",))) from None
    return service.create_from_csv(session, principal.team, name, horizon, file.file.read(), settings)


@router.get("/{forecast_id}", responses=problems())
def get_forecast(principal: ViewerKey, forecast_id: int, session: SessionDep) -> ForecastOut:
    return service.detail(service.get(session, principal.team, forecast_id))


@router.delete("/{forecast_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problems())
def delete_forecast(principal: SchedulerKey, forecast_id: int, session: SessionDep) -> None:
    service.delete(session, principal.team, forecast_id)
