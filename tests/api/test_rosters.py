"""Roster versions: JSON, CSV, coverage, diff."""

from __future__ import annotations

import csv
import io

from tests.api.conftest import ApiEnv, World, auth


def test_roster_json_and_list(api: ApiEnv, world: World) -> None:
    headers = auth(api.keys.viewer)
    listed = api.client.get("/v1/teams/acme/rosters", headers=headers).json()
    assert [r["version"] for r in listed["items"]] == [2, 1]
    roster = api.client.get("/v1/teams/acme/rosters/1", headers=headers).json()
    assert roster["status"] == "OPTIMAL" and len(roster["roster"]["shifts"]) == 2


def test_roster_csv(api: ApiEnv, world: World) -> None:
    response = api.client.get("/v1/teams/acme/rosters/1/shifts.csv", headers=auth(api.keys.viewer))
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["agent_id"] for r in rows} == {"a1", "a2"}
    assert rows[0]["start"].endswith("Z")


def test_coverage_per_queue_and_interval(api: ApiEnv, world: World) -> None:
    response = api.client.get(
        "/v1/teams/acme/rosters/1/coverage?queue=en&start=2026-03-23T06:00:00Z&end=2026-03-23T10:00:00Z",
        headers=auth(api.keys.viewer),
    )
    queue = response.json()["queues"][0]
    assert [c["interval_start"] for c in queue["intervals"]] == [
        f"2026-03-23T{h:02d}:00:00Z" for h in range(6, 10)
    ]
    assert queue["required_agent_hours"] == 4.0
    assert all(c["gap"] == round(c["scheduled"] - c["required"], 6) for c in queue["intervals"])
    missing = api.client.get("/v1/teams/acme/rosters/1/coverage?queue=zz", headers=auth(api.keys.viewer))
    assert missing.status_code == 404


def test_diff_between_versions(api: ApiEnv, world: World) -> None:
    diff = api.client.get("/v1/teams/acme/rosters/2/diff/1", headers=auth(api.keys.viewer)).json()
    assert (len(diff["added"]), len(diff["removed"]), len(diff["moved"])) == (0, 1, 1)
    back = api.client.get("/v1/teams/acme/rosters/1/diff/2", headers=auth(api.keys.viewer)).json()
    assert (len(back["added"]), len(back["removed"]), len(back["moved"])) == (1, 0, 1)
    assert api.client.get("/v1/teams/acme/rosters/1/diff/9", headers=auth(api.keys.viewer)).status_code == 404


def test_rosters_are_immutable(api: ApiEnv, world: World) -> None:
    for method in ("PUT", "PATCH", "DELETE"):
        response = api.client.request(method, "/v1/teams/acme/rosters/1", headers=auth(api.keys.admin))
        assert response.status_code == 405
        assert response.headers["content-type"] == "application/problem+json"
