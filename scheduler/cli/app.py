"""The ``sunshift`` Typer application: commands are registered here, implemented one per module."""

from __future__ import annotations

import typer

from scheduler.cli import (
    admin,
    bench,
    capacity,
    import_cmd,
    report,
    schema,
    serve,
    solve,
    staffing,
    validate,
    whatif,
)

app = typer.Typer(
    name="sunshift",
    help="Follow-the-sun shift scheduling: staffing maths, optimal rosters, reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command registrations (one module per command). Keep this list sorted by command name.
# from scheduler.cli import staffing  -> app.command("staffing")(staffing.staffing)
app.add_typer(admin.app, name="admin")
app.add_typer(bench.app, name="bench")
app.command("capacity")(capacity.capacity)
app.add_typer(import_cmd.app, name="import")
app.command("report")(report.report)
app.command("schema")(schema.schema)
app.command("serve")(serve.serve)
app.command("solve")(solve.solve_command)
app.command("staffing")(staffing.staffing)
app.command("validate")(validate.validate)
app.command("whatif")(whatif.whatif)


def main() -> None:
    """Console-script entry point."""
    app()
