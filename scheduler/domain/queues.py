"""Queues: one language on one channel, with its service target and staffing factors."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Channel = Literal["phone", "chat", "email"]


class ServiceTarget(BaseModel):
    """``service_level`` of contacts answered within ``answer_seconds`` (e.g. 80 % in 20 s)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    service_level: float = Field(
        gt=0, le=1, description="Target fraction answered in time, in (0, 1]."
    )
    answer_seconds: float = Field(ge=0, description="Answer-time threshold in seconds.")


class Queue(BaseModel):
    """A language queue. ``priority`` scales its under-staffing penalty (1 = normal)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.:-]+$")
    language: str = Field(min_length=2)
    channel: Channel
    priority: int = Field(1, ge=1, le=10, description="Under-staffing weight multiplier.")
    service_target: ServiceTarget = ServiceTarget(service_level=0.8, answer_seconds=20)
    max_occupancy: float = Field(0.85, gt=0, le=1)
    shrinkage: float = Field(0.0, ge=0, lt=1, description="Fraction of paid time not on queue.")
    concurrency: int = Field(1, ge=1, le=10, description="Chats an agent handles at once.")
    response_window_hours: float = Field(
        24, gt=0, le=168, description="Email only: work must be done within this window."
    )

    @model_validator(mode="after")
    def _concurrency_only_for_chat(self) -> Queue:
        if self.concurrency != 1 and self.channel != "chat":
            raise ValueError(f"queue '{self.id}': concurrency applies to chat queues only")
        return self

    @property
    def deferred(self) -> bool:
        """Email is worked off a backlog within its window, not answered live."""
        return self.channel == "email"
