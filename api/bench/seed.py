"""Seed a team for the load test and measure job overhead (POST → solver start).

Usage: python -m api.bench.seed BASE_URL KEY {seed|jobs N}
Prints JSON. Every loop is bounded by a count and a deadline.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2

ZONES = ["Europe/Copenhagen", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "Asia/Kolkata"]


def _wait(client: httpx2.Client, team: str, job_id: int, deadline: float = 120) -> dict[str, Any]:
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        job: dict[str, Any] = client.get(f"/v1/teams/{team}/solves/{job_id}").json()
        if job["state"] in {"succeeded", "failed", "cancelled"}:
            return job
        time.sleep(0.02)
    raise SystemExit(f"job {job_id} did not finish within {deadline} s")


def seed(client: httpx2.Client, team: str) -> dict[str, Any]:
    client.post(f"/v1/teams/{team}/queues", json={"id": "en", "language": "en", "channel": "phone"}).raise_for_status()
    client.post(f"/v1/teams/{team}/contracts", json={"id": "ft", "max_consecutive_days": 5, "min_days_off_per_week": 2}).raise_for_status()
    agents = [{"id": f"a{i:02d}", "timezone": ZONES[i % 5], "contract": "ft", "skills": ["en"]} for i in range(20)]
    client.post(f"/v1/teams/{team}/agents/bulk", json=agents).raise_for_status()
    start = datetime(2026, 3, 23, tzinfo=UTC)
    rows = [
        {"queue": "en", "interval_start": (start + timedelta(minutes=30 * i)).isoformat(), "volume": 40, "aht_seconds": 300}
        for i in range(7 * 48)
    ]
    forecast = client.post(
        f"/v1/teams/{team}/forecasts",
        json={"name": "bench", "horizon": {"start": "2026-03-23", "days": 7, "interval_minutes": 30}, "rows": rows},
    )
    forecast.raise_for_status()
    forecast_id = forecast.json()["id"]
    job = client.post(
        f"/v1/teams/{team}/solves",
        json={"forecast_id": forecast_id, "params": {"time_limit": 20, "deterministic_time": 2, "workers": 1}},
    ).json()
    done = _wait(client, team, job["id"])
    return {"forecast_id": forecast_id, "solve_id": job["id"], "roster_version": done["roster_version"]}


def job_overhead(client: httpx2.Client, team: str, forecast_id: int, count: int) -> dict[str, Any]:
    """Sequential tiny solves; overhead = solver start − job creation, as the server recorded it,
    plus the client-side POST round trip."""
    overheads: list[float] = []
    posts: list[float] = []
    for _ in range(count):
        sent = time.perf_counter()
        job = client.post(
            f"/v1/teams/{team}/solves",
            json={"forecast_id": forecast_id, "params": {"time_limit": 5, "deterministic_time": 0.05, "workers": 1}},
        ).json()
        posts.append((time.perf_counter() - sent) * 1000)
        done = _wait(client, team, job["id"])
        if done["queue_seconds"] is None:
            raise SystemExit(f"job {job['id']} never started its solver: {done}")
        overheads.append(done["queue_seconds"] * 1000)
    ordered = sorted(overheads)
    return {
        "jobs": count,
        "post_ms_median": round(statistics.median(posts), 1),
        "post_to_solver_start_ms_median": round(statistics.median(ordered), 1),
        "post_to_solver_start_ms_p90": round(ordered[int(0.9 * (count - 1))], 1),
        "post_to_solver_start_ms_max": round(ordered[-1], 1),
    }


def main() -> None:
    base, key, command = sys.argv[1], sys.argv[2], sys.argv[3]
    with httpx2.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=30) as client:
        if command == "seed":
            print(json.dumps(seed(client, "bench")))
        else:
            forecast_id = int(sys.argv[5])
            print(json.dumps(job_overhead(client, "bench", forecast_id, int(sys.argv[4]))))


if __name__ == "__main__":
    main()
