"""Feed tokens (create, list, rotate, revoke) and serving a feed with its validators.

A feed's body changes only when the team publishes (its publication counter moves) or when a
shift leaves the window (a cancelled one at its end, a past one ``days back`` after it), so the
rendered body, ETag and Last-Modified are cached per (token, counter) until the next departure:
a conditional request that matches costs one indexed query and no rendering.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, true
from sqlalchemy.orm import Session

from api.catalog.repository import DocumentRepository
from api.db.models import AgentRow, FeedToken, PublishedShift, QueueRow, Team
from api.deps import Reads
from api.errors import InvalidInput, NotFound
from api.feeds.render import FeedEvent, render
from api.feeds.repository import FeedKey, FeedRepository, feed_key
from api.feeds.schemas import FeedCreated, FeedIn, FeedOut
from api.feeds.tokens import keyed_hash, new_feed_token, token_id_of
from api.pagination import Page, PageWindow
from api.settings import Settings

_SECRET_NAME = "feed-token-key"
_CACHE_SIZE = 4096
FEED_NOT_FOUND = "no such feed"  # the same for unknown, malformed and revoked tokens


@dataclass(frozen=True)
class RenderedFeed:
    body: bytes
    etag: str
    last_modified: datetime
    valid_until: datetime | None  # the next departure from the window: re-render after it


class _FeedCache:
    """Bounded LRU of rendered feeds keyed by (token id, publication counter)."""

    def __init__(self, size: int) -> None:
        self._items: OrderedDict[tuple[str, int], RenderedFeed] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int], now: datetime) -> RenderedFeed | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or (item.valid_until is not None and now >= item.valid_until):
                return None
            self._items.move_to_end(key)
            return item

    def put(self, key: tuple[str, int], item: RenderedFeed) -> None:
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def drop(self, token_id: str) -> None:
        with self._lock:
            for key in [k for k in self._items if k[0] == token_id]:
                del self._items[key]


_cache = _FeedCache(_CACHE_SIZE)
_keys: dict[str, bytes] = {}
_keys_lock = threading.Lock()


def _known_server_key(settings: Settings) -> bytes | None:
    """The HMAC key when it needs no database read: configured, or read once already."""
    if settings.feed_token_key is not None:
        return settings.feed_token_key.get_secret_value().encode()
    with _keys_lock:
        return _keys.get(settings.database_url)


def server_key(session: Session, settings: Settings) -> bytes:
    """The HMAC key: configured, else generated once and kept in the database."""
    cached = _known_server_key(settings)
    if cached is not None:
        return cached
    repository = FeedRepository(session)
    value = repository.secret(_SECRET_NAME)
    if value is None:  # not cached until read back committed: a rolled-back key must not stick
        value = secrets.token_urlsafe(48)
        repository.add_secret(_SECRET_NAME, value)
        return value.encode()
    with _keys_lock:
        _keys[settings.database_url] = value.encode()
    return value.encode()


def feed_url(settings: Settings, token: str) -> str:
    return f"{settings.public_url.rstrip('/')}/v1/feeds/{token}.ics"


def create(session: Session, team: Team, body: FeedIn, settings: Settings) -> FeedCreated:
    _check_target(session, team, body)
    return _issue(session, team, body.scope, body.target, body.name, settings)


def rotate(session: Session, team: Team, token_id: str, settings: Settings, now: datetime) -> FeedCreated:
    """A new token for the same feed; the old one stops working at once."""
    old = _live(session, team, token_id)
    created = _issue(session, team, old.scope, old.target, old.name, settings)
    old.revoked_at, old.replaced_by = now, created.id
    _cache.drop(old.token_id)
    return created


def revoke(session: Session, team: Team, token_id: str, now: datetime) -> FeedOut:
    row = _live(session, team, token_id)
    row.revoked_at = now
    _cache.drop(row.token_id)
    return _out(row)


def page(session: Session, team: Team, window: PageWindow) -> Page[FeedOut]:
    rows, total = FeedRepository(session).tokens_page(team.id, window.limit, window.offset)
    return Page[FeedOut].of([_out(r) for r in rows], total, window)


def serve_from(reads: Reads, token: str, settings: Settings, now: datetime) -> RenderedFeed:
    """The feed behind ``token``, served from the cache after a single one-statement read
    when it can be (a calendar re-polling an unchanged feed), else by ``serve`` in a read
    transaction. The feed route runs this in one worker-thread hop."""
    token_id = token_id_of(token)
    if token_id is None:
        raise NotFound(FEED_NOT_FOUND)
    known_key = _known_server_key(settings)
    if known_key is not None:
        with reads.single_reads() as connection:
            row = _checked(feed_key(connection, token_id), token, known_key)
        cached = _cache.get((row.token_id, row.seq), now)
        if cached is not None:
            return cached
    with reads.reading() as session:
        return serve(session, token, settings, now)


def serve(session: Session, token: str, settings: Settings, now: datetime) -> RenderedFeed:
    """The feed behind ``token``; NotFound without saying whether it ever existed."""
    token_id = token_id_of(token)
    found = feed_key(session, token_id) if token_id else None
    row = _checked(found, token, server_key(session, settings))
    key = (row.token_id, row.seq)
    cached = _cache.get(key, now)
    if cached is not None:
        return cached
    rendered = _render(session, row, settings, now)
    _cache.put(key, rendered)
    return rendered


def _checked(row: FeedKey | None, token: str, key: bytes) -> FeedKey:
    """``row`` if ``token`` is the live token it was found by, else NotFound."""
    if row is None or row.revoked or not hmac.compare_digest(keyed_hash(key, token), row.token_hash):
        raise NotFound(FEED_NOT_FOUND)
    return row


def _render(session: Session, row: FeedKey, settings: Settings, now: datetime) -> RenderedFeed:
    team = session.get_one(Team, row.team_id)
    days_back = timedelta(days=settings.feed_days_back)
    scope = _scope_filter(row)
    repository = FeedRepository(session)
    shifts = [
        s for s in repository.shifts_since(team.id, scope, now - days_back)
        if not s.cancelled or s.end > now
    ]
    shown = {s.agent for s in shifts} | ({row.target} if row.scope == "agent" else set())
    agents = DocumentRepository(session, AgentRow).named(team.id, shown)
    names = {a.key: str(a.data.get("name") or a.key) for a in agents}
    events = [_event(team.slug, s, names) for s in shifts]
    zone = _zone(row, agents, shifts)
    title = _title(team, row, names)
    body = render(title, zone, events, with_agent=row.scope != "agent")
    departed = repository.last_departure(team.id, scope, now, days_back)
    revised = max((s.revised_at for s in shifts), default=None)
    last_modified = max(
        [m for m in (departed, revised) if m is not None], default=datetime(1970, 1, 1, tzinfo=UTC)
    )
    departures = [s.end if s.cancelled else s.end + days_back for s in shifts]
    return RenderedFeed(
        body=body,
        etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"',
        last_modified=last_modified.replace(microsecond=0),
        valid_until=min(departures, default=None),
    )


def _event(team: str, shift: PublishedShift, names: dict[str, str]) -> FeedEvent:
    return FeedEvent(
        team=team, agent=shift.agent, agent_name=names.get(shift.agent, shift.agent),
        local_date=shift.local_date, ordinal=shift.ordinal, start=shift.start, end=shift.end,
        sequence=shift.sequence, revised_at=shift.revised_at, cancelled=shift.cancelled,
        content=shift.content,
    )


def _scope_filter(row: FeedKey) -> ColumnElement[bool]:
    if row.scope == "agent":
        return PublishedShift.agent == row.target
    if row.scope == "queue":
        return PublishedShift.queues.contains(f" {row.target} ")
    if row.scope == "site":
        return PublishedShift.site == row.target
    return true()


def _zone(row: FeedKey, agents: list[AgentRow], shifts: list[PublishedShift]) -> str:
    """The agent's zone for an agent feed, a site's most common zone, else UTC."""
    if row.scope == "agent":
        for agent in agents:
            if agent.key == row.target:
                return str(agent.data.get("timezone", "UTC"))
    if row.scope == "site" and shifts:
        return Counter(str(s.content.get("timezone", "UTC")) for s in shifts).most_common(1)[0][0]
    return "UTC"


def _title(team: Team, row: FeedKey, names: dict[str, str]) -> str:
    if row.scope == "agent":
        return f"{names.get(row.target, row.target)} · {team.name} shifts"
    if row.scope == "team":
        return f"{team.name} · all shifts"
    return f"{team.name} · {row.scope} {row.target}"


def _check_target(session: Session, team: Team, body: FeedIn) -> None:
    if body.scope == "team":
        if body.target:
            raise InvalidInput("a team feed has no target: leave target empty")
        return
    if not body.target:
        raise InvalidInput(f"a {body.scope} feed needs a target (the {body.scope})")
    if body.scope == "agent" and DocumentRepository(session, AgentRow).get(team.id, body.target) is None:
        raise NotFound(f"agent '{body.target}' not found")
    if body.scope == "queue" and DocumentRepository(session, QueueRow).get(team.id, body.target) is None:
        raise NotFound(f"queue '{body.target}' not found")
    if body.scope == "site":
        sites = {str(a.data.get("site", "remote")) for a in DocumentRepository(session, AgentRow).all(team.id)}
        if body.target not in sites:
            raise NotFound(f"no agent works at site '{body.target}'")


def _issue(session: Session, team: Team, scope: str, target: str, name: str, settings: Settings) -> FeedCreated:
    token_id, token, hashed = new_feed_token(server_key(session, settings))
    row = FeedToken(
        team_id=team.id, token_id=token_id, token_hash=hashed, scope=scope, target=target, name=name
    )
    session.add(row)
    session.flush()
    return FeedCreated(**_out(row).model_dump(), token=token, url=feed_url(settings, token))


def _live(session: Session, team: Team, token_id: str) -> FeedToken:
    row = FeedRepository(session).token(team.id, token_id)
    if row is None or row.revoked_at is not None:
        raise NotFound(f"feed '{token_id}' not found or already revoked")
    return row


def _out(row: FeedToken) -> FeedOut:
    return FeedOut(
        id=row.token_id, scope=row.scope, target=row.target, name=row.name, created_at=row.created_at, revoked_at=row.revoked_at,
        replaced_by=row.replaced_by,
    )
