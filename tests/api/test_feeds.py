"""Publishing (compare-and-set, audit) and agents' calendar feeds, parsed back strictly.

Rosters here are written by hand so every case is exact: shifts in the repeated hour of a
fall-back night and across a spring-forward, in Copenhagen (north) and Sydney (south).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from api.clock import get_now
from api.db.models import Team
from api.teams.repository import TeamRepository
from scheduler.roster import QueueSpan, Roster, ShiftOut, SolveStatus
from tests.api.builders import make_stored_roster
from tests.api.conftest import ApiEnv, auth

CPH, SYD = "Europe/Copenhagen", "Australia/Sydney"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(api: ApiEnv) -> Iterator[Clock]:
    moment = Clock(datetime(2026, 10, 20, 12, 0, tzinfo=UTC))
    api.client.app.dependency_overrides[get_now] = moment  # type: ignore[attr-defined]
    yield moment
    api.client.app.dependency_overrides.pop(get_now, None)  # type: ignore[attr-defined]


def shift(agent: str, zone: str, local_start: datetime, hours: float, queue: str = "en", site: str = "hq") -> ShiftOut:
    """A shift starting at an aware local time, ``hours`` of elapsed time long."""
    start = local_start.astimezone(UTC)
    end = start + timedelta(hours=hours)
    tz = ZoneInfo(zone)
    return ShiftOut(
        agent_id=agent, start=start, end=end, local_start=start.astimezone(tz), local_end=end.astimezone(tz),
        timezone=zone, site=site, local_date=local_start.date().isoformat(), paid_hours=hours,
        allocation=[QueueSpan(queue=queue, start=start, end=end)], breaks=[],
    )


def roster_of(*shifts: ShiftOut) -> dict[str, Any]:
    roster = Roster(status=SolveStatus.FEASIBLE, objective=1.0, best_bound=None, scenario="t", shifts=list(shifts))
    return roster.model_dump(mode="json")


def store(api: ApiEnv, version: int, *shifts: ShiftOut, **overrides: Any) -> None:
    with api.session.begin():
        team = TeamRepository(api.session).by_slug("acme")
        assert isinstance(team, Team)
        make_stored_roster(api.session, team, version, roster_of(*shifts), **overrides)


def add_agent(api: ApiEnv, agent: str, zone: str, site: str = "hq") -> None:
    headers = auth(api.keys.admin)
    api.client.put("/v1/teams/acme/queues/en", json={"id": "en", "language": "en", "channel": "phone"}, headers=headers)
    api.client.put("/v1/teams/acme/contracts/ft", json={"id": "ft"}, headers=headers)
    response = api.client.put(
        f"/v1/teams/acme/agents/{agent}",
        json={"id": agent, "name": agent.title(), "timezone": zone, "site": site, "contract": "ft", "skills": ["en"]},
        headers=headers,
    )
    assert response.status_code in (200, 201), response.text


def publish(api: ApiEnv, version: int) -> dict[str, Any]:
    etag = api.client.get("/v1/teams/acme/published", headers=auth(api.keys.viewer)).headers["ETag"]
    response = api.client.post(
        f"/v1/teams/acme/rosters/{version}/publish", headers={**auth(api.keys.scheduler), "If-Match": etag}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def new_feed(api: ApiEnv, scope: str = "agent", target: str = "ana") -> dict[str, Any]:
    response = api.client.post(
        "/v1/teams/acme/feeds", json={"scope": scope, "target": target}, headers=auth(api.keys.scheduler)
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def fetch(api: ApiEnv, url: str, **headers: str) -> Any:
    return api.client.get(url.removeprefix("http://127.0.0.1:8000"), headers=headers)


def events(body: bytes) -> dict[str, Any]:
    """UID → event, from a strict parse (icalendar raises on malformed content lines)."""
    calendar = Calendar.from_ical(body)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def ana(api: ApiEnv, clock: Clock) -> str:
    add_agent(api, "ana", CPH)
    return "ana"


def test_publish_needs_the_current_etag_and_writes_an_audit_row(api: ApiEnv, ana: str) -> None:
    store(api, 1, shift(ana, CPH, datetime(2026, 10, 21, 8, tzinfo=ZoneInfo(CPH)), 8))
    store(api, 2, shift(ana, CPH, datetime(2026, 10, 21, 9, tzinfo=ZoneInfo(CPH)), 8))
    url = "/v1/teams/acme/rosters/1/publish"

    missing = api.client.post(url, headers=auth(api.keys.scheduler))
    assert missing.status_code == 428 and missing.headers["content-type"] == "application/problem+json"
    first = publish(api, 1)
    assert first["published"]["version"] == 1 and first["audit"]["added"] == 1
    stale = api.client.post(url.replace("/1/", "/2/"), headers={**auth(api.keys.scheduler), "If-Match": '"pub-0"'})
    assert stale.status_code == 412
    planner = api.client.post(url, headers={**auth(api.keys.planner), "If-Match": first["published"]["etag"]})
    assert planner.status_code == 403

    second = publish(api, 2)

    assert second["audit"] | {"published_at": None} == {
        "key_id": second["audit"]["key_id"], "published_at": None, "from_version": 1, "to_version": 2,
        "added": 0, "removed": 0, "moved": 1, "unchanged": 0,
    }
    trail = api.client.get("/v1/teams/acme/audit", headers=auth(api.keys.viewer)).json()
    assert [(a["from_version"], a["to_version"]) for a in trail["items"]] == [(1, 2), (None, 1)]


def test_what_if_rosters_are_never_published(api: ApiEnv, ana: str) -> None:
    store(api, 1, shift(ana, CPH, datetime(2026, 10, 21, 8, tzinfo=ZoneInfo(CPH)), 8), what_if=True)
    response = api.client.post(
        "/v1/teams/acme/rosters/1/publish", headers={**auth(api.keys.scheduler), "If-Match": '"pub-0"'}
    )
    assert response.status_code == 409 and "what-if" in response.json()["detail"]


def test_agent_feed_is_a_valid_calendar_of_the_published_shifts(api: ApiEnv, ana: str) -> None:
    add_agent(api, "bo", CPH)
    mine = shift(ana, CPH, datetime(2026, 10, 21, 8, tzinfo=ZoneInfo(CPH)), 8)
    store(api, 1, mine, shift("bo", CPH, datetime(2026, 10, 21, 8, tzinfo=ZoneInfo(CPH)), 8))
    feed = new_feed(api)
    assert feed["token"].startswith("ssf_") and len(feed["token"]) > 60
    assert fetch(api, feed["url"]).status_code == 200  # nothing published yet: an empty calendar
    publish(api, 1)

    response = fetch(api, feed["url"])

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text and "X-PUBLISHED-TTL:PT1H\r\n" in text
    assert "X-WR-TIMEZONE:Europe/Copenhagen\r\n" in text and "METHOD" not in text
    [event] = events(response.content).values()
    assert event.decoded("DTSTART") == mine.start and event.decoded("DTEND") == mine.end
    assert "DTSTART:20261021T060000Z" in text  # UTC, never a TZID form
    assert str(event["STATUS"]) == "CONFIRMED" and int(event["SEQUENCE"]) == 0
    assert "08:00 – 16:00 (Europe/Copenhagen" in str(event["DESCRIPTION"])
    assert response.content == fetch(api, feed["url"]).content  # deterministic to the byte


def test_republish_bumps_moved_shifts_and_cancels_removed_ones_until_they_end(api: ApiEnv, ana: str, clock: Clock) -> None:
    cph = ZoneInfo(CPH)
    kept = shift(ana, CPH, datetime(2026, 10, 21, 8, tzinfo=cph), 8)
    moved = shift(ana, CPH, datetime(2026, 10, 22, 8, tzinfo=cph), 8)
    dropped = shift(ana, CPH, datetime(2026, 10, 23, 8, tzinfo=cph), 8)
    store(api, 1, kept, moved, dropped)
    store(api, 2, kept, shift(ana, CPH, datetime(2026, 10, 22, 10, tzinfo=cph), 8),
          shift(ana, CPH, datetime(2026, 10, 24, 8, tzinfo=cph), 8))
    feed = new_feed(api)
    publish(api, 1)
    before = events(fetch(api, feed["url"]).content)
    clock.now += timedelta(hours=1)

    audit = publish(api, 2)["audit"]
    after = events(fetch(api, feed["url"]).content)

    assert (audit["added"], audit["removed"], audit["moved"], audit["unchanged"]) == (1, 1, 1, 1)
    assert set(before) <= set(after) and len(after) == 4  # stable UIDs; one new shift
    by_start = {e.decoded("DTSTART"): e for e in after.values()}
    assert int(by_start[kept.start]["SEQUENCE"]) == 0
    assert by_start[kept.start].decoded("LAST-MODIFIED") < clock.now
    bumped = by_start[moved.start + timedelta(hours=2)]
    assert int(bumped["SEQUENCE"]) == 1 and bumped.decoded("DTSTAMP") == clock.now
    cancelled = by_start[dropped.start]
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 1

    clock.now = dropped.end + timedelta(minutes=1)  # a cancelled shift leaves once it has ended
    later = events(fetch(api, feed["url"]).content)
    assert dropped.start not in {e.decoded("DTSTART") for e in later.values()}


@pytest.mark.parametrize(
    ("zone", "local_start", "hours", "utc_start"),
    [
        # the repeated hour of a fall-back night: 02:30 the second time is 01:30 UTC
        (CPH, datetime(2026, 10, 25, 2, 30, fold=1), 8, datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
        (CPH, datetime(2026, 10, 25, 2, 30, fold=0), 8, datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        # across spring-forward in Copenhagen (29 March) and in Sydney (4 October)
        (CPH, datetime(2026, 3, 29, 0, 0), 8, datetime(2026, 3, 28, 23, 0, tzinfo=UTC)),
        (SYD, datetime(2026, 10, 4, 0, 0), 8, datetime(2026, 10, 3, 14, 0, tzinfo=UTC)),
        # Sydney's fall-back night (5 April): 02:30 happens twice
        (SYD, datetime(2026, 4, 5, 2, 30, fold=1), 8, datetime(2026, 4, 4, 16, 30, tzinfo=UTC)),
    ],
)
def test_dst_nights_keep_exact_instants_and_elapsed_hours(
    api: ApiEnv, clock: Clock, zone: str, local_start: datetime, hours: float, utc_start: datetime
) -> None:
    add_agent(api, "ana", zone)
    clock.now = utc_start - timedelta(days=3)
    on_shift = shift("ana", zone, local_start.replace(tzinfo=ZoneInfo(zone)), hours)
    assert on_shift.start == utc_start
    store(api, 1, on_shift)
    feed = new_feed(api)
    publish(api, 1)

    [event] = events(fetch(api, feed["url"]).content).values()

    assert event.decoded("DTSTART") == utc_start
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=hours)
    local = on_shift.local_start
    assert f"{local:%H:%M} – " in str(event["DESCRIPTION"]) and f"UTC{local:%z}" in str(event["DESCRIPTION"])


def test_conditional_requests_get_304_until_the_feed_changes(api: ApiEnv, ana: str, clock: Clock) -> None:
    store(api, 1, shift(ana, CPH, datetime(2026, 10, 21, 8, tzinfo=ZoneInfo(CPH)), 8))
    store(api, 2, shift(ana, CPH, datetime(2026, 10, 21, 9, tzinfo=ZoneInfo(CPH)), 8))
    feed = new_feed(api)
    publish(api, 1)
    first = fetch(api, feed["url"])
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    assert fetch(api, feed["url"], **{"If-None-Match": etag}).status_code == 304
    assert fetch(api, feed["url"], **{"If-Modified-Since": modified}).status_code == 304
    assert fetch(api, feed["url"], **{"If-None-Match": '"other"', "If-Modified-Since": modified}).status_code == 200
    clock.now += timedelta(hours=2)
    publish(api, 2)
    changed = fetch(api, feed["url"], **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert parsedate_to_datetime(changed.headers["Last-Modified"]) > parsedate_to_datetime(modified)
    assert fetch(api, feed["url"], **{"If-Modified-Since": format_datetime(clock.now, usegmt=True)}).status_code == 304


def test_last_modified_advances_when_a_shift_leaves_the_window(api: ApiEnv, ana: str, clock: Clock) -> None:
    old = shift(ana, CPH, datetime(2026, 10, 19, 8, tzinfo=ZoneInfo(CPH)), 8)
    store(api, 1, old, shift(ana, CPH, datetime(2026, 11, 19, 8, tzinfo=ZoneInfo(CPH)), 8))
    feed = new_feed(api)
    publish(api, 1)
    before = fetch(api, feed["url"])
    clock.now = old.end + timedelta(days=14, minutes=1)  # the default window: 14 days back

    after = fetch(api, feed["url"])

    assert len(events(before.content)) == 2 and len(events(after.content)) == 1
    assert parsedate_to_datetime(after.headers["Last-Modified"]) > parsedate_to_datetime(before.headers["Last-Modified"])


def test_rotated_and_revoked_tokens_are_404_like_tokens_that_never_existed(api: ApiEnv, ana: str) -> None:
    feed = new_feed(api)
    rotated = api.client.post(f"/v1/teams/acme/feeds/{feed['id']}/rotate", headers=auth(api.keys.scheduler))
    assert rotated.status_code == 201
    new = rotated.json()

    gone = fetch(api, feed["url"])
    never = fetch(api, "/v1/feeds/ssf_0123456789abcdef_" + "x" * 43 + ".ics")
    garbage = fetch(api, "/v1/feeds/nonsense.ics")

    assert gone.status_code == never.status_code == garbage.status_code == 404
    assert gone.json()["detail"] == never.json()["detail"] == garbage.json()["detail"]
    assert fetch(api, new["url"]).status_code == 200
    assert api.client.delete(f"/v1/teams/acme/feeds/{new['id']}", headers=auth(api.keys.scheduler)).status_code == 200
    assert fetch(api, new["url"]).status_code == 404
    listed = api.client.get("/v1/teams/acme/feeds", headers=auth(api.keys.scheduler)).json()["items"]
    assert [(f["id"], f["replaced_by"], f["revoked_at"] is not None) for f in listed] == [
        (feed["id"], new["id"], True), (new["id"], None, True),
    ]
    assert all("token" not in f for f in listed)


def test_queue_site_and_team_feeds_show_whose_shift_it_is(api: ApiEnv, ana: str) -> None:
    add_agent(api, "bo", SYD, site="syd")
    store(api, 1, shift(ana, CPH, datetime(2026, 10, 21, 8, tzinfo=ZoneInfo(CPH)), 8),
          shift("bo", SYD, datetime(2026, 10, 21, 8, tzinfo=ZoneInfo(SYD)), 8, site="syd"))
    publish(api, 1)

    team = events(fetch(api, new_feed(api, "team", "")["url"]).content)
    site = fetch(api, new_feed(api, "site", "syd")["url"]).content
    queue = events(fetch(api, new_feed(api, "queue", "en")["url"]).content)

    assert len(team) == len(queue) == 2 and len(events(site)) == 1
    assert sorted(str(e["SUMMARY"]).split(" · ")[0] for e in team.values()) == ["Ana", "Bo"]
    assert b"X-WR-TIMEZONE:Australia/Sydney" in site
    unknown = api.client.post("/v1/teams/acme/feeds", json={"scope": "agent", "target": "zed"}, headers=auth(api.keys.scheduler))
    assert unknown.status_code == 404 and "zed" in unknown.json()["detail"]


def test_feed_tokens_are_redacted_in_the_access_log(api: ApiEnv, ana: str, caplog: pytest.LogCaptureFixture) -> None:
    feed = new_feed(api)
    secret = feed["token"].split("_", 2)[2]
    with caplog.at_level("INFO", logger="sunshift.access"):
        fetch(api, feed["url"])
    paths = [str(getattr(r, "path", "")) for r in caplog.records if r.name == "sunshift.access"]
    assert paths and all(secret not in p for p in paths) and any("redacted" in p for p in paths)
