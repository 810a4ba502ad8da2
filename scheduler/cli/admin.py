"""``sunshift admin``: bootstrap and maintain the service's database (first key, migrations).

Like ``serve``, it imports ``api`` only when run.
"""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import BaseModel

from scheduler.cli.output import console, fail, print_json

app = typer.Typer(help="Service administration: API keys and database migrations.", no_args_is_help=True)

DatabaseOption = Annotated[
    str | None, typer.Option(help="Database URL (default SUNSHIFT_DATABASE_URL or sqlite:///sunshift.db).")
]


class CreatedKey(BaseModel):
    team: str
    role: str
    key_id: str
    key: str


def _database(url: str | None):  # type: ignore[no-untyped-def]
    from api.db.engine import Database, make_engine
    from api.db.migrate import upgrade
    from api.settings import Settings

    try:
        settings = Settings(database_url=url) if url else Settings()
    except ValueError as error:
        fail("settings.unsafe", str(error))
    database = Database(make_engine(settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms))
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
        fail("input.invalid", f"unknown role '{role}'", hint="use admin, scheduler, planner or viewer")
    database = _database(database_url)
    try:
        with database.writing() as session:
            team_row = service.ensure_team(session, team, team_name)
            created = service.create_key(session, team_row, Role(role), name or "created by sunshift admin")
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
