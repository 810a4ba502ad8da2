"""``sunshift whatif BASE --overlay A.yaml --overlay B.yaml+C.yaml``: solve and compare variants.

Each ``--overlay`` is one variant; ``A.yaml+B.yaml`` composes overlays into one variant. The
base and every variant are solved with the same seed and limits, side by side when cores allow,
under a live display of each solve; then one comparison (and, for variants offering hires with
a goal, a hiring recommendation) is printed, or written as JSON or CSV.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.live import Live
from rich.table import Table

from scheduler.cli.options import (
    DeterministicTimeOption,
    Strategy,
    StrategyOption,
    WorkersOption,
    solve_params_or_fail,
)
from scheduler.cli.output import console, error_console, fail, print_json
from scheduler.cli.report import load_scenario_or_fail
from scheduler.domain import Scenario
from scheduler.report import write_charts
from scheduler.solve.params import SolveParams
from scheduler.whatif import (
    Comparison,
    HireRecommendation,
    OverlayError,
    Solved,
    SourcedOverlay,
    Variant,
    VariantEvent,
    WhatIfReport,
    apply,
    base_variant,
    load_overlay,
    run_whatif,
)
from scheduler.whatif.flags import OverlayFlags, overlay_from_flags


def whatif(
    base_file: Annotated[
        Path, typer.Argument(help="Base scenario JSON.", exists=True, dir_okay=False, readable=True)
    ],
    overlays: Annotated[
        list[str] | None,
        typer.Option(
            "--overlay",
            help="Overlay file (YAML or JSON); one variant each, A.yaml+B.yaml composes.",
        ),
    ] = None,
    scale: Annotated[
        list[str] | None, typer.Option(help="Flag variant: QUEUE=FACTOR (*=FACTOR: every queue).")
    ] = None,
    remove: Annotated[
        list[str] | None, typer.Option(help="Flag variant: remove agents, site=S | skill=Q | id=A.")
    ] = None,
    unavailable: Annotated[
        list[str] | None, typer.Option(help="Flag variant: SELECTOR@START..END local dates off.")
    ] = None,
    hire: Annotated[
        list[str] | None,
        typer.Option(
            help="Flag variant: site=S,timezone=Z,skills=Q[+Q],contract=C,cost=N,up_to=N."
        ),
    ] = None,
    goal: Annotated[
        str | None,
        typer.Option(help="Flag variant: queues=Q[+Q],coverage=0.98[,service_level=0.8]."),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="Flag variant: queues.ID.FIELD=V, contracts.ID.FIELD=V, policy.FIELD=V."
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="Name of the variant the flags make (default command-line).")
    ] = None,
    time_limit: Annotated[
        float, typer.Option(help="Wall-clock cap per solve in seconds (not reproducible alone).")
    ] = 30.0,
    deterministic_time: DeterministicTimeOption = None,
    seed: Annotated[int, typer.Option(help="Random seed, the same for every variant.")] = 0,
    workers: WorkersOption = 0,
    strategy: StrategyOption = Strategy.auto,
    parallel: Annotated[
        int | None, typer.Option(help="Variants solved at once (default: one per core).")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="Write the comparison as CSV (one row per figure).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Directory for each variant's roster JSON.")
    ] = None,
    charts: Annotated[
        Path | None, typer.Option("--charts", help="Directory for PNG + HTML charts per variant.")
    ] = None,
    marginal: Annotated[
        bool, typer.Option(help="With hires: also solve one more hire per site/skill group.")
    ] = True,
    no_progress: Annotated[
        bool, typer.Option("--no-progress", help="Do not show the live progress display.")
    ] = False,
) -> None:
    """Compare what-if variants of a scenario: coverage, service level, cost, sites, hires."""
    base = load_scenario_or_fail(base_file)
    flags = OverlayFlags(
        scale=scale or [],
        remove=remove or [],
        unavailable=unavailable or [],
        hire=hire or [],
        goal=goal,
        set=set_ or [],
        name=name,
    )
    variants = [base_variant(base), *load_variants(base, overlays or [], flags)]
    if len(variants) == 1:
        fail(
            "input.invalid",
            "nothing to compare",
            hint="give --overlay FILE or variant flags such as --scale en-chat=1.2",
        )
    params = solve_params_or_fail(
        time_limit=time_limit,
        deterministic_time=deterministic_time,
        seed=seed,
        workers=workers,
        strategy=strategy,
    )
    show = not no_progress and error_console.is_terminal
    with _LiveBoard(variants, params, enabled=show) as board:
        report, solved = run_whatif(
            variants, params, parallel=parallel, marginal=marginal, progress=board.update
        )
    comparison = report.comparison
    if out is not None:
        _write_rosters(out, solved)
    if charts is not None:
        _write_charts(charts, solved)
    if csv_file is not None:
        write_csv(csv_file, comparison)
    if json_output:
        print_json(report)
        return
    render(report)


def load_variants(
    base: Scenario, specs: list[str], flags: OverlayFlags | None = None
) -> list[Variant]:
    """One variant per ``--overlay`` value, and one for the variant flags if any are given;
    every problem of every overlay is reported."""
    variants: list[Variant] = []
    problems: list[str] = []
    names: set[str] = {"base"}
    entries: list[str | OverlayFlags] = [*specs]
    if flags is not None and flags.given():
        entries.append(flags)
    for entry in entries:
        spec = entry if isinstance(entry, str) else "command line"
        try:
            variant = apply(base, _overlays(entry))
        except OverlayError as error:
            problems += [f"{error.source}: {problem}" for problem in error.problems]
            continue
        if variant.name in names:
            problems.append(f"{spec}: variant name '{variant.name}' is used twice; set `name:`")
        names.add(variant.name)
        variants.append(variant)
    if problems:
        fail("overlay.invalid", f"{len(problems)} problem(s) in the overlays", details=problems)
    return variants


def _overlays(entry: str | OverlayFlags) -> list[SourcedOverlay]:
    """The overlays of an ``--overlay`` value (``A.yaml+B.yaml``) or of the variant flags."""
    if isinstance(entry, OverlayFlags):
        overlay = overlay_from_flags(entry)
        return [overlay] if overlay is not None else []
    return [load_overlay(Path(part)) for part in entry.split("+") if part]


class _LiveBoard:
    """A multi-line live display: one line per variant (and hiring trial) as it solves."""

    def __init__(self, variants: list[Variant], params: SolveParams, *, enabled: bool) -> None:
        self.rows: dict[str, VariantEvent | None] = {v.name: None for v in variants}
        self.limit = params.time_limit
        self.live = (
            Live(self._table(), console=error_console, refresh_per_second=4, transient=True)
            if enabled
            else None
        )

    def __enter__(self) -> _LiveBoard:
        if self.live is not None:
            self.live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.__exit__(None, None, None)

    def update(self, event: VariantEvent) -> None:
        self.rows[event.variant] = event
        if self.live is not None:
            self.live.update(self._table())

    def _table(self) -> Table:
        table = Table(title="Solving variants", title_justify="left", box=None)
        for column in ("variant", "state", "seconds", "objective", "under-staffed h"):
            table.add_column(column, justify="left" if column in ("variant", "state") else "right")
        for name, event in self.rows.items():
            if event is None:
                table.add_row(name, "[dim]waiting[/]", "", "", "")
                continue
            state = f"[green]done[/] {event.phase}" if event.done else event.phase
            table.add_row(
                name,
                state,
                f"{event.elapsed:.0f}"
                + ("" if event.done or not self.limit else f"/{self.limit:.0f}"),
                _number(event.objective),
                _number(event.under_staffed_hours, 1),
            )
        return table


def render(report: WhatIfReport) -> None:
    comparison = report.comparison
    names = [m.name for m in comparison.variants]
    summary = Table(title="What-if comparison (deltas against base)", title_justify="left")
    summary.add_column("figure")
    for name in names:
        summary.add_column(name, justify="right")
    rows: list[tuple[str, str, str]] = [
        ("status", "status", ""),
        ("coverage", "coverage", "%"),
        ("under-staffed h", "under_staffed_hours", "1"),
        ("labour cost", "labour_cost", "0"),
        ("unsocial h", "unsocial_hours", "1"),
        ("paid h", "paid_hours", "0"),
        ("agents used", "agents_used", "0"),
    ]
    for label, field, style in rows:
        cells = []
        for metrics in comparison.variants:
            value = getattr(metrics, field)
            change = (
                getattr(comparison.deltas[metrics.name], field, None)
                if metrics.name in comparison.deltas
                else None
            )
            cells.append(_cell(value, change, style))
        summary.add_row(label, *cells)
    console.print(summary)

    queues = Table(
        title="Per queue: coverage · under-staffed h · projected service level",
        title_justify="left",
    )
    queues.add_column("queue")
    for name in names:
        queues.add_column(name, justify="right")
    for queue in comparison.base.queues:
        cells = []
        for metrics in comparison.variants:
            mine = metrics.queue(queue.queue)
            level = "n/a" if mine.service_level is None else f"{mine.service_level:.1%}"
            cells.append(f"{mine.coverage:.1%} · {mine.under_staffed_hours:.1f} · {level}")
        target = (
            ""
            if queue.target_service_level is None
            else f" (SL target {queue.target_service_level:.0%})"
        )
        queues.add_row(f"{queue.queue}{target}", *cells)
    console.print(queues)

    sites = Table(title="Paid hours per site", title_justify="left")
    sites.add_column("site")
    for name in names:
        sites.add_column(name, justify="right")
    for site in sorted({s for m in comparison.variants for s in m.site_hours}):
        sites.add_row(site, *[f"{m.site_hours.get(site, 0.0):,.0f}" for m in comparison.variants])
    console.print(sites)
    for recommendation in report.hiring:
        render_hiring(recommendation)


def render_hiring(advice: HireRecommendation) -> None:
    goal = advice.goal
    wanted = " and ".join(
        text
        for text in (
            f"coverage ≥ {goal.coverage:.0%}" if goal.coverage is not None else "",
            f"service level ≥ {goal.service_level:.0%}" if goal.service_level is not None else "",
        )
        if text
    )
    scope = ", ".join(goal.queues) if goal.queues else "every queue"
    console.print(
        f"\n[bold]Hiring · {advice.variant}[/]: goal {wanted} on {scope} ({advice.solves} solves)"
    )
    if not advice.reachable:
        console.print(
            "[red]The goal is not met even with every offered hire:[/] "
            + "; ".join(advice.goal_check.shortfalls)
        )
        return
    table = Table(box=None)
    for column in ("site / skills", "offered", "used with all offered", "recommended"):
        table.add_column(column, justify="left" if column == "site / skills" else "right")
    for label, offered in advice.offered.items():
        table.add_row(
            label,
            str(offered),
            str(advice.used_with_all_offered[label]),
            str(advice.recommended[label]),
        )
    console.print(table)
    verified = advice.verified
    if verified is not None:
        queues = goal.queues or [q.queue for q in verified.queues]
        figures = ", ".join(
            f"{q} coverage {verified.queue(q).coverage:.1%}"
            + (
                ""
                if verified.queue(q).service_level is None
                else f" SL {verified.queue(q).service_level:.1%}"
            )
            for q in queues
        )
        console.print(
            f"Recommended hires: {', '.join(advice.hires) or 'none (the team already meets it)'}; "
            f"their labour cost {advice.hire_labour_cost:,.0f}. Re-solved as a plain scenario with "
            f"exactly these hires: {figures} — goal met."
        )
    if advice.marginal:
        margins = Table(title="One more hire", title_justify="left", box=None)
        for column in ("group", "under-staffed h", "coverage", "labour cost"):
            margins.add_column(column, justify="left" if column == "group" else "right")
        for value in advice.marginal:
            margins.add_row(
                value.group,
                f"{value.under_staffed_hours:+.1f}",
                f"{value.coverage:+.2%}",
                f"{value.labour_cost:+,.0f}",
            )
        console.print(margins)


def write_csv(path: Path, comparison: Comparison) -> None:
    """Long format: variant, figure, key (queue or site), value, delta against the base."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["variant", "figure", "key", "value", "delta"])
        base = comparison.base
        for metrics in comparison.variants:
            change = comparison.deltas.get(metrics.name)
            for field in (
                "coverage",
                "under_staffed_hours",
                "labour_cost",
                "unsocial_hours",
                "paid_hours",
                "agents_used",
            ):
                writer.writerow(
                    [
                        metrics.name,
                        field,
                        "",
                        getattr(metrics, field),
                        _csv(getattr(change, field) if change else None),
                    ]
                )
            for queue in metrics.queues:
                before = base.queue(queue.queue)
                for field in ("coverage", "under_staffed_hours", "service_level"):
                    value, was = getattr(queue, field), getattr(before, field)
                    diff = (
                        None
                        if value is None or was is None or change is None
                        else round(value - was, 4)
                    )
                    writer.writerow(
                        [metrics.name, f"queue_{field}", queue.queue, _csv(value), _csv(diff)]
                    )
            for site, hours in metrics.site_hours.items():
                diff = None if change is None else change.site_hours.get(site)
                writer.writerow([metrics.name, "site_paid_hours", site, hours, _csv(diff)])


def _write_rosters(directory: Path, solved: list[Solved]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for item in solved:
        target = directory / f"{slug(item.variant.name)}.roster.json"
        target.write_text(item.roster.model_dump_json(indent=2) + "\n", encoding="utf-8")
        error_console.print(f"wrote {target}", highlight=False)


def _write_charts(directory: Path, solved: list[Solved]) -> None:
    sites = sorted({a.site for item in solved for a in item.variant.scenario.agents})
    for item in solved:
        written = write_charts(
            item.roster, directory / slug(item.variant.name), title=item.variant.name, sites=sites
        )
        error_console.print(f"charts for {item.variant.name}: {written[-1]}", highlight=False)


def slug(name: str) -> str:
    """A file name for a variant.

    >>> slug("growth+hiring: 3 hires")
    'growth+hiring-3-hires'
    """
    return re.sub(r"[^A-Za-z0-9_.+-]+", "-", name).strip("-") or "variant"


def _cell(value: Any, change: Any, style: str) -> str:
    if style == "":
        return str(value)
    if style == "%":
        text = f"{value:.1%}"
        return text if change is None else f"{text} ({change:+.1%})"
    digits = int(style)
    text = f"{value:,.{digits}f}"
    return text if change is None else f"{text} ({change:+,.{digits}f})"


def _number(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def _csv(value: object) -> object:
    return "" if value is None else value
