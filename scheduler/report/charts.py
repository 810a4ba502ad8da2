"""Charts of a roster for planners: PNG files and one self-contained HTML page.

Pure functions of a :class:`~scheduler.roster.Roster` (like the text report): the figures'
numbers come from small functions that tests check exactly, and the drawing uses matplotlib's
object API (``Figure`` + Agg canvas), which needs no global backend and is safe in threads.
"""

from __future__ import annotations

import base64
import html
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from scheduler.report.text import coverage_by_queue, interval_minutes_of
from scheduler.roster import Roster, utc

#: Site colours: the Okabe–Ito colour-blind-safe palette, then a few more distinct hues.
SITE_PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#8C564B",
    "#7F7F7F",
    "#17BECF",
    "#BCBD22",
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CAPTIONS = {
    "required_vs_scheduled": "Required against scheduled agents per queue and UTC interval; red = short.",
    "gap_heatmap": "Staffing gap by UTC hour of the week, averaged over the horizon's weeks: agents "
    "short, summed over queues (over-staffing one queue does not hide a gap in another).",
    "site_hours": "Worked hours by local hour of day per site: each site should work its own daytime.",
}


def gap_by_hour_of_week(roster: Roster) -> npt.NDArray[np.float64]:
    """7 × 24 array by UTC weekday and hour: agents short (max(0, required − scheduled) per
    queue, summed over queues), averaged over the weeks that hour occurs in."""
    hours = interval_minutes_of(roster.coverage) / 60
    gap = np.zeros((7, 24))
    seen: dict[tuple[int, int], set[datetime]] = defaultdict(set)
    for row in roster.coverage:
        moment = utc(row.interval_start)
        day, hour = moment.weekday(), moment.hour
        gap[day, hour] += max(0.0, row.required - row.scheduled) * hours  # agent-hours short
        seen[day, hour].add(moment.replace(minute=0, second=0))
    for (day, hour), starts in seen.items():
        gap[day, hour] /= len(starts)  # one clock hour per week it occurs in: agents on average
    return gap


def site_hours_by_local_hour(roster: Roster) -> dict[str, list[float]]:
    """Per site, worked (allocated) hours by LOCAL hour of day, split exactly at hour boundaries."""
    totals: dict[str, list[float]] = {}
    for shift in roster.shifts:
        zone = ZoneInfo(shift.timezone)
        buckets = totals.setdefault(shift.site, [0.0] * 24)
        for span in shift.allocation:
            moment, end = utc(span.start), utc(span.end)
            while moment < end:
                local = moment.astimezone(zone)
                next_hour = local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
                boundary = min(
                    end, utc(next_hour) if next_hour > local else moment + timedelta(hours=1)
                )
                buckets[local.hour] += (boundary - moment).total_seconds() / 3600
                moment = boundary
    return dict(sorted(totals.items()))


def required_vs_scheduled(roster: Roster) -> Figure:
    queues = list(dict.fromkeys(row.queue for row in roster.coverage))
    figure = Figure(figsize=(11, 1.9 * max(1, len(queues)) + 0.6), layout="constrained")
    if not queues:
        figure.text(0.5, 0.5, "no coverage data", ha="center", va="center")
        return figure
    ratios = {s.queue: s.coverage for s in coverage_by_queue(roster)}
    axes = figure.subplots(len(queues), 1, sharex=True, squeeze=False)[:, 0]
    for ax, queue in zip(axes, queues, strict=True):
        rows = sorted(
            (r for r in roster.coverage if r.queue == queue), key=lambda r: r.interval_start
        )
        times = [utc(r.interval_start) for r in rows]
        required = np.array([r.required for r in rows])
        scheduled = np.array([r.scheduled for r in rows])
        ax.step(times, required, where="post", color="#333333", linewidth=1.1, label="required")
        ax.step(times, scheduled, where="post", color="#1f77b4", linewidth=1.1, label="scheduled")
        ax.fill_between(
            times,
            scheduled,
            required,
            where=scheduled < required - 1e-9,
            step="post",
            color="#d62728",
            alpha=0.35,
            label="short",
        )
        ax.set_title(f"{queue} · coverage {ratios.get(queue, 1.0):.1%}", fontsize=9, loc="left")
        ax.set_ylabel("agents", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.25)
    axes[0].legend(fontsize=7, ncols=3, loc="upper right")
    axes[-1].set_xlabel("UTC")
    figure.autofmt_xdate()
    return figure


def gap_heatmap(roster: Roster) -> Figure:
    gap = gap_by_hour_of_week(roster)
    figure = Figure(figsize=(11, 3.4), layout="constrained")
    ax = figure.subplots()
    image = ax.imshow(gap, cmap="Reds", vmin=0, vmax=max(1.0, float(gap.max())), aspect="auto")
    ax.set_yticks(range(7), WEEKDAYS, fontsize=8)
    ax.set_xticks(range(24), [f"{h:02d}" for h in range(24)], fontsize=7)
    ax.set_xlabel("UTC hour")
    ax.set_title("Staffing gap by hour of week (agents short, all queues)", fontsize=10, loc="left")
    figure.colorbar(image, ax=ax, label="agents short")
    return figure


def site_hours_by_local_time(roster: Roster, sites: Sequence[str] | None = None) -> Figure:
    """Stacked hours per site; ``sites`` fixes each site's colour (pass the same list for every
    variant of a comparison so a site keeps its colour when another variant adds one)."""
    hours = site_hours_by_local_hour(roster)
    order = list(sites) if sites is not None else []
    order += [site for site in hours if site not in order]
    figure = Figure(figsize=(11, 3.8), layout="constrained")
    ax = figure.subplots()
    if not hours:
        ax.text(0.5, 0.5, "no shifts", ha="center", va="center", transform=ax.transAxes)
    bottom = np.zeros(24)
    for site, values in hours.items():
        ax.bar(
            range(24),
            values,
            bottom=bottom,
            label=site,
            width=0.85,
            color=SITE_PALETTE[order.index(site) % len(SITE_PALETTE)],
        )
        bottom += np.array(values)
    ax.set_xticks(range(24), [f"{h:02d}" for h in range(24)], fontsize=7)
    ax.set_xlabel("local hour of day (each site in its own zone)")
    ax.set_ylabel("worked hours")
    ax.set_title("Hours worked by site and local time of day", fontsize=10, loc="left")
    if hours:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), title="site")
    ax.grid(axis="y", alpha=0.25)
    return figure


def roster_charts(roster: Roster, sites: Sequence[str] | None = None) -> dict[str, Figure]:
    """Every chart, by its stable name (the PNG file stem)."""
    return {
        "required_vs_scheduled": required_vs_scheduled(roster),
        "gap_heatmap": gap_heatmap(roster),
        "site_hours": site_hours_by_local_time(roster, sites),
    }


def write_charts(
    roster: Roster, directory: Path, title: str = "", sites: Sequence[str] | None = None
) -> list[Path]:
    """Write ``<name>.png`` per chart and ``index.html`` (PNGs inlined) into ``directory``;
    ``sites`` fixes site colours across several rosters' charts."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    sections: list[str] = []
    for name, figure in roster_charts(roster, sites).items():
        path = directory / f"{name}.png"
        FigureCanvasAgg(figure).print_png(str(path))  # type: ignore[no-untyped-call]
        written.append(path)
        data = base64.b64encode(path.read_bytes()).decode()
        sections.append(
            f"<h2>{html.escape(name.replace('_', ' '))}</h2><p>{html.escape(CAPTIONS[name])}</p>"
            f'<img alt="{html.escape(name)}" src="data:image/png;base64,{data}">'
        )
    page = directory / "index.html"
    heading = html.escape(title or roster.scenario or "roster")
    page.write_text(
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<title>{heading}</title><style>body{{font-family:sans-serif;max-width:1200px;margin:2em auto}}"
        "img{max-width:100%}td,th{padding:2px 10px;text-align:right}</style></head><body>"
        f"<h1>{heading}</h1>{_kpi_table(roster)}{''.join(sections)}</body></html>\n",
        encoding="utf-8",
    )
    written.append(page)
    return written


def _kpi_table(roster: Roster) -> str:
    kpis = roster.kpis
    if kpis is None:
        return f"<p>status {html.escape(str(roster.status))}</p>"
    rows = [
        ("status", str(roster.status)),
        ("coverage", f"{kpis.coverage_ratio:.1%}"),
        ("under-staffed hours", f"{kpis.under_staffed_hours:,.1f}"),
        ("labour cost", f"{kpis.labour_cost:,.0f}"),
        ("unsocial hours", f"{kpis.unsocial_hours:,.1f}"),
        ("paid hours", f"{kpis.paid_hours:,.0f}"),
    ]
    cells = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f"<table>{cells}</table>"
