"""Bad input gets a specific 4xx problem, and a rejected request changes nothing stored."""

from __future__ import annotations

from typing import Any

from tests.api.builders import make_agent, make_forecast, make_queue, make_solve
from tests.api.conftest import ApiEnv, World, auth


def problem_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["request_id"] == response.headers["x-request-id"]
    assert "Traceback" not in response.text
    return body


def test_malformed_agent_csv_names_line_and_column(api: ApiEnv, world: World) -> None:
    before = api.snapshot()
    content = b"id,timezone,contract,skills\nb1,Europe/Paris,ft,en\nb2,Mars/Olympus,ft,en\nb3,Asia/Tokyo,nope,xx\n"
    response = api.client.post(
        "/v1/teams/acme/agents/csv", headers=auth(api.keys.scheduler),
        files={"file": ("agents.csv", content, "text/csv")},
    )
    errors = problem_of(response, 422)["errors"]
    locs = {(e["loc"], e["item"]) for e in errors}
    assert ("line 3, column timezone", "b2") in locs
    assert ("line 4, column contract", "b3") in locs
    assert ("line 4, column skills", "b3") in locs
    assert api.snapshot() == before  # b1 was valid, but nothing is stored


def test_agent_csv_with_unknown_column_is_refused(api: ApiEnv, world: World) -> None:
    before = api.snapshot()
    response = api.client.post(
        "/v1/teams/acme/agents/csv", headers=auth(api.keys.scheduler),
        files={"file": ("a.csv", b"id,timezone,contract,shoe_size\nb1,UTC,ft,44\n", "text/csv")},
    )
    assert problem_of(response, 422)["errors"][0]["message"] == "unknown column 'shoe_size'"
    assert api.snapshot() == before


def test_agent_csv_upserts(api: ApiEnv, world: World) -> None:
    content = b"id,timezone,contract,skills,name\na1,Asia/Tokyo,ft,en,Aiko\nb1,Europe/Paris,ft,en,Bea\n"
    response = api.client.post(
        "/v1/teams/acme/agents/csv", headers=auth(api.keys.scheduler),
        files={"file": ("agents.csv", content, "text/csv")},
    )
    assert response.json() == {"created": 1, "updated": 1}
    agent = api.client.get("/v1/teams/acme/agents/a1", headers=auth(api.keys.viewer)).json()
    assert agent["timezone"] == "Asia/Tokyo" and agent["name"] == "Aiko"


def test_unknown_fields_are_refused_with_their_path(api: ApiEnv, world: World) -> None:
    before = api.snapshot()
    response = api.client.post(
        "/v1/teams/acme/agents/bulk", headers=auth(api.keys.scheduler),
        json=[make_agent("b1"), make_agent("b2", favourite_colour="teal")],
    )
    errors = problem_of(response, 422)["errors"]
    assert errors[0]["loc"] == "body[1].favourite_colour"
    assert api.snapshot() == before


def test_unknown_references_are_refused(api: ApiEnv, world: World) -> None:
    before = api.snapshot()
    response = api.client.post(
        "/v1/teams/acme/agents/bulk", headers=auth(api.keys.scheduler),
        json=[make_agent("b1"), make_agent("b2", skills=["klingon"])],
    )
    error = problem_of(response, 422)["errors"][0]
    assert error == {"loc": "body[1].skills", "message": "queue 'klingon' is not defined for this team", "item": "b2"}
    response = api.client.post(
        "/v1/teams/acme/solves", headers=auth(api.keys.scheduler),
        json=make_solve(world.forecast_id, exclude_agents=["a1", "ghost"]),
    )
    assert problem_of(response, 422)["errors"][0]["item"] == "ghost"
    assert api.snapshot() == before


def test_forecast_rows_outside_the_horizon_are_refused(api: ApiEnv, world: World) -> None:
    before = api.snapshot()
    forecast = make_forecast()
    forecast["rows"][5]["interval_start"] = "2026-04-30T00:00:00Z"
    forecast["rows"][6]["queue"] = "de"
    response = api.client.post("/v1/teams/acme/forecasts", headers=auth(api.keys.scheduler), json=forecast)
    errors = {e["loc"]: e["message"] for e in problem_of(response, 422)["errors"]}
    assert "outside the horizon" in errors["body.rows[5].interval_start"]
    assert errors["body.rows[6].queue"] == "queue 'de' is not defined for this team"
    assert api.snapshot() == before


def test_malformed_forecast_csv_names_line_and_column(api: ApiEnv, world: World) -> None:
    before = api.snapshot()
    content = b"queue,interval_start,volume,aht_seconds\nen,2026-03-23T00:00:00Z,10,abc\nen,yesterday,10,300\n"
    response = api.client.post(
        "/v1/teams/acme/forecasts/csv", headers=auth(api.keys.scheduler),
        files={"file": ("f.csv", content, "text/csv")},
        data={"name": "x", "start": "2026-03-23", "days": "1", "interval_minutes": "60"},
    )
    locs = {e["loc"] for e in problem_of(response, 422)["errors"]}
    assert {"line 2, column aht_seconds", "line 3, column interval_start"} <= locs
    assert api.snapshot() == before


def test_forecast_returns_erlang_c_staffing(api: ApiEnv, world: World) -> None:
    forecast = make_forecast()
    for row in forecast["rows"]:
        row.pop("required")
        row.update(volume=100, aht_seconds=180)
    response = api.client.post("/v1/teams/acme/forecasts", headers=auth(api.keys.scheduler), json=forecast)
    assert response.status_code == 201, response.text
    body = response.json()
    # 100 calls × 180 s in an hour = 5 Erlangs; 80 % in 20 s with occupancy ≤ 85 % needs 8 agents
    assert body["staffing"][0]["required"] == 8
    assert body["queues"][0] == {"queue": "en", "mode": "forecast", "peak_required": 8.0, "required_agent_hours": 192.0}


def test_oversized_body_is_413(api: ApiEnv, world: World) -> None:
    before = api.snapshot()
    huge = [make_agent(f"x{i}", name="n" * 200) for i in range(2000)]
    response = api.client.post("/v1/teams/acme/agents/bulk", headers=auth(api.keys.scheduler), json=huge)
    assert problem_of(response, 413)["limit"] == "max_body_bytes"
    assert api.snapshot() == before


def test_limits_are_named(api: ApiEnv, world: World) -> None:
    response = api.client.post(
        "/v1/teams/acme/forecasts", headers=auth(api.keys.scheduler), json=make_forecast(days=40)
    )
    assert problem_of(response, 422)["limit"] == "max_horizon_days"
    response = api.client.post(
        "/v1/teams/acme/solves", headers=auth(api.keys.scheduler),
        json=make_solve(world.forecast_id, params={"time_limit": 3600}),
    )
    body = problem_of(response, 422)
    assert (body["limit"], body["allowed"], body["requested"]) == ("max_time_limit_seconds", 60, 3600)
    response = api.client.post(
        "/v1/teams/acme/solves", headers=auth(api.keys.scheduler),
        json=make_solve(world.forecast_id, params={"workers": 8}),
    )
    assert problem_of(response, 422)["limit"] == "max_solver_workers"


def test_validation_errors_carry_field_paths(api: ApiEnv, world: World) -> None:
    response = api.client.post(
        "/v1/teams/acme/queues", headers=auth(api.keys.scheduler), json=make_queue(channel="fax")
    )
    assert problem_of(response, 422)["errors"][0]["loc"] == "body.channel"


def test_deleting_what_is_in_use_is_a_conflict(api: ApiEnv, world: World) -> None:
    before = api.snapshot()
    response = api.client.delete("/v1/teams/acme/contracts/ft", headers=auth(api.keys.scheduler))
    assert "a1, a2" in problem_of(response, 409)["detail"]
    assert api.snapshot() == before


def test_lists_paginate(api: ApiEnv, world: World) -> None:
    headers = auth(api.keys.viewer)
    first = api.client.get("/v1/teams/acme/agents?limit=1", headers=headers).json()
    assert (len(first["items"]), first["total"], first["next_offset"]) == (1, 2, 1)
    second = api.client.get("/v1/teams/acme/agents?limit=1&offset=1", headers=headers).json()
    assert second["next_offset"] is None and second["items"][0]["id"] == "a2"
    problem_of(api.client.get("/v1/teams/acme/agents?limit=100000", headers=headers), 422)
