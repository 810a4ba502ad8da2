"""Every route: 401 without a valid key, 403 below its role, 404 for another team's objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from api.auth.keys import Role
from tests.api.builders import make_agent, make_contract, make_forecast, make_queue, make_solve
from tests.api.conftest import ApiEnv, World, auth


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # {team}, {forecast}, {solve}, {v1}, {v2}, {key} are filled in per test
    role: Role
    json: Any = None
    files: bool = False
    isolated_item: bool = False  # addresses one object: another team's id must be a 404

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"


AGENTS_CSV = b"id,timezone,contract,skills\na9,Europe/Paris,ft,en\n"
FORECAST_CSV = "queue,interval_start,required\n" + "".join(
    f"en,2026-03-23T{h:02d}:00:00Z,1\n" for h in range(24)
)

ROUTES = [
    Route("GET", "/v1/teams/{team}", Role.viewer),
    Route("PATCH", "/v1/teams/{team}", Role.admin, {"name": "Acme Support"}),
    Route("GET", "/v1/teams/{team}/keys", Role.admin),
    Route("POST", "/v1/teams/{team}/keys", Role.admin, {"role": "viewer"}),
    Route("DELETE", "/v1/teams/{team}/keys/{key}", Role.admin, isolated_item=True),
    Route("GET", "/v1/teams/{team}/queues", Role.viewer),
    Route("POST", "/v1/teams/{team}/queues", Role.scheduler, make_queue(id="fr", language="fr")),
    Route("GET", "/v1/teams/{team}/queues/en", Role.viewer),
    Route("PUT", "/v1/teams/{team}/queues/en", Role.scheduler, make_queue()),
    Route("DELETE", "/v1/teams/{team}/queues/en", Role.scheduler),
    Route("GET", "/v1/teams/{team}/contracts", Role.viewer),
    Route("POST", "/v1/teams/{team}/contracts", Role.scheduler, make_contract(id="pt")),
    Route("GET", "/v1/teams/{team}/contracts/ft", Role.viewer),
    Route("PUT", "/v1/teams/{team}/contracts/ft", Role.scheduler, make_contract()),
    Route("DELETE", "/v1/teams/{team}/contracts/ft", Role.scheduler),
    Route("GET", "/v1/teams/{team}/agents", Role.viewer),
    Route("POST", "/v1/teams/{team}/agents", Role.scheduler, make_agent("a7")),
    Route("GET", "/v1/teams/{team}/agents/a1", Role.viewer, isolated_item=True),
    Route("PUT", "/v1/teams/{team}/agents/a1", Role.scheduler, make_agent("a1")),
    Route("DELETE", "/v1/teams/{team}/agents/a1", Role.scheduler, isolated_item=True),
    Route("POST", "/v1/teams/{team}/agents/bulk", Role.scheduler, [make_agent("a8")]),
    Route("POST", "/v1/teams/{team}/agents/csv", Role.scheduler, files=True),
    Route("GET", "/v1/teams/{team}/forecasts", Role.viewer),
    Route("POST", "/v1/teams/{team}/forecasts", Role.scheduler, make_forecast()),
    Route("POST", "/v1/teams/{team}/forecasts/csv", Role.scheduler, files=True),
    Route("GET", "/v1/teams/{team}/forecasts/{forecast}", Role.viewer, isolated_item=True),
    Route("DELETE", "/v1/teams/{team}/forecasts/{forecast}", Role.scheduler, isolated_item=True),
    Route("POST", "/v1/teams/{team}/solves", Role.planner, "solve"),
    Route("GET", "/v1/teams/{team}/solves", Role.viewer),
    Route("GET", "/v1/teams/{team}/solves/{solve}", Role.viewer, isolated_item=True),
    # the stored solve is not a what-if: planners may cancel only what-ifs
    Route("DELETE", "/v1/teams/{team}/solves/{solve}", Role.scheduler, isolated_item=True),
    Route("GET", "/v1/teams/{team}/rosters", Role.viewer),
    Route("GET", "/v1/teams/{team}/rosters/{v1}", Role.viewer, isolated_item=True),
    Route("GET", "/v1/teams/{team}/rosters/{v1}/shifts.csv", Role.viewer, isolated_item=True),
    Route("GET", "/v1/teams/{team}/rosters/{v1}/coverage", Role.viewer, isolated_item=True),
    Route("GET", "/v1/teams/{team}/rosters/{v2}/diff/{v1}", Role.viewer, isolated_item=True),
]


def call(api: ApiEnv, world: World, route: Route, team: str, key: str | None) -> Any:
    path = route.path.format(
        team=team, forecast=world.forecast_id, solve=world.solve_id, v1=world.versions[0],
        v2=world.versions[1], key=world.admin_key_id,
    )
    headers = auth(key) if key else {}
    body = route.json
    if body == "solve":
        body = make_solve(world.forecast_id, what_if=True)
    if route.files:
        if "agents" in path:
            files = {"file": ("agents.csv", AGENTS_CSV, "text/csv")}
            return api.client.post(path, headers=headers, files=files)
        data = {"name": "csv", "start": "2026-03-23", "days": "1", "interval_minutes": "60"}
        files = {"file": ("f.csv", FORECAST_CSV.encode(), "text/csv")}
        return api.client.post(path, headers=headers, files=files, data=data)
    return api.client.request(route.method, path, headers=headers, json=body)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_route_access(api: ApiEnv, world: World, route: Route) -> None:
    """404 for another team (on our path, and on its own path with our ids), 401 without a
    valid key, 403 below the route's role; refused requests store nothing."""
    before = api.snapshot()
    response = call(api, world, route, "acme", api.keys.other_admin)
    assert response.status_code == 404, response.text
    assert api.snapshot() == before
    if route.isolated_item:  # queue "en" etc. are per-team ids, so only opaque ids apply
        own = call(api, world, route, "globex", api.keys.other_admin)
        assert own.status_code == 404, own.text
        assert api.snapshot() == before

    response = call(api, world, route, "acme", None)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    assert call(api, world, route, "acme", "ssk_000000000000_forged").status_code == 401
    assert api.snapshot() == before

    for role in sorted(Role, key=lambda r: r.rank):
        response = call(api, world, route, "acme", api.keys.of(role))
        if role.allows(route.role):
            # allowed: whatever the outcome (an earlier role may have deleted it), never 401/403
            assert response.status_code not in (401, 403), (role, response.text)
            assert response.status_code < 500, (role, response.text)
        else:
            assert response.status_code == 403, (role, response.text)
            assert response.json()["type"] == "urn:sunshift:problem:forbidden"
            assert api.snapshot() == before


def test_lists_show_only_the_callers_team(api: ApiEnv, world: World) -> None:
    headers = auth(api.keys.other_admin)
    forecasts = api.client.get("/v1/teams/globex/forecasts", headers=headers).json()
    assert [f["id"] for f in forecasts["items"]] == [world.other_forecast_id]
    assert api.client.get("/v1/teams/globex/agents", headers=headers).json()["total"] == 0
    assert api.client.get("/v1/teams/globex/rosters", headers=headers).json()["total"] == 0
    assert api.client.get("/v1/teams/globex/solves", headers=headers).json()["total"] == 0
    teams = api.client.get("/v1/teams", headers=headers).json()
    assert [t["slug"] for t in teams["items"]] == ["globex"]


def test_planner_may_only_run_what_ifs(api: ApiEnv, world: World) -> None:
    body = make_solve(world.forecast_id, what_if=False)
    response = api.client.post("/v1/teams/acme/solves", headers=auth(api.keys.planner), json=body)
    assert response.status_code == 403
    assert "what-if" in response.json()["detail"]


def test_revoked_key_is_refused(api: ApiEnv, world: World) -> None:
    created = api.client.post(
        "/v1/teams/acme/keys", headers=auth(api.keys.admin), json={"role": "viewer", "name": "bot"}
    ).json()
    assert created["key"].startswith("ssk_")
    assert api.client.get("/v1/teams/acme", headers=auth(created["key"])).status_code == 200
    revoked = api.client.delete(f"/v1/teams/acme/keys/{created['key_id']}", headers=auth(api.keys.admin))
    assert revoked.json()["revoked_at"] is not None
    assert api.client.get("/v1/teams/acme", headers=auth(created["key"])).status_code == 401


def test_keys_are_stored_hashed(api: ApiEnv, world: World) -> None:
    rows = api.snapshot()["api_keys"]
    assert rows and not any(api.keys.admin in value for row in rows for value in row)
