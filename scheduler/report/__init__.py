"""Roster summaries (coverage per queue and day, hours per site, KPIs) shared by the CLI."""

from scheduler.report.charts import roster_charts, write_charts
from scheduler.report.text import (
    CoverageSummary,
    RosterReport,
    SiteHours,
    coverage_by_queue,
    coverage_by_queue_day,
    hours_by_site,
    interval_minutes_of,
    kpi_summary,
    roster_report,
)

__all__ = [
    "CoverageSummary",
    "RosterReport",
    "SiteHours",
    "coverage_by_queue",
    "coverage_by_queue_day",
    "hours_by_site",
    "interval_minutes_of",
    "kpi_summary",
    "roster_charts",
    "roster_report",
    "write_charts",
]
