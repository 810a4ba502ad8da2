"""``sunshift serve``: run the scheduling service (uvicorn) on the embedded default or PostgreSQL.

The service lives in ``api/``; this command is its composition root, so it imports the service
only when run (``scheduler`` itself never depends on ``api``).
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from scheduler.cli.output import fail


def serve(
    host: Annotated[
        str | None, typer.Option(help="Bind address (default SUNSHIFT_HOST or 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default SUNSHIFT_PORT or 8000).")] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            help="sqlite:///file.db or postgresql+psycopg://… (default SUNSHIFT_DATABASE_URL)."
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Server processes (PostgreSQL only; SQLite keeps 1).")
    ] = None,
) -> None:
    """Start the HTTP API under /v1 (OpenAPI at /docs, health at /healthz)."""
    import uvicorn
    from pydantic import ValidationError

    from api.settings import Settings, get_settings

    overrides = {
        "host": host,
        "port": port,
        "database_url": database_url,
        "server_workers": workers,
    }
    for name, value in overrides.items():
        if value is not None:
            os.environ[f"SUNSHIFT_{name.upper()}"] = str(value)
    get_settings.cache_clear()
    try:
        settings = Settings()
    except ValidationError as error:
        fail(
            "settings.unsafe",
            "the service settings are refused",
            hint="see the SUNSHIFT_* variables in the README",
            details=[str(e["msg"]).removeprefix("Value error, ") for e in error.errors()],
        )
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.server_workers,
        log_config=None,
        access_log=False,  # ours (api.observability) logs each request, with feed tokens redacted
        proxy_headers=False,
        timeout_graceful_shutdown=10,
    )
