"""``sunshift admin``: bootstrap and maintain the service's database (first key, migrations,
a whole scenario file loaded into a team and solved).

Like ``serve``, it imports ``api`` only when run.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import BaseModel

from scheduler.cli.output import console, error_console, fail, print_json
from scheduler.cli.report import load_scenario_or_fail

if TYPE_CHECKING:
    from api.db.engine import Database
    from api.scenarios.service import LoadReport
    from api.settings import Settings

app = typer.Typer(
    help="Service administration: API keys and database migrations.", no_args_is_help=True
)

DatabaseOption = Annotated[
    str | None,
    typer.Option(help="Database URL (default SUNSHIFT_DATABASE_URL or sqlite:///sunshift.db)."),
]


class CreatedKey(BaseModel):
    team: str
    role: str
    key_id: str
    key: str


def _settings(url: str | None) -> Settings:
    from api.settings import Settings

    try:
        return Settings(database_url=url) if url else Settings()
    except ValueError as error:
        fail("settings.unsafe", str(error))


def _database(url: str | None, settings: Settings | None = None) -> Database:
    """The migrated database at ``url`` (or the settings' URL)."""
    from api.db.engine import Database, make_engine
    from api.db.migrate import upgrade

    settings = settings or _settings(url)
    database = Database(
        make_engine(settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    )
    upgrade(database.engine)
    return database


@app.command("create-key")
def create_key(
    team: Annotated[str, typer.Option(help="Team slug (created when it does not exist).")],
    role: Annotated[str, typer.Option(help="admin, scheduler, planner or viewer.")] = "admin",
    name: Annotated[str, typer.Option(help="What the key is for.")] = "",
    team_name: Annotated[str | None, typer.Option(help="Display name for a new team.")] = None,
    database_url: DatabaseOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create an API key (the first one bootstraps a team). The key is shown once."""
    from api.auth.keys import Role
    from api.errors import ApiError
    from api.teams import service

    if role not in {r.value for r in Role}:
        fail(
            "input.invalid",
            f"unknown role '{role}'",
            hint="use admin, scheduler, planner or viewer",
        )
    database = _database(database_url)
    try:
        with database.writing() as session:
            team_row = service.ensure_team(session, team, team_name)
            created = service.create_key(
                session, team_row, Role(role), name or "created by sunshift admin"
            )
    except ApiError as error:
        fail("input.invalid", error.detail)
    finally:
        database.dispose()
    result = CreatedKey(team=team, role=role, key_id=created.key_id, key=created.key)
    if json_output:
        print_json(result)
        return
    console.print(f"[bold]{role}[/] key for team [bold]{team}[/] (shown once, store it now):")
    console.print(result.key, markup=False, highlight=False)


@app.command("migrate")
def migrate(database_url: DatabaseOption = None) -> None:
    """Bring the database schema up to date (the server also does this at start-up)."""
    _database(database_url).dispose()
    console.print("database schema is up to date")


#: Exit codes of ``load-scenario`` after a solve, as for ``sunshift solve``.
EXIT_INFEASIBLE, EXIT_NO_ROSTER = 3, 4


@app.command("load-scenario")
def load_scenario(
    scenario_file: Annotated[
        Path,
        typer.Argument(metavar="SCENARIO", help="Scenario JSON (with its CSV files beside it)."),
    ],
    team: Annotated[str, typer.Option(help="Team slug (created when it does not exist).")],
    database_url: DatabaseOption = None,
    solve: Annotated[
        bool, typer.Option("--solve/--no-solve", help="Run one solve on the loaded data.")
    ] = True,
    time_limit: Annotated[
        float | None, typer.Option(help="Solver wall-clock cap in seconds (default from settings).")
    ] = None,
    deterministic_time: Annotated[
        float | None, typer.Option(help="Reproducible solver work budget.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Solver random seed.")] = 0,
    workers: Annotated[
        int | None, typer.Option(help="Solver threads (default: the settings' cap).")
    ] = None,
    wait: Annotated[
        float | None,
        typer.Option(
            help="Seconds to wait for the solve before cancelling it (default: twice the time "
            "limit plus 120, since model building and the lower bound come on top of the limit)."
        ),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Load a scenario file into a team (upsert) and solve it once, as the API would.

    Policy, queues, contracts and agents are upserted and the demand stored as a forecast (reused
    when identical), in one transaction. The solve is a job like one posted to the API: its row is
    committed first, then this process runs it and stores the roster as a new immutable version.
    Run it while no server uses the same SQLite file. Exit 3 when infeasible, 4 with no roster
    in time.
    """
    from api.auth.keys import Role
    from api.errors import ApiError
    from api.jobs.supervisor import Supervisor
    from api.rosters import service as rosters
    from api.rosters.schemas import RosterSummary
    from api.scenarios import service as scenarios
    from api.solves import service as solves
    from api.solves.schemas import SolveIn, SolveParamsIn
    from api.teams import service as teams

    if not teams.SLUG.match(team):
        fail("input.invalid", f"team slug '{team}' must be lowercase letters, digits and dashes")
    scenario = load_scenario_or_fail(scenario_file)  # before the database is touched
    settings = _settings(database_url)
    try:
        params = SolveParamsIn(
            time_limit=time_limit, deterministic_time=deterministic_time, seed=seed, workers=workers
        )
    except ValueError as error:
        fail("input.invalid", "solver options are not valid", details=[str(error)])
    database = _database(database_url, settings)
    try:
        try:
            with database.writing() as session:  # all or nothing: load and job row commit together
                team_row = teams.ensure_team(session, team)
                loaded = scenarios.load(session, team_row, scenario, settings)
                job = (
                    solves.submit(
                        session,
                        team_row,
                        Role.admin,
                        SolveIn(
                            forecast_id=loaded.forecast_id,
                            label=f"sunshift admin load-scenario {scenario.name}",
                            params=params,
                        ),
                        settings,
                    )
                    if solve
                    else None
                )
        except ApiError as error:
            fail(
                "solve.busy" if error.status == 429 else "scenario.invalid",
                f"{scenario_file}: {error.detail}; nothing was stored",
                details=[f"{e.loc}: {e.message}" for e in error.errors or []],
            )
        report = scenarios.LoadReport(loaded=loaded)
        if job is not None:
            limit = time_limit or settings.default_time_limit_seconds
            supervisor = Supervisor(database, settings)
            try:
                supervisor.run_one(job.id, deadline=wait if wait is not None else 2 * limit + 120)
            finally:
                supervisor.close()
            with database.reading() as session:
                team_row = session.merge(team_row, load=False)  # the committed team, read-only
                report.solve = solves.get(session, team_row, job.id)
                if report.solve.roster_version is not None:
                    out = rosters.get(session, team_row, report.solve.roster_version)
                    report.roster = RosterSummary.model_validate(out.model_dump(exclude={"roster"}))
    finally:
        database.dispose()
    if json_output:
        print_json(report)
    else:
        _render_load(report)
    if report.solve is not None and report.roster is None:
        code = (
            EXIT_INFEASIBLE
            if report.solve.error and report.solve.error.code == "infeasible"
            else EXIT_NO_ROSTER
        )
        raise typer.Exit(code=code)


def _render_load(report: LoadReport) -> None:
    """The load and solve in a few lines for people."""
    loaded = report.loaded
    console.print(
        f"team [bold]{loaded.team}[/]: {loaded.queues} queues, {loaded.contracts} contracts, "
        f"{loaded.agents_created + loaded.agents_updated} agents ({loaded.agents_created} new, "
        f"{loaded.agents_updated} updated), forecast {loaded.forecast_id}"
        f" ({'unchanged, reused' if loaded.forecast_reused else 'new'})"
    )
    job = report.solve
    if job is None:
        return
    if report.roster is None:
        reason = job.error.detail if job.error else f"the job ended {job.state}"
        error_console.print(f"[bold red]solve {job.id} {job.state}[/]: {reason}", highlight=False)
        return
    roster = report.roster
    elapsed = f"{job.progress.elapsed:.1f} s" if job.progress.elapsed is not None else "?"
    gap = f"{roster.gap:.1%}" if roster.gap is not None else "n/a"
    console.print(
        f"solve {job.id} {job.state} in {elapsed}: roster version [bold]{roster.version}[/] · "
        f"{roster.status} · {roster.shifts} shifts · gap {gap}"
    )
    if roster.kpis is not None:
        k = roster.kpis
        bound = (
            f" (lower bound {k.under_staffed_lower_bound_hours:.1f} h)"
            if k.under_staffed_lower_bound_hours is not None
            else ""
        )
        console.print(
            f"coverage {k.coverage_ratio:.1%} · under-staffed {k.under_staffed_hours:.1f} h{bound} · "
            f"over-staffed {k.over_staffed_hours:.1f} h · unsocial {k.unsocial_hours:.1f} h · "
            f"paid {k.paid_hours:.1f} h · labour cost {k.labour_cost:,.0f}"
        )


class Published(BaseModel):
    team: str
    version: int
    etag: str
    added: int
    removed: int
    moved: int
    unchanged: int


@app.command("publish")
def publish(
    team: Annotated[str, typer.Option(help="Team slug.")],
    version: Annotated[
        int | None, typer.Option(help="Roster version (default: the newest publishable one).")
    ] = None,
    database_url: DatabaseOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Publish a roster version, as a scheduler would through the API (audited as 'admin-cli')."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from api.db.models import RosterRow
    from api.errors import ApiError
    from api.publishing import service as publishing
    from api.publishing.service import PUBLISHABLE
    from api.teams.repository import TeamRepository

    database = _database(database_url)
    try:
        with database.writing() as session:
            team_row = TeamRepository(session).by_slug(team)
            if team_row is None:
                fail("input.invalid", f"team '{team}' not found")
            if version is None:
                newest = session.scalar(
                    select(RosterRow)
                    .where(RosterRow.team_id == team_row.id, RosterRow.what_if.is_(False))
                    .where(RosterRow.status.in_(PUBLISHABLE))
                    .order_by(RosterRow.version.desc())
                    .limit(1)
                )
                if newest is None:
                    fail("input.invalid", f"team '{team}' has no roster that can be published")
                version = newest.version
            current = publishing.state(session, team_row)
            state, audit = publishing.publish(
                session, team_row, version, current.etag, "admin-cli", datetime.now(UTC)
            )
    except ApiError as error:
        fail("input.invalid", error.detail)
    finally:
        database.dispose()
    result = Published(
        team=team,
        version=version,
        etag=state.etag,
        added=audit.added,
        removed=audit.removed,
        moved=audit.moved,
        unchanged=audit.unchanged,
    )
    if json_output:
        print_json(result)
        return
    console.print(
        f"published roster v{version} of team [bold]{team}[/]: {audit.added} added, "
        f"{audit.removed} removed, {audit.moved} moved, {audit.unchanged} unchanged"
    )


@app.command("feed-token")
def feed_token(
    team: Annotated[str, typer.Option(help="Team slug.")],
    agent: Annotated[str | None, typer.Option(help="One agent's feed.")] = None,
    queue: Annotated[str | None, typer.Option(help="A queue's feed (supervisors).")] = None,
    site: Annotated[str | None, typer.Option(help="A site's feed (supervisors).")] = None,
    team_feed: Annotated[bool, typer.Option("--team-feed", help="The whole team's feed.")] = False,
    database_url: DatabaseOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a calendar feed URL (shown once) for an agent, a queue, a site or the team."""
    from api.errors import ApiError
    from api.feeds import service as feeds
    from api.feeds.schemas import FeedIn
    from api.teams.repository import TeamRepository

    chosen = [(s, t) for s, t in (("agent", agent), ("queue", queue), ("site", site)) if t]
    if team_feed:
        chosen.append(("team", ""))
    if len(chosen) != 1:
        fail("input.invalid", "give exactly one of --agent, --queue, --site or --team-feed")
    scope, target = chosen[0]
    settings = _settings(database_url)
    database = _database(database_url, settings)
    try:
        with database.writing() as session:
            team_row = TeamRepository(session).by_slug(team)
            if team_row is None:
                fail("input.invalid", f"team '{team}' not found")
            created = feeds.create(
                session,
                team_row,
                FeedIn(scope=scope, target=target, name="sunshift admin"),
                settings,
            )
    except ApiError as error:
        fail("input.invalid", error.detail)
    finally:
        database.dispose()
    if json_output:
        print_json(created)
        return
    console.print(f"{scope} feed {target} of team [bold]{team}[/] (shown once, store it now):")
    console.print(created.url, markup=False, highlight=False, soft_wrap=True)
