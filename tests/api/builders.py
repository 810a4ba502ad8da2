"""``make_<thing>(**overrides)`` builders for API tests: payloads, keys and stored rosters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from api.auth.keys import Role
from api.db.models import RosterRow, Solve, Team
from api.teams import service as teams
from scheduler.domain import Scenario
from scheduler.roster import Roster
from scheduler.solve.facade import solve
from scheduler.solve.params import SolveParams

START = date(2026, 3, 23)


def make_queue(**overrides: Any) -> dict[str, Any]:
    return {"id": "en", "language": "en", "channel": "phone", **overrides}


def make_contract(**overrides: Any) -> dict[str, Any]:
    return {"id": "ft", "max_consecutive_days": 5, "min_days_off_per_week": 2, **overrides}


def make_agent(agent_id: str = "a1", **overrides: Any) -> dict[str, Any]:
    return {
        "id": agent_id,
        "timezone": "Europe/Copenhagen",
        "contract": "ft",
        "skills": ["en"],
        **overrides,
    }


def make_forecast(queue: str = "en", days: int = 1, required: float = 1, **overrides: Any) -> dict[str, Any]:
    """A headcount forecast on a 60-minute grid."""
    start = datetime(START.year, START.month, START.day, tzinfo=UTC)
    rows = [
        {"queue": queue, "interval_start": (start + timedelta(hours=i)).isoformat(), "required": required}
        for i in range(24 * days)
    ]
    return {
        "name": "week 13",
        "horizon": {"start": START.isoformat(), "days": days, "interval_minutes": 60},
        "rows": rows,
        **overrides,
    }


def make_solve(forecast_id: int, **overrides: Any) -> dict[str, Any]:
    params = {"time_limit": 20, "deterministic_time": 0.5, "workers": 1, **overrides.pop("params", {})}
    return {"forecast_id": forecast_id, "params": params, **overrides}


def make_key(session: Session, team_slug: str, role: Role) -> str:
    team = teams.ensure_team(session, team_slug)
    return teams.create_key(session, team, role).key


def scenario_for(queues: list[dict[str, Any]], contracts: list[dict[str, Any]], agents: list[dict[str, Any]],
                 forecast: dict[str, Any]) -> Scenario:
    return Scenario(
        name="test", horizon=forecast["horizon"], queues=queues, contracts=contracts, agents=agents,
        demand=forecast["rows"],
    )


@lru_cache(maxsize=1)
def solved_roster() -> dict[str, Any]:
    """One real roster from the core (two agents, one day), solved once per test session."""
    scenario = scenario_for([make_queue()], [make_contract()], [make_agent("a1"), make_agent("a2", timezone="America/New_York")], make_forecast())
    result = solve(scenario, SolveParams(time_limit=20, deterministic_time=0.5, workers=1, lower_bound=False))
    return result.roster.model_dump(mode="json")


def make_stored_roster(session: Session, team: Team, version: int, roster: dict[str, Any] | None = None,
                       **overrides: Any) -> RosterRow:
    """A succeeded solve and its roster version, written as the supervisor would."""
    data = roster or solved_roster()
    parsed = Roster.model_validate(data)
    job = Solve(
        team_id=team.id, state="succeeded", scenario=scenario_for(
            [make_queue()], [make_contract()], [make_agent("a1")], make_forecast()
        ).model_dump(mode="json"),
        params={"time_limit": 20}, attempt=1,
    )
    session.add(job)
    session.flush()
    row = RosterRow(
        team_id=team.id, version=version, solve_id=job.id, what_if=overrides.get("what_if", False),
        status=parsed.status.value, objective=parsed.objective, best_bound=parsed.best_bound,
        gap=parsed.gap, data=data,
    )
    session.add(row)
    session.flush()
    job.roster_id = row.id
    team.roster_seq = max(team.roster_seq, version)
    session.flush()
    return row
