"""Service-wide behaviour: problem details, OpenAPI, settings, logs, health, the real server."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx2
import pytest

from api.app import create_app
from api.db.engine import sqlite_version_warning
from api.observability import JsonFormatter, request_id_var
from api.settings import Settings
from tests.api.builders import make_agent, make_contract, make_forecast, make_queue, make_solve
from tests.api.conftest import ApiEnv, World, auth


def test_openapi_declares_every_error(api: ApiEnv, world: World) -> None:
    spec = api.client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        if not path.startswith("/v1/"):
            continue
        for method, operation in operations.items():
            declared = set(operation["responses"])
            if path.startswith("/v1/feeds/"):  # the token in the URL is the credential
                assert {"404", "500"} <= declared and "401" not in declared, (method, path)
            else:
                assert {"401", "403", "404", "422", "500"} <= declared, (method, path)
            assert "application/problem+json" in operation["responses"]["404"]["content"]
    assert "429" in spec["paths"]["/v1/teams/{team}/solves"]["post"]["responses"]
    assert "413" in spec["paths"]["/v1/teams/{team}/agents/bulk"]["post"]["responses"]


def test_a_bug_is_a_bare_500_with_the_request_id(api: ApiEnv, world: World) -> None:
    def broken() -> None:
        raise RuntimeError("secret internals")

    api.client.app.add_api_route("/v1/boom", broken)  # type: ignore[attr-defined]
    response = api.client.get("/v1/boom", headers={"X-Request-ID": "req-42"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "secret" not in response.text and "Traceback" not in response.text
    assert response.json()["request_id"] == "req-42"


def test_request_id_is_echoed_and_logged(api: ApiEnv, world: World) -> None:
    response = api.client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.json()["status"] == "ok" and response.headers["x-request-id"] == "abc-123"
    generated = api.client.get("/healthz").headers["x-request-id"]
    assert len(generated) == 32
    record = logging.LogRecord("sunshift.access", logging.INFO, __file__, 1, "request", None, None)
    record.status = 200
    token = request_id_var.set("abc-123")
    try:
        entry = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert entry["request_id"] == "abc-123" and entry["status"] == 200 and entry["level"] == "info"


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"host": "0.0.0.0"}, "not a loopback address"),
        ({"database_url": "sqlite:///x.db", "server_workers": 4}, "single writer"),
        ({"database_url": "mysql://x"}, "must be sqlite"),
        ({"database_url": "sqlite:///:memory:"}, "in-memory"),
        ({"job_heartbeat_seconds": 10, "job_stale_seconds": 5}, "must exceed"),
    ],
)
def test_unsafe_settings_are_refused(values: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        Settings(**values)


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUNSHIFT_MAX_AGENTS", "7")
    monkeypatch.setenv("SUNSHIFT_HOST", "::1")
    settings = Settings()
    assert settings.max_agents == 7 and settings.host == "::1"


def test_public_bind_needs_a_key(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/empty.db", host="0.0.0.0", allow_public_bind=True, jobs_enabled=False)
    from fastapi.testclient import TestClient

    with pytest.raises(RuntimeError, match="create-key"), TestClient(create_app(settings)):
        pass


def test_old_sqlite_is_warned_about() -> None:
    assert sqlite_version_warning((3, 40, 1)) is not None
    assert sqlite_version_warning((3, 51, 3)) is None


# --- a real server process, killed mid-solve -------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(db: Path, port: int, **env: str) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ, "SUNSHIFT_DATABASE_URL": f"sqlite:///{db}", "SUNSHIFT_PORT": str(port),
        "SUNSHIFT_JOB_POLL_SECONDS": "0.05", "SUNSHIFT_JOB_HEARTBEAT_SECONDS": "0.2",
        "SUNSHIFT_JOB_STALE_SECONDS": "1", "SUNSHIFT_MAX_SOLVER_WORKERS": "1", **env,
    }
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "sunshift"), "serve"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


def _wait_healthy(base: str, deadline: float = 30) -> None:
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        try:
            if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("server did not come up")


def _job(base: str, key: str, job_id: int) -> dict[str, Any]:
    result: dict[str, Any] = httpx2.get(f"{base}/v1/teams/acme/solves/{job_id}", headers=auth(key), timeout=5).json()
    return result


def test_server_killed_mid_solve_fails_the_job_with_a_reason(tmp_path: Path) -> None:
    """SIGKILL the server while a solve runs; the restarted server settles the job (here with
    one attempt allowed: failed, with the reason) — it is never left running."""
    db = tmp_path / "restart.db"
    created = subprocess.run(
        [str(Path(sys.executable).parent / "sunshift"), "admin", "create-key", "--team", "acme", "--json",
         "--database-url", f"sqlite:///{db}"],
        capture_output=True, check=True, text=True,
    )
    key = json.loads(created.stdout)["key"]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(db, port, SUNSHIFT_JOB_MAX_ATTEMPTS="1")
    try:
        _wait_healthy(base)
        headers = auth(key)
        httpx2.post(f"{base}/v1/teams/acme/queues", headers=headers, json=make_queue()).raise_for_status()
        httpx2.post(f"{base}/v1/teams/acme/contracts", headers=headers, json=make_contract()).raise_for_status()
        agents = [make_agent(f"a{i}") for i in range(8)]
        httpx2.post(f"{base}/v1/teams/acme/agents/bulk", headers=headers, json=agents).raise_for_status()
        forecast = httpx2.post(f"{base}/v1/teams/acme/forecasts", headers=headers, json=make_forecast(days=7, required=2)).json()
        body = make_solve(forecast["id"], params={"time_limit": 60, "deterministic_time": None, "workers": 1})
        job = httpx2.post(f"{base}/v1/teams/acme/solves", headers=headers, json=body).json()
        until = time.monotonic() + 30
        while _job(base, key, job["id"])["started_at"] is None:
            assert time.monotonic() < until, "solve never started"
            time.sleep(0.05)
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    server = _serve(db, port, SUNSHIFT_JOB_MAX_ATTEMPTS="1")
    try:
        _wait_healthy(base)
        until = time.monotonic() + 30
        state = _job(base, key, job["id"])
        while state["state"] not in {"succeeded", "failed", "cancelled"}:
            assert time.monotonic() < until, f"job stuck after restart: {state}"
            time.sleep(0.05)
            state = _job(base, key, job["id"])
        assert state["state"] == "failed", state
        assert state["error"]["code"] == "runner-lost" and "restart" in state["error"]["detail"]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
