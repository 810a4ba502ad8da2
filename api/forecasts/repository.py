"""Queries for forecasts, scoped by team."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.db.models import Forecast


class ForecastRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, forecast: Forecast) -> Forecast:
        self.session.add(forecast)
        self.session.flush()
        return forecast

    def get(self, team_id: int, forecast_id: int) -> Forecast | None:
        return self.session.scalar(
            select(Forecast).where(Forecast.team_id == team_id, Forecast.id == forecast_id)
        )

    def latest_named(self, team_id: int, name: str) -> Forecast | None:
        return self.session.scalar(
            select(Forecast)
            .where(Forecast.team_id == team_id, Forecast.name == name)
            .order_by(Forecast.id.desc())
            .limit(1)
        )

    def page(self, team_id: int, limit: int, offset: int) -> tuple[list[Forecast], int]:
        where = Forecast.team_id == team_id
        total = self.session.scalar(select(func.count()).select_from(Forecast).where(where)) or 0
        rows = self.session.scalars(
            select(Forecast).where(where).order_by(Forecast.id.desc()).limit(limit).offset(offset)
        ).all()
        return list(rows), total

    def delete(self, forecast: Forecast) -> None:
        self.session.delete(forecast)
        self.session.flush()
