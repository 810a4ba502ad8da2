"""What-if comparisons as jobs: overlays in, the CLI's comparison out, rosters never publishable."""

from __future__ import annotations

import time
from typing import Any

from tests.api.builders import make_solve
from tests.api.conftest import ApiEnv, LiveApps, auth
from tests.api.test_solves import TERMINAL, seed

GROWTH = {"name": "growth", "demand": [{"queue": "en", "scale": 1.5}]}
HIRING = {
    "name": "hiring",
    "hires": [{"site": "Lisbon", "timezone": "Europe/Lisbon", "skills": ["en"], "contract": "ft",
               "cost_per_hour": 15, "up_to": 2}],
    "goal": {"queues": ["en"], "coverage": 0.9},
}


def _body(forecast: int, variants: list[dict[str, Any]]) -> dict[str, Any]:
    return {**make_solve(forecast), "variants": variants}


def test_planner_gets_the_comparison_and_what_if_rosters_cannot_be_published(live: LiveApps) -> None:
    env = live.start()
    forecast = seed(env, agents=2, days=1)
    response = env.client.post(
        "/v1/teams/acme/whatif", headers=auth(env.keys.planner),
        json=_body(forecast, [{"overlays": [GROWTH]}, {"overlays": [HIRING]}]),
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["kind"] == "whatif" and job["what_if"] and response.headers["location"].endswith(f"/whatif/{job['id']}")
    until = time.monotonic() + 120
    while True:
        done = env.client.get(f"/v1/teams/acme/whatif/{job['id']}", headers=auth(env.keys.viewer)).json()
        if done["state"] in TERMINAL:
            break
        assert time.monotonic() < until, done
        time.sleep(0.1)
    assert done["state"] == "succeeded", done
    result = done["result"]
    names = [v["name"] for v in result["comparison"]["variants"]]
    assert names == ["base", "growth", "hiring"]
    assert set(result["comparison"]["deltas"]) == {"growth", "hiring"}
    base, growth = result["comparison"]["variants"][:2]
    assert growth["queues"][0]["required_hours"] == 1.5 * base["queues"][0]["required_hours"]
    assert [h["variant"] for h in result["hiring"]] == ["hiring"]
    versions = result["roster_versions"]
    assert set(versions) == {"base", "growth", "hiring"}
    current = env.client.get("/v1/teams/acme/published", headers=auth(env.keys.viewer))
    publish = env.client.post(
        f"/v1/teams/acme/rosters/{versions['growth']}/publish",
        headers={**auth(env.keys.scheduler), "If-Match": current.headers.get("etag", '"pub-0"')},
    )
    assert publish.status_code == 409 and "what-if" in publish.text


def test_bad_overlays_are_422_naming_variant_and_entry(api: ApiEnv) -> None:
    from tests.api.builders import make_agent, make_contract, make_forecast, make_queue

    headers = auth(api.keys.scheduler)
    api.client.post("/v1/teams/acme/queues", headers=headers, json=make_queue()).raise_for_status()
    api.client.post("/v1/teams/acme/contracts", headers=headers, json=make_contract()).raise_for_status()
    api.client.post("/v1/teams/acme/agents/bulk", headers=headers, json=[make_agent()]).raise_for_status()
    forecast = api.client.post("/v1/teams/acme/forecasts", headers=headers, json=make_forecast()).json()["id"]
    before = api.snapshot()
    response = api.client.post(
        "/v1/teams/acme/whatif", headers=auth(api.keys.planner),
        json=_body(forecast, [{"overlays": [GROWTH]}, {"overlays": [{"agents": {"remove": [{"site": "Atlantis"}]}}]}]),
    )
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert errors[0]["loc"] == "body.variants[1].overlays[0].agents.remove[0].site"
    assert "Atlantis" in errors[0]["message"]
    assert api.snapshot() == before
    viewer = api.client.post("/v1/teams/acme/whatif", headers=auth(api.keys.viewer), json=_body(forecast, [{"overlays": [GROWTH]}]))
    assert viewer.status_code == 403
