"""Seed a team of N agents with a published roster and one feed token per agent, directly in
the database (no solve: the load test measures feeds, not the solver).

Usage: python -m api.bench.seed_feeds DATABASE_URL AGENTS OUT_FILE
Writes one feed path per line to OUT_FILE (``/v1/feeds/ssf_….ics``).
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from api.db.engine import Database, make_engine
from api.db.migrate import upgrade
from api.db.models import AgentRow, RosterRow, Solve
from api.feeds import service as feeds
from api.feeds.schemas import FeedIn
from api.publishing import service as publishing
from api.settings import Settings
from api.teams import service as teams
from scheduler.roster import QueueSpan, Roster, ShiftOut, SolveStatus

ZONES = ["Europe/Copenhagen", "America/Chicago", "Asia/Manila", "Australia/Sydney", "Asia/Riyadh"]
START = date.today() - timedelta(days=7)  # shifts from a week ago to three weeks ahead


def _shifts(agent: str, zone: str) -> list[ShiftOut]:
    """Five 8-hour day shifts a week for four weeks, from 08:00 local."""
    tz = ZoneInfo(zone)
    shifts = []
    for day in range(28):
        if day % 7 >= 5:
            continue
        local = datetime.combine(START + timedelta(days=day), datetime.min.time(), tz) + timedelta(hours=8)
        start = local.astimezone(UTC)
        end = start + timedelta(hours=8)
        shifts.append(ShiftOut(
            agent_id=agent, start=start, end=end, local_start=start.astimezone(tz),
            local_end=end.astimezone(tz), timezone=zone, site=zone.split("/")[1],
            local_date=local.date().isoformat(), paid_hours=8.0,
            allocation=[QueueSpan(queue="en", start=start, end=end)], breaks=[],
        ))
    return shifts


def main(database_url: str, agents: int, out: Path) -> None:
    settings = Settings(database_url=database_url)
    database = Database(make_engine(database_url))
    upgrade(database.engine)
    ids = [f"a{i:04d}" for i in range(agents)]
    with database.writing() as session:
        team = teams.ensure_team(session, "feeds")
        for i, agent in enumerate(ids):
            zone = ZONES[i % len(ZONES)]
            session.add(AgentRow(team_id=team.id, key=agent, data={
                "id": agent, "name": f"Agent {i}", "timezone": zone, "site": zone.split("/")[1],
                "contract": "ft", "skills": ["en"],
            }))
        roster = Roster(
            status=SolveStatus.FEASIBLE, objective=0.0, best_bound=None, scenario="feeds",
            shifts=[s for i, agent in enumerate(ids) for s in _shifts(agent, ZONES[i % len(ZONES)])],
        )
        job = Solve(team_id=team.id, state="succeeded", scenario={}, params={}, attempt=1)
        session.add(job)
        session.flush()
        session.add(RosterRow(
            team_id=team.id, version=1, solve_id=job.id, status="FEASIBLE",
            data=roster.model_dump(mode="json"),
        ))
        session.flush()
        publishing.publish(session, team, 1, publishing.etag_of(0), "bench", datetime.now(UTC))
        paths = [
            feeds.create(session, team, FeedIn(scope="agent", target=agent), settings).url
            for agent in ids
        ]
    database.dispose()
    out.write_text("".join(p.removeprefix(settings.public_url) + "\n" for p in paths))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))
