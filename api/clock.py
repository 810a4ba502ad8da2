"""The service's notion of now, as a dependency: tests move it, code never calls now() itself."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends


async def get_now() -> datetime:
    """Async: FastAPI runs sync dependencies in a worker thread, one hop per request each."""
    return datetime.now(UTC)


NowDep = Annotated[datetime, Depends(get_now)]
