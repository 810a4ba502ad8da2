"""Forecast rules: rows name the team's queues, sit on the horizon's grid, cover every interval of
each queue they mention, and use one mode per queue. Staffing is computed once, on the way in.
Never commits."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.catalog.repository import DocumentRepository
from api.csvio import read_csv
from api.db.models import Forecast, QueueRow, Team
from api.errors import FieldError, InvalidInput, LimitExceeded, NotFound
from api.forecasts.repository import ForecastRepository
from api.forecasts.schemas import (
    ForecastIn,
    ForecastOut,
    ForecastSummary,
    QueueStaffing,
    StaffingRow,
)
from api.pagination import Page, PageWindow
from api.settings import Settings
from api.validation import field_errors
from scheduler.domain import DemandRow, Horizon, Queue
from scheduler.staffing import required_headcount
from scheduler.timeutil import utc_iso


def check_horizon_limits(horizon: Horizon, queues: int, settings: Settings) -> None:
    """422 naming the limit when a horizon (times its queues) is larger than allowed."""
    if horizon.days > settings.max_horizon_days:
        raise LimitExceeded(
            f"the horizon has {horizon.days} days; the limit is {settings.max_horizon_days}",
            limit="max_horizon_days",
            allowed=float(settings.max_horizon_days),
            requested=float(horizon.days),
        )
    intervals = horizon.interval_count * max(queues, 1)
    if intervals > settings.max_intervals:
        raise LimitExceeded(
            f"{queues} queue(s) × {horizon.interval_count} intervals = {intervals} queue-intervals; "
            f"the limit is {settings.max_intervals}",
            limit="max_intervals",
            allowed=float(settings.max_intervals),
            requested=float(intervals),
        )


def _row_errors(rows: list[DemandRow], horizon: Horizon, queues: dict[str, Queue], where: list[str]) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: dict[str, set[int]] = defaultdict(set)
    modes: dict[str, set[bool]] = defaultdict(set)
    for row, loc in zip(rows, where, strict=True):
        if row.queue not in queues:
            errors.append(
                FieldError(loc=f"{loc}.queue" if loc.startswith("body") else f"{loc}, column queue",
                           message=f"queue '{row.queue}' is not defined for this team", item=row.queue)
            )
            continue
        index = horizon.interval_index(row.interval_start)
        column = f"{loc}.interval_start" if loc.startswith("body") else f"{loc}, column interval_start"
        if index is None:
            inside = horizon.start_utc <= row.interval_start < horizon.end_utc
            reason = (
                f"is not on the {horizon.interval_minutes}-minute grid"
                if inside
                else f"is outside the horizon {utc_iso(horizon.start_utc)}–{utc_iso(horizon.end_utc)}"
            )
            errors.append(FieldError(loc=column, message=f"{utc_iso(row.interval_start)} {reason}", item=row.queue))
            continue
        if index in seen[row.queue]:
            errors.append(FieldError(loc=column, message=f"interval {utc_iso(row.interval_start)} is given twice", item=row.queue))
        seen[row.queue].add(index)
        modes[row.queue].add(row.is_forecast)
    for queue in sorted(seen):
        if len(modes[queue]) > 1:
            errors.append(FieldError(loc="rows", message="mixes volume + AHT rows with required rows; use one", item=queue))
        missing = horizon.interval_count - len(seen[queue])
        if missing > 0:
            first = next(i for i in range(horizon.interval_count) if i not in seen[queue])
            errors.append(
                FieldError(
                    loc="rows",
                    message=f"{missing} of {horizon.interval_count} intervals have no row "
                    f"(first missing: {utc_iso(horizon.interval_start(first))}); give 0 for closed intervals",
                    item=queue,
                )
            )
    return errors


def staffing_for(rows: list[DemandRow], horizon: Horizon, queues: dict[str, Queue]) -> list[StaffingRow]:
    """Required agents per row: Erlang C (or workload for email) for forecasts, as given otherwise."""
    by_queue: dict[str, list[DemandRow]] = defaultdict(list)
    for row in rows:
        by_queue[row.queue].append(row)
    out: list[StaffingRow] = []
    for queue_id in sorted(by_queue):
        queue_rows = sorted(by_queue[queue_id], key=lambda r: r.interval_start)
        queue = queues[queue_id]
        if queue_rows[0].is_forecast:
            required = required_headcount(
                channel=queue.channel,
                volume=np.array([r.volume or 0.0 for r in queue_rows]),
                aht_seconds=np.array([r.aht_seconds or 1.0 for r in queue_rows]),
                interval_minutes=horizon.interval_minutes,
                target_sl=queue.service_target.service_level,
                answer_seconds=queue.service_target.answer_seconds,
                max_occupancy=queue.max_occupancy,
                shrinkage=queue.shrinkage,
                concurrency=queue.concurrency,
            )
            values = [float(v) for v in np.asarray(required, dtype=float)]
        else:
            values = [float(r.required or 0.0) for r in queue_rows]
        out += [
            StaffingRow(queue=queue_id, interval_start=r.interval_start, volume=r.volume,
                        aht_seconds=r.aht_seconds, required=round(v, 4))
            for r, v in zip(queue_rows, values, strict=True)
        ]
    return out


def _summary_queues(staffing: list[dict[str, Any]], horizon: Horizon) -> list[QueueStaffing]:
    by_queue: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in staffing:
        by_queue[row["queue"]].append(row)
    hours = horizon.interval_minutes / 60
    return [
        QueueStaffing(
            queue=q,
            mode="forecast" if rows[0].get("volume") is not None else "headcount",
            peak_required=max(r["required"] for r in rows),
            required_agent_hours=round(sum(r["required"] for r in rows) * hours, 3),
        )
        for q, rows in sorted(by_queue.items())
    ]


def summary(forecast: Forecast) -> ForecastSummary:
    horizon = Horizon.model_validate(forecast.horizon)
    return ForecastSummary(
        id=forecast.id, name=forecast.name, horizon=horizon,
        queues=_summary_queues(forecast.staffing, horizon), created_at=forecast.created_at,
    )


def detail(forecast: Forecast) -> ForecastOut:
    return ForecastOut(
        **summary(forecast).model_dump(),
        staffing=[StaffingRow.model_validate(r) for r in forecast.staffing],
    )


def _store(session: Session, team: Team, name: str, horizon: Horizon, rows: list[DemandRow],
           where: list[str], settings: Settings) -> ForecastOut:
    queues = {r.key: Queue.model_validate(r.data) for r in DocumentRepository(session, QueueRow).all(team.id)}
    check_horizon_limits(horizon, len({r.queue for r in rows}), settings)
    errors = _row_errors(rows, horizon, queues, where)
    if errors:
        raise InvalidInput(f"{len(errors)} problem(s) in the forecast; nothing was stored", errors=errors)
    staffing = staffing_for(rows, horizon, queues)
    forecast = ForecastRepository(session).add(
        Forecast(
            team_id=team.id, name=name, horizon=horizon.model_dump(mode="json"),
            rows=[r.model_dump(mode="json", exclude_none=True) for r in rows],
            staffing=[s.model_dump(mode="json") for s in staffing],
        )
    )
    return detail(forecast)


def create(session: Session, team: Team, body: ForecastIn, settings: Settings) -> ForecastOut:
    where = [f"body.rows[{i}]" for i in range(len(body.rows))]
    return _store(session, team, body.name, body.horizon, body.rows, where, settings)


FORECAST_CSV_REQUIRED = {"queue", "interval_start"}
FORECAST_CSV_OPTIONAL = {"volume", "aht_seconds", "required"}


def create_from_csv(session: Session, team: Team, name: str, horizon: Horizon, content: bytes,
                    settings: Settings) -> ForecastOut:
    """CSV columns ``queue,interval_start`` and ``volume,aht_seconds`` or ``required``."""
    table = read_csv(content, required=FORECAST_CSV_REQUIRED, optional=FORECAST_CSV_OPTIONAL,
                     source="forecast CSV")
    rows: list[DemandRow] = []
    where: list[str] = []
    errors: list[FieldError] = []
    for line in table:
        values = {k: v for k, v in line.values.items() if v != ""}
        try:
            rows.append(DemandRow.model_validate(values))
            where.append(line.loc())
        except ValidationError as error:
            for detail_ in field_errors(error):
                column = detail_.loc.split(".")[0]
                errors.append(FieldError(loc=line.loc(column or None), message=detail_.message,
                                         item=values.get("queue")))
    if errors:
        raise InvalidInput(f"{len(errors)} problem(s) in the forecast CSV; nothing was stored", errors=errors)
    return _store(session, team, name, horizon, rows, where, settings)


def get(session: Session, team: Team, forecast_id: int) -> Forecast:
    forecast = ForecastRepository(session).get(team.id, forecast_id)
    if forecast is None:
        raise NotFound(f"forecast {forecast_id} not found")
    return forecast


def page(session: Session, team: Team, window: PageWindow) -> Page[ForecastSummary]:
    rows, total = ForecastRepository(session).page(team.id, window.limit, window.offset)
    return Page[ForecastSummary].of([summary(r) for r in rows], total, window)


def delete(session: Session, team: Team, forecast_id: int) -> None:
    ForecastRepository(session).delete(get(session, team, forecast_id))
