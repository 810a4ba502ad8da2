"""Offset pagination shared by every list route."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field

from api.deps import SettingsDep
from api.errors import InvalidInput

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list, with the total and the offset of the next page (None at the end)."""

    items: list[T]
    total: int
    limit: int
    offset: int
    next_offset: int | None = Field(description="Pass as ?offset= for the next page; None at the end.")

    @classmethod
    def of(cls, items: list[T], total: int, window: PageWindow) -> Page[T]:
        following = window.offset + len(items)
        return cls(
            items=items,
            total=total,
            limit=window.limit,
            offset=window.offset,
            next_offset=following if following < total else None,
        )


@dataclass(frozen=True)
class PageWindow:
    limit: int
    offset: int


def page_window(
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
) -> PageWindow:
    ceiling = settings.page_size_max
    if limit > ceiling:
        raise InvalidInput(f"limit {limit} exceeds the maximum page size {ceiling}")
    return PageWindow(limit=limit, offset=offset)


PageDep = Annotated[PageWindow, Depends(page_window)]
