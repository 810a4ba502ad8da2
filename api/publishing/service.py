"""Publish a roster version: compare-and-set on the team's publication, revise the published
shifts and write the audit row, all in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.db.models import PublishAudit, PublishedShift, Team
from api.errors import Conflict, NotFound, PreconditionFailed, PreconditionRequired
from api.pagination import Page, PageWindow
from api.publishing.repository import PublishRepository
from api.publishing.revisions import ShiftRevision, revisions_of
from api.publishing.schemas import AuditEntry, PublishedState
from api.rosters.repository import RosterRepository
from scheduler.roster import Roster, SolveStatus

PUBLISHABLE = {SolveStatus.OPTIMAL.value, SolveStatus.FEASIBLE.value}


def etag_of(seq: int) -> str:
    """The published state's ETag: ``"pub-0"`` before the first publish.

    >>> etag_of(3)
    '"pub-3"'
    """
    return f'"pub-{seq}"'


def state(session: Session, team: Team) -> PublishedState:
    publication = PublishRepository(session).publication(team.id)
    if publication is None:
        return PublishedState(version=None, published_at=None, etag=etag_of(0))
    return PublishedState(
        version=publication.version,
        published_at=publication.published_at,
        etag=etag_of(publication.seq),
    )


def publish(
    session: Session, team: Team, version: int, if_match: str | None, key_id: str, now: datetime
) -> tuple[PublishedState, AuditEntry]:
    """Make ``version`` the published roster if ``if_match`` is the current ETag."""
    if not if_match:
        raise PreconditionRequired(
            f"publishing needs If-Match: GET /v1/teams/{team.slug}/published gives the ETag"
        )
    current = state(session, team)
    if if_match.strip() != current.etag:
        raise PreconditionFailed(
            f"If-Match {if_match.strip()} is stale: the published state is now {current.etag}"
        )
    row = RosterRepository(session).get(team.id, version)
    if row is None:
        raise NotFound(f"roster version {version} not found")
    if row.what_if:
        raise Conflict(f"roster version {version} is a what-if and can never be published")
    if row.status not in PUBLISHABLE:
        raise Conflict(f"roster version {version} has status {row.status}: nothing to publish")
    expected = int(current.etag.strip('"').removeprefix("pub-"))
    repository = PublishRepository(session)
    try:
        claimed = repository.claim(team.id, expected, version, now)
    except IntegrityError as error:  # a concurrent first publish won (the request rolls back)
        raise PreconditionFailed("another publish just changed the published state") from error
    if not claimed:
        raise PreconditionFailed("another publish just changed the published state")
    counts = _revise(session, team.id, revisions_of(Roster.model_validate(row.data)), now)
    audit = PublishAudit(
        team_id=team.id, key_id=key_id, published_at=now, from_version=current.version,
        to_version=version, **counts,
    )
    session.add(audit)
    session.flush()
    return state(session, team), _audit_entry(audit)


def _revise(
    session: Session, team_id: int, revisions: dict[tuple[str, str, int], ShiftRevision],
    now: datetime,
) -> dict[str, int]:
    """Bring the published shifts to ``revisions``; counts of added/removed/moved/unchanged."""
    counts = {"added": 0, "removed": 0, "moved": 0, "unchanged": 0}
    existing = {(s.agent, s.local_date, s.ordinal): s for s in PublishRepository(session).shifts(team_id)}
    for identity, revision in revisions.items():
        row = existing.pop(identity, None)
        if row is None:
            agent, day, ordinal = identity
            fresh = PublishedShift(team_id=team_id, agent=agent, local_date=day, ordinal=ordinal)
            _apply(fresh, revision, now, sequence=0)
            session.add(fresh)
            counts["added"] += 1
        elif row.cancelled or row.content_hash != revision.content_hash:
            counts["added" if row.cancelled else "moved"] += 1
            _apply(row, revision, now, sequence=row.sequence + 1)
        else:
            counts["unchanged"] += 1
    for row in existing.values():
        if not row.cancelled:
            row.cancelled, row.sequence, row.revised_at = True, row.sequence + 1, now
            counts["removed"] += 1
    session.flush()
    return counts


def _apply(row: PublishedShift, revision: ShiftRevision, now: datetime, *, sequence: int) -> None:
    """``row`` becomes ``revision``, published ``now`` as revision number ``sequence``."""
    row.site = revision.site
    row.queues = " " + " ".join(revision.queues) + " "  # spaces: queue feeds match " id "
    row.start, row.end = revision.start, revision.end
    row.content, row.content_hash = revision.content, revision.content_hash
    row.sequence, row.revised_at, row.cancelled = sequence, now, False


def audit(session: Session, team: Team, window: PageWindow) -> Page[AuditEntry]:
    rows, total = PublishRepository(session).audit_page(team.id, window.limit, window.offset)
    return Page[AuditEntry].of([_audit_entry(r) for r in rows], total, window)


def _audit_entry(row: PublishAudit) -> AuditEntry:
    return AuditEntry(
        key_id=row.key_id, published_at=row.published_at, from_version=row.from_version,
        to_version=row.to_version, added=row.added, removed=row.removed, moved=row.moved,
        unchanged=row.unchanged,
    )
