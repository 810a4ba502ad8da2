"""The FastAPI application: ``create_app(settings)``; everything stateful starts in ``lifespan``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.catalog.routes import agents_router, contracts_router, queues_router
from api.db.engine import Database, make_engine, sqlite_version_warning
from api.db.migrate import upgrade
from api.errors import (
    PROBLEM_JSON,
    ApiError,
    Conflict,
    FieldError,
    Forbidden,
    Internal,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from api.feeds.routes import public_router as public_feeds_router
from api.feeds.routes import router as feeds_router
from api.forecasts.routes import router as forecasts_router
from api.jobs.runner import RunnerEvents, SolveRunner
from api.jobs.supervisor import Supervisor
from api.limits import BodySizeLimitMiddleware
from api.observability import RequestIdMiddleware, configure_logging, request_id_var
from api.publishing.routes import router as publishing_router
from api.rosters.routes import router as rosters_router
from api.settings import Settings, get_settings
from api.solves.routes import router as solves_router
from api.teams.repository import KeyRepository
from api.teams.routes import router as teams_router
from api.validation import dotted
from api.whatif.routes import router as whatif_router

log = logging.getLogger("sunshift.api")

RunnerFactory = Callable[[RunnerEvents], SolveRunner]


class Health(BaseModel):
    status: str
    database: str
    version: str


def _problem_response(error: ApiError, request: Request) -> JSONResponse:
    body = error.problem(request.url.path, request_id_var.get())
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=error.status,
        media_type=PROBLEM_JSON,
        headers=error.headers,
    )


_HTTP_ERRORS: dict[int, type[ApiError]] = {
    403: Forbidden, 404: NotFound, 409: Conflict, 413: PayloadTooLarge, 415: UnsupportedMediaType,
}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, error: ApiError) -> JSONResponse:
        return _problem_response(error, request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            FieldError(loc=dotted(e["loc"]), message=str(e["msg"]).removeprefix("Value error, "))
            for e in error.errors()
        ]
        return _problem_response(
            InvalidInput(f"{len(errors)} invalid field(s) in the request", errors=errors), request
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        kind = _HTTP_ERRORS.get(error.status_code)
        if kind is None:
            class _Other(ApiError):
                status, slug, title = error.status_code, "http-error", "HTTP error"
            kind = _Other
        return _problem_response(kind(str(error.detail), headers=dict(error.headers or {})), request)

    @app.exception_handler(Exception)
    async def _bug(request: Request, error: Exception) -> JSONResponse:
        # runs outside the request-id middleware: the id comes from the request's state
        request_id = getattr(request.state, "request_id", None)
        log.exception("unhandled error", extra={"path": request.url.path, "request_id": request_id})
        problem = Internal("an internal error occurred; report the request id").problem(
            request.url.path, request_id
        )
        return JSONResponse(
            problem.model_dump(mode="json", exclude_none=True), status_code=500,
            media_type=PROBLEM_JSON, headers={"X-Request-ID": request_id or ""},
        )


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """Move problem responses from application/json to application/problem+json."""

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if code[0] in "45" and content:
                        schema_ = next(iter(content.values())).get("schema", {})
                        response["content"] = {PROBLEM_JSON: {"schema": schema_}}
        app.openapi_schema = schema
        return schema

    return build


def create_app(settings: Settings | None = None, runner_factory: RunnerFactory | None = None) -> FastAPI:
    """The app for ``settings`` (default: from the environment). Nothing connects until start-up."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        active = app.dependency_overrides.get(get_settings, get_settings)()
        configure_logging(active.log_level)
        if active.is_sqlite and (warning := sqlite_version_warning()):
            log.warning(warning)
        database = Database(make_engine(active.database_url, busy_timeout_ms=active.sqlite_busy_timeout_ms))
        if active.migrate_on_startup:
            upgrade(database.engine)
        if active.allow_public_bind:
            with database.reading() as session:
                if KeyRepository(session).count_active() == 0:
                    database.dispose()
                    raise RuntimeError(
                        "refusing a public bind with no API key: run `sunshift admin create-key` first"
                    )
        app.state.database = database
        app.state.settings = active
        supervisor = None
        if active.jobs_enabled:
            supervisor = Supervisor(database, active, runner_factory)
            supervisor.start()
        app.state.supervisor = supervisor
        log.info("sunshift api started", extra={"database": database.engine.url.render_as_string()})
        try:
            yield
        finally:
            if supervisor is not None:
                supervisor.close()
            database.dispose()

    app = FastAPI(
        title="Sunshift",
        version="1",
        description="Follow-the-sun shift scheduling: teams, forecasts, solves and rosters. "
        "Authenticate with `Authorization: Bearer ssk_…`. Errors are RFC 9457 problem details.",
        lifespan=lifespan,
    )
    if settings is not None:
        app.dependency_overrides[get_settings] = lambda: settings
    limit = (settings or get_settings()).max_body_bytes
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=limit)
    app.add_middleware(RequestIdMiddleware)
    _install_error_handlers(app)
    for router in (
        teams_router, queues_router, contracts_router, agents_router, forecasts_router,
        solves_router, whatif_router, rosters_router, publishing_router, feeds_router, public_feeds_router,
    ):
        app.include_router(router, prefix="/v1")

    @app.get("/healthz", tags=["health"], responses={503: {"description": "The database is unreachable."}})
    def health(request: Request) -> JSONResponse:
        """Liveness and database reachability (the container healthcheck); no key needed."""
        database: Database = request.app.state.database
        try:
            with database.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            body = Health(status="ok", database="ok", version=app.version)
            return JSONResponse(body.model_dump(), status_code=200)
        except Exception:
            log.exception("health check failed")
            body = Health(status="degraded", database="unreachable", version=app.version)
            return JSONResponse(body.model_dump(), status_code=503)

    app.openapi = _openapi(app)  # type: ignore[method-assign]
    return app
