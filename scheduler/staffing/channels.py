"""Required headcount per forecast interval for one queue, by channel (phone, chat, email).

Phone is answered live, so it is sized with Erlang C. Chat is live too, but one agent holds
several conversations at once. Email is deferred work done from a backlog within a response
window, so it is sized by workload, not by a queueing model. The solver (not this module)
spreads email work across its window.

Inputs may be numpy arrays, pandas Series or plain sequences; the result is always a float
numpy array with one element per interval, in input order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from scheduler.staffing.erlang import (
    FloatArray,
    StaffingInputError,
    required_agents_array,
    scheduled_agents,
)

__all__ = ["email_workload_minutes", "required_headcount", "workload_to_agents"]

Channel = Literal["phone", "chat", "email"]
"""Same values as ``scheduler.domain.queues.Channel``; kept here so the maths does not import the
domain models (mypy flags any drift where a queue's channel is passed in)."""

SeriesLike = npt.NDArray[Any] | pd.Series | Sequence[float]
"""A per-interval series: numpy array, pandas Series (index ignored) or a list of numbers."""

_SECONDS_PER_MINUTE = 60.0


def _per_interval(field: str, values: SeriesLike | float, *, positive: bool) -> FloatArray:
    """Convert to a float array and reject negatives (or zeros), naming the interval at fault."""
    array = np.asarray(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(array) & ((array > 0) if positive else (array >= 0))
    bad = np.flatnonzero(~ok)
    if bad.size:
        position = int(bad[0])
        requirement = "must be a finite number > 0" if positive else "must be a finite number >= 0"
        raise StaffingInputError(
            field,
            array.reshape(-1)[position].item(),
            requirement,
            index=position if array.ndim else None,
        )
    return array


def _check_interval_minutes(interval_minutes: float) -> None:
    if not interval_minutes > 0:
        raise StaffingInputError("interval_minutes", interval_minutes, "must be > 0")


def email_workload_minutes(
    volume: SeriesLike,
    aht_seconds: SeriesLike | float,
    max_occupancy: float | None = None,
) -> FloatArray:
    """Agent-minutes of email work arriving in each interval.

    Email waits in a backlog, so there is no queueing delay to model: the work is simply
    volume × AHT. Dividing by ``max_occupancy`` leaves room for the gaps between items that
    agents need in practice (a cap of 0.8 turns 8 minutes of handling into 10 of agent time).

    Parameters
    ----------
    volume:
        Emails arriving per interval (≥ 0).
    aht_seconds:
        Handle time per email in seconds (> 0), one value or one per interval.
    max_occupancy:
        Occupancy cap in (0, 1]; ``None`` means 1.0 (no allowance).

    Returns
    -------
    Workload per interval in agent-minutes (float array).

    Raises
    ------
    StaffingInputError
        For a negative volume, a non-positive AHT or a cap outside (0, 1].

    >>> email_workload_minutes([30, 0, 12], 240, max_occupancy=0.8).tolist()
    [150.0, 0.0, 60.0]
    """
    volumes = _per_interval("volume", volume, positive=False)
    ahts = _per_interval("aht_seconds", aht_seconds, positive=True)
    cap = 1.0 if max_occupancy is None else max_occupancy
    if not (0 < cap <= 1):
        raise StaffingInputError("max_occupancy", max_occupancy, "must be in (0, 1]")
    workload: FloatArray = volumes * ahts / _SECONDS_PER_MINUTE / cap
    return workload


def workload_to_agents(workload_minutes: SeriesLike, interval_minutes: float) -> FloatArray:
    """Average agents busy over each interval to clear that interval's workload.

    Parameters
    ----------
    workload_minutes:
        Agent-minutes of work per interval (≥ 0), e.g. from :func:`email_workload_minutes`.
    interval_minutes:
        Interval length in minutes (> 0).

    Returns
    -------
    Fractional agent-equivalents per interval (workload ÷ interval length).

    Raises
    ------
    StaffingInputError
        For negative workload or a non-positive interval.

    >>> workload_to_agents([150.0, 0.0, 60.0], 30).tolist()
    [5.0, 0.0, 2.0]
    """
    _check_interval_minutes(interval_minutes)
    workload = _per_interval("workload_minutes", workload_minutes, positive=False)
    agents: FloatArray = workload / float(interval_minutes)
    return agents


def required_headcount(
    channel: Channel,
    volume: SeriesLike,
    aht_seconds: SeriesLike | float,
    interval_minutes: float,
    target_sl: float,
    answer_seconds: float,
    max_occupancy: float | None,
    shrinkage: float,
    concurrency: int = 1,
) -> FloatArray:
    """Headcount each interval of one queue's forecast needs, by the queue's channel.

    * ``phone``: Erlang C per interval (smallest N with SL ≥ target and occupancy ≤ cap),
      then grossed up for shrinkage, ⌈N / (1 − shrinkage)⌉.
    * ``chat``: an agent holding ``concurrency`` = c chats is modelled as one server that is
      c times faster, i.e. Erlang C on traffic A / c with AHT / c, then shrinkage as for phone.
      This is the usual planning approximation: it keeps "agents" as the unit the roster
      counts, and it is conservative, because c·N independent slow servers would wait less
      than N fast ones at the same load. Pass the per-chat handle time measured at that
      concurrency, since agents get slower per chat as they juggle more.
    * ``email``: deferred work, not Erlang C: workload ÷ interval length, the fractional
      agent-equivalents from :func:`email_workload_minutes` and :func:`workload_to_agents`.
      ``target_sl``, ``answer_seconds`` and ``shrinkage`` are not applied here; the solver
      schedules the work within the response window.

    Parameters
    ----------
    channel:
        ``"phone"``, ``"chat"`` or ``"email"``.
    volume:
        Contacts per interval (≥ 0): array, pandas Series (values in order) or list.
    aht_seconds:
        Handle time in seconds (> 0), one value or one per interval.
    interval_minutes:
        Interval length in minutes (> 0).
    target_sl:
        Phone/chat: required fraction answered within ``answer_seconds``, in (0, 1].
    answer_seconds:
        Phone/chat: target answer time in seconds (≥ 0).
    max_occupancy:
        Occupancy cap in (0, 1], or ``None`` (no cap; 1.0 for email).
    shrinkage:
        Phone/chat: fraction of paid time off the queue, in [0, 1).
    concurrency:
        Chat only: conversations one agent handles at once (whole number ≥ 1).

    Returns
    -------
    Float array, one element per interval: whole rostered agents for phone and chat,
    fractional agent-equivalents for email. Zero volume needs 0.

    Raises
    ------
    StaffingInputError
        For any parameter out of range; ``field`` names it and ``index`` the interval.

    >>> volume = np.array([100.0, 0.0, 200.0])
    >>> required_headcount("phone", volume, 180, 30, 0.8, 20, 0.85, 0.3).tolist()
    [20.0, 0.0, 35.0]
    >>> required_headcount("chat", volume, 360, 30, 0.8, 20, 0.85, 0.0, concurrency=2).tolist()
    [14.0, 0.0, 24.0]
    >>> required_headcount("email", [30, 0, 12], 240, 30, 0.8, 20, None, 0.0).tolist()
    [4.0, 0.0, 1.6]
    """
    _check_interval_minutes(interval_minutes)
    if not (0 <= shrinkage < 1):
        raise StaffingInputError("shrinkage", shrinkage, "must be in [0, 1)")
    if channel == "email":
        workload = email_workload_minutes(volume, aht_seconds, max_occupancy)
        return workload_to_agents(workload, interval_minutes)
    if channel not in ("phone", "chat"):
        raise StaffingInputError("channel", channel, "must be 'phone', 'chat' or 'email'")
    if channel == "phone" and concurrency != 1:
        raise StaffingInputError("concurrency", concurrency, "applies to chat only (use 1)")
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise StaffingInputError("concurrency", concurrency, "must be a whole number >= 1")

    volumes = _per_interval("volume", volume, positive=False)
    ahts = _per_interval("aht_seconds", aht_seconds, positive=True)
    interval_seconds = float(interval_minutes) * _SECONDS_PER_MINUTE
    traffic = volumes * ahts / interval_seconds / concurrency
    effective_aht = np.broadcast_to(ahts / concurrency, traffic.shape)
    agents = required_agents_array(traffic, effective_aht, answer_seconds, target_sl, max_occupancy)
    return scheduled_agents(agents, shrinkage).astype(np.float64)
