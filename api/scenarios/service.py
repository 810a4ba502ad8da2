"""Store a core ``Scenario`` as a team's data, through the same services the API's routes use.

Nothing here writes rows of its own: queues and contracts go through ``catalog.put``, agents
through ``catalog.bulk_upsert_agents``, the policy through ``teams.update_team`` and the demand
through ``forecasts.create``, so a loaded team is exactly what the endpoints would have stored.
Never commits (the CLI does, once, so a rejected scenario stores nothing).
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from api.catalog import service as catalog
from api.db.models import Team
from api.errors import FieldError, InvalidInput
from api.forecasts import service as forecasts
from api.forecasts.repository import ForecastRepository
from api.forecasts.schemas import ForecastIn
from api.rosters.schemas import RosterSummary
from api.settings import Settings
from api.solves.schemas import SolveOut
from api.teams import service as teams
from api.teams.schemas import TeamPatch
from scheduler.domain import Scenario


class LoadedScenario(BaseModel):
    """What a load stored: counts per kind and the forecast a solve should use."""

    team: str
    queues: int
    contracts: int
    agents_created: int
    agents_updated: int
    forecast_id: int
    forecast_reused: bool


def _unsupported(scenario: Scenario) -> list[FieldError]:
    """Parts of a scenario file the service has no resource for (refused, never dropped)."""
    errors: list[FieldError] = []
    if scenario.shift_types:
        errors.append(FieldError(loc="shift_types", message="shift types are not stored by the service"))
    if scenario.shift_demand:
        errors.append(FieldError(loc="shift_demand", message="shift demand is not stored by the service"))
    if not scenario.demand:
        errors.append(FieldError(loc="demand", message="the service needs demand rows to make a forecast"))
    return errors


def load(session: Session, team: Team, scenario: Scenario, settings: Settings) -> LoadedScenario:
    """Upsert the scenario's policy, queues, contracts and agents into ``team``; store its demand
    as a forecast unless the team's latest forecast of that name already holds the same rows.

    Objects the team has but the scenario does not name are kept (an upsert, not a replace).

    Parameters
    ----------
    session:
        A write session; the caller commits.
    team:
        The team to load into.
    scenario:
        A validated scenario (``scheduler.io.load_scenario``).
    settings:
        The service limits (agents, horizon, intervals) the API would apply.

    Returns
    -------
    LoadedScenario
        Counts and the forecast id to solve against.

    Raises
    ------
    InvalidInput, LimitExceeded
        What the API would answer for the same data (422); nothing is stored.
    """
    errors = _unsupported(scenario)
    if errors:
        raise InvalidInput(f"scenario '{scenario.name}' uses what the service cannot store", errors=errors)
    teams.update_team(session, team, TeamPatch(policy=scenario.policy))
    for queue in scenario.queues:
        catalog.put(session, team, catalog.QUEUES, queue.id, queue, settings)
    for contract in scenario.contracts:
        catalog.put(session, team, catalog.CONTRACTS, contract.id, contract, settings)
    agents = catalog.bulk_upsert_agents(session, team, list(scenario.agents), settings)
    forecast_id, reused = _forecast(session, team, scenario, settings)
    return LoadedScenario(
        team=team.slug, queues=len(scenario.queues), contracts=len(scenario.contracts),
        agents_created=agents.created, agents_updated=agents.updated,
        forecast_id=forecast_id, forecast_reused=reused,
    )


def _forecast(session: Session, team: Team, scenario: Scenario, settings: Settings) -> tuple[int, bool]:
    body = ForecastIn(name=scenario.name, horizon=scenario.horizon, rows=list(scenario.demand))
    latest = ForecastRepository(session).latest_named(team.id, body.name)
    if (
        latest is not None
        and latest.horizon == body.horizon.model_dump(mode="json")
        and latest.rows == [r.model_dump(mode="json", exclude_none=True) for r in body.rows]
    ):
        return latest.id, True  # re-loading the same file must not pile up identical forecasts
    return forecasts.create(session, team, body, settings).id, False


class LoadReport(BaseModel):
    """``sunshift admin load-scenario --json``: what was stored, the solve and its roster."""

    loaded: LoadedScenario
    solve: SolveOut | None = None
    roster: RosterSummary | None = None
