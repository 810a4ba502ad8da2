"""Solve admission: build the scenario from stored data, check it and the limits, queue a job.
Never commits: the job row is committed by the request before the runner can see it."""

from __future__ import annotations

import math
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.auth.keys import Role
from api.catalog.repository import DocumentRepository
from api.db.models import AgentRow, ContractRow, QueueRow, Solve, Team, utcnow
from api.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    LimitExceeded,
    NotFound,
    TooManySolves,
)
from api.forecasts import service as forecasts
from api.jobs.supervisor import CANCELLED, QUEUED, RUNNING, TERMINAL
from api.pagination import Page, PageWindow
from api.settings import Settings
from api.solves.repository import SolveRepository
from api.solves.schemas import JobError, Progress, SolveIn, SolveOut, SolveParamsIn
from api.teams.repository import TeamRepository
from api.validation import field_errors, problem_errors
from scheduler.domain import DemandRow, Horizon, Policy, Scenario, ScenarioError
from scheduler.solve.params import SolveParams


def solve_out(job: Solve, team_slug: str, roster_version: int | None) -> SolveOut:
    started = job.solver_started_at
    return SolveOut(
        id=job.id, kind=job.kind, state=job.state, label=job.label, what_if=job.what_if,
        forecast_id=job.forecast_id, attempt=job.attempt,
        progress=Progress(
            elapsed=job.progress_elapsed, objective=job.progress_objective,
            bound=job.progress_bound, gap=job.progress_gap, phase=job.progress_phase,
        ),
        result_status=job.result_status,
        error=JobError(code=job.error_code, detail=job.error_detail or "") if job.error_code else None,
        explanation=job.explanation,
        roster_version=roster_version,
        roster_url=f"/v1/teams/{team_slug}/rosters/{roster_version}" if roster_version else None,
        created_at=job.created_at, started_at=started, finished_at=job.finished_at,
        cancel_requested_at=job.cancel_requested_at,
        queue_seconds=(started - job.created_at).total_seconds() if started else None,
    )


def solve_params(requested: SolveParamsIn, settings: Settings) -> SolveParams:
    """The request's solver limits, within the server's caps (422 naming the cap)."""
    time_limit = requested.time_limit or settings.default_time_limit_seconds
    if time_limit > settings.max_time_limit_seconds:
        raise LimitExceeded(
            f"time_limit {time_limit:g} s exceeds the limit of {settings.max_time_limit_seconds:g} s",
            limit="max_time_limit_seconds", allowed=settings.max_time_limit_seconds,
            requested=time_limit,
        )
    workers = requested.workers or settings.max_solver_workers
    if workers > settings.max_solver_workers:
        raise LimitExceeded(
            f"workers {workers} exceeds the limit of {settings.max_solver_workers}",
            limit="max_solver_workers", allowed=float(settings.max_solver_workers),
            requested=float(workers),
        )
    return SolveParams(
        time_limit=time_limit, deterministic_time=requested.deterministic_time,
        seed=requested.seed, workers=workers, strategy=requested.strategy,
    )


def build_scenario(session: Session, team: Team, body: SolveIn, settings: Settings) -> Scenario:
    """The scenario a solve runs on: the team's queues, contracts and agents with a forecast."""
    forecast = forecasts.get(session, team, body.forecast_id)
    horizon = Horizon.model_validate(forecast.horizon)
    queues = DocumentRepository(session, QueueRow).all(team.id)
    contracts = DocumentRepository(session, ContractRow).all(team.id)
    agents = DocumentRepository(session, AgentRow).all(team.id)
    known = {a.key for a in agents}
    unknown = [a for a in body.exclude_agents if a not in known]
    if unknown:
        raise InvalidInput(
            "exclude_agents names agents this team does not have",
            errors=[FieldError(loc=f"body.exclude_agents[{body.exclude_agents.index(a)}]",
                               message=f"agent '{a}' is not defined for this team", item=a)
                    for a in unknown],
        )
    chosen = [a for a in agents if a.key not in set(body.exclude_agents)]
    forecast_queues = {row["queue"] for row in forecast.rows}
    forecasts.check_horizon_limits(horizon, len(queues), settings)
    if len(chosen) > settings.max_agents:
        raise LimitExceeded(
            f"{len(chosen)} agents exceed the limit of {settings.max_agents}",
            limit="max_agents", allowed=float(settings.max_agents), requested=float(len(chosen)),
        )
    demand: list[dict[str, Any]] = []
    for row in forecast.rows:
        scaled = dict(row)
        key = "volume" if "volume" in row else "required"
        scaled[key] = row[key] * body.demand_factor
        demand.append(scaled)
    for queue in queues:  # queues without a forecast need nobody
        if queue.key not in forecast_queues:
            demand += [
                {"queue": queue.key, "interval_start": horizon.interval_start(i).isoformat(), "required": 0}
                for i in range(horizon.interval_count)
            ]
    problems: list[FieldError]
    try:
        return Scenario(
            name=f"{team.slug}: {forecast.name}" + (" (what-if)" if body.what_if else ""),
            horizon=horizon,
            queues=[q.data for q in queues],
            contracts=[c.data for c in contracts],
            agents=[a.data for a in chosen],
            demand=[DemandRow.model_validate(d) for d in demand],
            policy=Policy.model_validate(team.policy or {}),
        )
    except ScenarioError as error:
        problems = problem_errors(error.problems)
    except ValidationError as error:
        problems = field_errors(error, ("scenario",))
    raise InvalidInput(
        f"the team's data and forecast {forecast.id} do not make a valid scenario", errors=problems
    )


def submit(session: Session, team: Team, role: Role, body: SolveIn, settings: Settings) -> SolveOut:
    if not body.what_if and not role.allows(Role.scheduler):
        raise Forbidden("planners may only run what-if solves (set what_if: true)")
    params = solve_params(body.params, settings)
    scenario = build_scenario(session, team, body, settings)
    job = admit(session, team, settings, Solve(
        team_id=team.id, forecast_id=body.forecast_id, state=QUEUED, what_if=body.what_if,
        label=body.label, scenario=scenario.model_dump(mode="json"),
        params=params.model_dump(mode="json"),
    ))
    return solve_out(job, team.slug, None)


def admit(session: Session, team: Team, settings: Settings, job: Solve) -> Solve:
    """Queue ``job`` unless the team already has its limit of jobs queued or running."""
    TeamRepository(session).lock(team.id)  # serialise admission per team
    jobs = SolveRepository(session)
    active = jobs.active(team.id)
    if len(active) >= settings.max_solves_per_team:
        longest = max((SolveParams.model_validate(j.params).time_limit or 0) for j in active)
        retry = max(1, math.ceil(min(longest, settings.max_time_limit_seconds)))
        raise TooManySolves(
            f"the team has {len(active)} solves queued or running; the limit is "
            f"{settings.max_solves_per_team}",
            headers={"Retry-After": str(retry)},
            limit="max_solves_per_team", allowed=float(settings.max_solves_per_team),
            requested=float(len(active) + 1),
        )
    return jobs.add(job)


def get(session: Session, team: Team, job_id: int) -> SolveOut:
    jobs = SolveRepository(session)
    job = jobs.get(team.id, job_id)
    if job is None:
        raise NotFound(f"solve {job_id} not found")
    versions = jobs.roster_versions([job.roster_id] if job.roster_id else [])
    return solve_out(job, team.slug, versions.get(job.roster_id or -1))


def page(session: Session, team: Team, state: str | None, window: PageWindow) -> Page[SolveOut]:
    jobs = SolveRepository(session)
    rows, total = jobs.page(team.id, state, window.limit, window.offset)
    versions = jobs.roster_versions([j.roster_id for j in rows if j.roster_id])
    return Page[SolveOut].of(
        [solve_out(j, team.slug, versions.get(j.roster_id or -1)) for j in rows], total, window
    )


def cancel(session: Session, team: Team, role: Role, job_id: int) -> SolveOut:
    """Queued: cancelled now. Running: the solver is asked to stop, then stopped hard."""
    job = SolveRepository(session).get(team.id, job_id, lock=True)
    if job is None:
        raise NotFound(f"solve {job_id} not found")
    if not job.what_if and not role.allows(Role.scheduler):
        raise Forbidden("planners may only cancel what-if solves")
    if job.state in TERMINAL:
        raise Conflict(f"solve {job_id} already {job.state}")
    now = utcnow()
    if job.state == QUEUED:
        job.state, job.finished_at = CANCELLED, now
        job.error_code, job.error_detail = "cancelled", "cancelled before it started"
    elif job.state == RUNNING and job.cancel_requested_at is None:
        job.cancel_requested_at = now
    session.flush()
    return solve_out(job, team.slug, None)
