"""Solve jobs on a real database with the process runner: run, cancel, caps, restarts."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from api.db.models import Solve, utcnow
from tests.api.builders import make_agent, make_contract, make_forecast, make_queue, make_solve
from tests.api.conftest import LiveApps, LiveEnv, auth

TERMINAL = {"succeeded", "failed", "cancelled"}


def wait_for(env: LiveEnv, job_id: int, done: Callable[[dict[str, Any]], bool], deadline: float = 60) -> dict[str, Any]:
    """Poll the job until ``done`` holds; fail after ``deadline`` seconds (never hangs)."""
    until = time.monotonic() + deadline
    while True:
        job: dict[str, Any] = env.client.get(
            f"/v1/teams/acme/solves/{job_id}", headers=auth(env.keys.viewer)
        ).json()
        if done(job):
            return job
        assert time.monotonic() < until, f"job {job_id} stuck: {job}"
        time.sleep(0.05)


def seed(env: LiveEnv, agents: int = 2, days: int = 1) -> int:
    headers = auth(env.keys.scheduler)
    env.client.post("/v1/teams/acme/queues", headers=headers, json=make_queue()).raise_for_status()
    env.client.post("/v1/teams/acme/contracts", headers=headers, json=make_contract()).raise_for_status()
    zones = ["Europe/Copenhagen", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]
    env.client.post(
        "/v1/teams/acme/agents/bulk", headers=headers,
        json=[make_agent(f"a{i}", timezone=zones[i % 4]) for i in range(agents)],
    ).raise_for_status()
    response = env.client.post("/v1/teams/acme/forecasts", headers=headers, json=make_forecast(days=days, required=2))
    response.raise_for_status()
    return int(response.json()["id"])


def submit(env: LiveEnv, body: dict[str, Any], key: str | None = None) -> Any:
    return env.client.post("/v1/teams/acme/solves", headers=auth(key or env.keys.scheduler), json=body)


LONG = {"time_limit": 30, "deterministic_time": None, "workers": 1}


def test_solve_runs_to_a_roster(live: LiveApps) -> None:
    env = live.start()
    forecast = seed(env)
    response = submit(env, make_solve(forecast, label="week 13"))
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["state"] == "queued" and response.headers["location"].endswith(f"/solves/{job['id']}")
    done = wait_for(env, job["id"], lambda j: j["state"] in TERMINAL)
    assert done["state"] == "succeeded", done
    assert done["attempt"] == 1 and done["roster_version"] == 1 and done["queue_seconds"] >= 0
    assert done["progress"]["objective"] is not None and done["progress"]["elapsed"] > 0
    roster = env.client.get(done["roster_url"], headers=auth(env.keys.viewer)).json()
    assert roster["solve_id"] == job["id"] and roster["roster"]["shifts"]


def test_planner_runs_and_cancels_what_ifs(live: LiveApps) -> None:
    env = live.start(max_running_solves=1)
    forecast = seed(env, agents=8, days=7)
    blocker = submit(env, make_solve(forecast, params=LONG)).json()
    what_if = submit(env, make_solve(forecast, what_if=True, exclude_agents=["a1"]), env.keys.planner)
    assert what_if.status_code == 202
    cancelled = env.client.delete(
        f"/v1/teams/acme/solves/{what_if.json()['id']}", headers=auth(env.keys.planner)
    ).json()
    assert cancelled["state"] == "cancelled"  # it was still queued behind the blocker
    env.client.delete(f"/v1/teams/acme/solves/{blocker['id']}", headers=auth(env.keys.scheduler))
    wait_for(env, blocker["id"], lambda j: j["state"] in TERMINAL)


def test_cancel_stops_a_running_solve(live: LiveApps) -> None:
    env = live.start()
    forecast = seed(env, agents=8, days=7)
    job = submit(env, make_solve(forecast, params=LONG)).json()
    wait_for(env, job["id"], lambda j: j["started_at"] is not None)
    started = time.monotonic()
    response = env.client.delete(f"/v1/teams/acme/solves/{job['id']}", headers=auth(env.keys.scheduler))
    assert response.status_code == 202 and response.json()["cancel_requested_at"]
    done = wait_for(env, job["id"], lambda j: j["state"] in TERMINAL, deadline=20)
    assert done["state"] == "cancelled" and done["roster_version"] is None
    assert time.monotonic() - started < 10  # well before its 30 s limit
    again = env.client.delete(f"/v1/teams/acme/solves/{job['id']}", headers=auth(env.keys.scheduler))
    assert again.status_code == 409


def test_team_over_its_share_gets_429(live: LiveApps) -> None:
    env = live.start(max_solves_per_team=1)
    forecast = seed(env, agents=8, days=7)
    first = submit(env, make_solve(forecast, params=LONG)).json()
    response = submit(env, make_solve(forecast))
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1
    assert response.json()["limit"] == "max_solves_per_team"
    env.client.delete(f"/v1/teams/acme/solves/{first['id']}", headers=auth(env.keys.scheduler))
    wait_for(env, first["id"], lambda j: j["state"] in TERMINAL)


def _orphan(env: LiveEnv, job_id: int, lost_runs: int) -> None:
    """Make the job look like a dead server's running job (as a crash would leave it)."""
    with Session(env.engine) as session, session.begin():
        session.execute(
            update(Solve).where(Solve.id == job_id).values(
                state="running", attempt=Solve.attempt + 1, owner="dead-server",
                heartbeat_at=utcnow() - timedelta(minutes=5), lost_runs=lost_runs,
            )
        )


def test_restart_reruns_a_job_whose_server_died(live: LiveApps) -> None:
    """A job left running by a dead server is re-queued at start-up and re-run (attempt 2)."""
    api_only = live.start(jobs_enabled=False)
    forecast = seed(api_only)
    job = submit(api_only, make_solve(forecast)).json()
    _orphan(api_only, job["id"], lost_runs=0)
    live.stop(api_only)
    env = live.start()
    done = wait_for(env, job["id"], lambda j: j["state"] in TERMINAL)
    assert done["state"] == "succeeded" and done["attempt"] == 2, done


def test_restart_fails_a_job_out_of_attempts_with_the_reason(live: LiveApps) -> None:
    api_only = live.start(jobs_enabled=False)
    forecast = seed(api_only)
    job = submit(api_only, make_solve(forecast)).json()
    _orphan(api_only, job["id"], lost_runs=1)
    live.stop(api_only)
    env = live.start(job_max_attempts=2)
    done = wait_for(env, job["id"], lambda j: j["state"] in TERMINAL)
    assert done["state"] == "failed" and done["error"]["code"] == "runner-lost", done
    assert "restart" in done["error"]["detail"]


def test_stale_writer_is_fenced_out(live: LiveApps) -> None:
    """A report from an old attempt changes nothing once a newer attempt owns the job."""
    env = live.start(jobs_enabled=False)
    forecast = seed(env)
    job = submit(env, make_solve(forecast)).json()
    from api.db.engine import Database
    from api.jobs.supervisor import Supervisor

    supervisor = Supervisor(Database(env.engine), env.settings, runner_factory=lambda events: _NoRunner())
    assert supervisor._claim(job["id"]) == 1
    _orphan(env, job["id"], lost_runs=0)  # attempt 2 now owns it
    supervisor.on_finished(job["id"], 1, {"status": "OPTIMAL", "has_roster": True, "roster": {}})
    supervisor.on_died(job["id"], 1, "late report")
    state = env.client.get(f"/v1/teams/acme/solves/{job['id']}", headers=auth(env.keys.viewer)).json()
    assert (state["state"], state["attempt"], state["roster_version"]) == ("running", 2, None)


class _NoRunner:
    def start(self, job_id: int, attempt: int) -> None: ...
    def stop(self, job_id: int) -> None: ...
    def kill(self, job_id: int) -> None: ...
    def running(self) -> set[int]:
        return set()
    def close(self, timeout: float = 5.0) -> None: ...
