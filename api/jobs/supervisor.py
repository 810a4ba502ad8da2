"""The supervisor: admits queued jobs to the runner, records what the runner reports, and
reconciles jobs whose runner died. Every write is fenced by ``attempt``: a report from an attempt
that is no longer the job's current one changes nothing.

Job states: queued → running → succeeded | failed | cancelled; running → queued again when its
runner died and it has attempts left (never silently lost: the reason is kept).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.db.engine import Database
from api.db.models import RosterRow, Solve, utcnow
from api.jobs.runner import LocalProcessRunner, RunnerEvents, SolveRunner
from api.settings import Settings
from api.teams.repository import TeamRepository

log = logging.getLogger("sunshift.jobs")

QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED = "queued", "running", "succeeded", "failed", "cancelled"
TERMINAL = frozenset({SUCCEEDED, FAILED, CANCELLED})


def _current(session: Session, job_id: int, attempt: int) -> Solve | None:
    """The job if ``attempt`` is still its running attempt (locked on PostgreSQL), else None."""
    return session.scalar(
        select(Solve)
        .where(Solve.id == job_id, Solve.attempt == attempt, Solve.state == RUNNING)
        .with_for_update()
    )


def settle_lost_run(job: Solve, reason: str, max_attempts: int) -> None:
    """A run ended without a result: cancelled if asked, else re-queued or failed with the reason."""
    now = utcnow()
    job.owner = None
    if job.cancel_requested_at is not None:
        job.state, job.finished_at = CANCELLED, now
        job.error_code, job.error_detail = "cancelled", "cancelled while running (solver stopped)"
        return
    job.lost_runs += 1
    if job.lost_runs >= max_attempts:
        job.state, job.finished_at = FAILED, now
        job.error_code = "runner-lost"
        job.error_detail = f"{reason}; gave up after {job.lost_runs} lost run(s)"
    else:
        job.state = QUEUED
        job.error_detail = f"attempt {job.attempt} lost: {reason}; re-queued"


class Supervisor(RunnerEvents):
    """Owns the runner and one background thread; created in the app's lifespan."""

    def __init__(
        self,
        database: Database,
        settings: Settings,
        runner_factory: Callable[[RunnerEvents], SolveRunner] | None = None,
    ) -> None:
        self.database = database
        self.settings = settings
        self.instance = uuid.uuid4().hex[:16]
        factory = runner_factory or (
            lambda events: LocalProcessRunner(settings.database_url, events)
        )
        self.runner = factory(self)
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._closing = False
        self._thread: threading.Thread | None = None
        self._last_reconcile = 0.0
        self._last_heartbeat = 0.0
        self._last_progress: dict[int, float] = {}

    # lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        self.reconcile(startup=True)
        self._thread = threading.Thread(target=self._loop, name="sunshift-supervisor", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def close(self) -> None:
        """Stop admitting, end running solves and put their jobs back in the queue."""
        self._closing = True
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.runner.close()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self.tick()
            except Exception:
                log.exception("supervisor tick failed")
            self._wake.wait(self.settings.job_poll_seconds)
            self._wake.clear()

    def tick(self) -> None:
        now = time.monotonic()
        if now - self._last_heartbeat >= self.settings.job_heartbeat_seconds:
            self._heartbeat()
            self._last_heartbeat = now
        if now - self._last_reconcile >= self.settings.reconcile_seconds:
            self.reconcile()
            self._last_reconcile = now
        self._handle_cancels()
        self._admit()

    def run_one(self, job_id: int, deadline: float) -> str:
        """Claim one committed, queued job and tend it to its end in this process.

        The admin CLI's solve: the job takes the server's path (claimed with a new attempt, run
        by the runner, its roster stored by ``on_finished`` as a new version), with heartbeats
        and cancel handling as the loop would do; only admission differs: no loop thread, and no
        other queued job is started. Call :meth:`close` afterwards.

        Parameters
        ----------
        job_id:
            The job; it must be committed and queued.
        deadline:
            Seconds the solve may take. Past it the job is cancelled (the solver is asked to
            stop, then killed after ``cancel_grace_seconds``); it is never left running.

        Returns
        -------
        str
            The job's state when tending ended: a terminal state, or ``running`` when even the
            hard stop did not conclude in time (``close`` then settles it as cancelled).
        """
        attempt = self._claim(job_id)
        if attempt is None:
            return self._state(job_id)
        self.runner.start(job_id, attempt)
        started = time.monotonic()
        give_up = started + deadline + self.settings.cancel_grace_seconds + 30
        while (state := self._state(job_id)) == RUNNING and time.monotonic() < give_up:
            now = time.monotonic()
            if now - started > deadline:
                self._request_cancel(job_id)
            if now - self._last_heartbeat >= self.settings.job_heartbeat_seconds:
                self._heartbeat()
                self._last_heartbeat = now
            self._handle_cancels()
            self._wake.wait(self.settings.job_poll_seconds)
            self._wake.clear()
        return state

    def _state(self, job_id: int) -> str:
        with self.database.reading() as session:
            return session.get_one(Solve, job_id).state

    def _request_cancel(self, job_id: int) -> None:
        with self.database.writing() as session:
            session.execute(
                update(Solve)
                .where(Solve.id == job_id, Solve.state == RUNNING, Solve.cancel_requested_at.is_(None))
                .values(cancel_requested_at=utcnow())
            )

    # the periodic duties ---------------------------------------------------------------------
    def _heartbeat(self) -> None:
        mine = self.runner.running()
        if not mine:
            return
        with self.database.writing() as session:
            session.execute(
                update(Solve)
                .where(Solve.id.in_(mine), Solve.owner == self.instance, Solve.state == RUNNING)
                .values(heartbeat_at=utcnow())
            )

    def reconcile(self, startup: bool = False) -> int:
        """Settle running jobs whose runner is gone. Returns how many were settled.

        A job is orphaned when its heartbeat is stale, or at start-up on SQLite (a single server
        process owns the database, so every running job of another instance is dead).
        """
        stale_before = utcnow() - timedelta(seconds=self.settings.job_stale_seconds)
        settled = 0
        with self.database.writing() as session:
            query = select(Solve).where(Solve.state == RUNNING)
            for job in session.scalars(query.with_for_update()).all():
                if job.owner == self.instance and job.id in self.runner.running():
                    continue
                dead_owner = startup and self.database.is_sqlite and job.owner != self.instance
                stale = job.heartbeat_at is None or job.heartbeat_at < stale_before
                if not (dead_owner or stale):
                    continue
                settle_lost_run(
                    job, "the runner stopped reporting (server restart or crash)",
                    self.settings.job_max_attempts,
                )
                settled += 1
                log.warning(
                    "reconciled orphaned job",
                    extra={"job_id": job.id, "attempt": job.attempt, "state": job.state},
                )
        if settled:
            self.wake()
        return settled

    def _handle_cancels(self) -> None:
        mine = self.runner.running()
        if not mine:
            return
        with self.database.reading() as session:
            rows = session.execute(
                select(Solve.id, Solve.cancel_requested_at).where(
                    Solve.id.in_(mine), Solve.state == RUNNING, Solve.cancel_requested_at.is_not(None)
                )
            ).all()
        for job_id, requested in rows:
            assert requested is not None
            self.runner.stop(job_id)
            if (utcnow() - requested).total_seconds() > self.settings.cancel_grace_seconds:
                log.warning("hard-stopping a solve past its cancel grace", extra={"job_id": job_id})
                self.runner.kill(job_id)

    def _admit(self) -> None:
        if self._closing:
            return
        free = self.settings.max_running_solves - len(self.runner.running())
        if free <= 0:
            return
        with self.database.reading() as session:
            candidates = session.scalars(
                select(Solve.id).where(Solve.state == QUEUED).order_by(Solve.created_at, Solve.id).limit(free)
            ).all()
        for job_id in candidates:
            attempt = self._claim(job_id)
            if attempt is not None:
                log.info("solve started", extra={"job_id": job_id, "attempt": attempt})
                self.runner.start(job_id, attempt)

    def _claim(self, job_id: int) -> int | None:
        now = utcnow()
        with self.database.writing() as session:
            result = session.execute(
                update(Solve)
                .where(Solve.id == job_id, Solve.state == QUEUED)
                .values(
                    state=RUNNING, attempt=Solve.attempt + 1, owner=self.instance,
                    claimed_at=now, heartbeat_at=now, solver_started_at=None,
                )
                .returning(Solve.attempt)
            )
            return result.scalar_one_or_none()

    # runner events (runner threads) ----------------------------------------------------------
    def on_started(self, job_id: int, attempt: int) -> None:
        with self.database.writing() as session:
            job = _current(session, job_id, attempt)
            if job is not None:
                job.solver_started_at = utcnow()

    def on_progress(self, job_id: int, attempt: int, progress: dict[str, Any]) -> None:
        now = time.monotonic()
        if now - self._last_progress.get(job_id, 0.0) < 0.5:
            return  # keep the write rate bounded; the final numbers come with the result
        self._last_progress[job_id] = now
        with self.database.writing() as session:
            job = _current(session, job_id, attempt)
            if job is not None:
                job.progress_elapsed = progress.get("elapsed")
                job.progress_objective = progress.get("objective")
                job.progress_bound = progress.get("bound")
                job.progress_gap = progress.get("gap")
                job.progress_phase = progress.get("phase")
                job.heartbeat_at = utcnow()

    def on_finished(self, job_id: int, attempt: int, outcome: dict[str, Any]) -> None:
        self._last_progress.pop(job_id, None)
        with self.database.writing() as session:
            job = _current(session, job_id, attempt)
            if job is None:
                log.warning("dropped a stale result", extra={"job_id": job_id, "attempt": attempt})
                return
            now = utcnow()
            job.finished_at, job.owner = now, None
            job.result_status = outcome["status"]
            job.progress_elapsed = outcome.get("elapsed")
            job.progress_objective = outcome.get("objective")
            job.progress_bound = outcome.get("best_bound")
            job.progress_gap = outcome.get("gap")
            job.progress_phase = "done"
            if job.cancel_requested_at is not None:
                job.state, job.error_code = CANCELLED, "cancelled"
                job.error_detail = "cancelled while running (solver stopped cooperatively)"
                return
            if not outcome["has_roster"]:
                job.state = FAILED
                roster = outcome["roster"]
                job.error_code = "infeasible" if outcome["status"] == "INFEASIBLE" else "no-roster"
                job.error_detail = (
                    "the scenario has no feasible roster; see explanation"
                    if job.error_code == "infeasible"
                    else "no roster was found within the limits; allow more time"
                )
                job.explanation = roster.get("explanation")
                return
            if outcome.get("kind") == "whatif":
                _store_comparison(session, job, outcome)
            else:
                job.roster_id = _store_roster(session, job, outcome["roster"], outcome).id
            job.state = SUCCEEDED
        self.wake()

    def on_failed(self, job_id: int, attempt: int, message: str) -> None:
        self._last_progress.pop(job_id, None)
        with self.database.writing() as session:
            job = _current(session, job_id, attempt)
            if job is None:
                return
            job.state, job.finished_at, job.owner = FAILED, utcnow(), None
            job.error_code, job.error_detail = "solver-error", message[:2000]
        self.wake()

    def on_died(self, job_id: int, attempt: int, reason: str) -> None:
        self._last_progress.pop(job_id, None)
        with self.database.writing() as session:
            job = _current(session, job_id, attempt)
            if job is None:
                return
            if self._closing and job.cancel_requested_at is None:
                job.state, job.owner = QUEUED, None  # a clean shutdown is not the job's fault
                job.error_detail = f"attempt {attempt} interrupted by a server shutdown; re-queued"
                return
            settle_lost_run(job, reason, self.settings.job_max_attempts)
        self.wake()


def _store_roster(session: Session, job: Solve, roster: dict[str, Any], outcome: dict[str, Any]) -> RosterRow:
    """A new roster version of the job's team (a what-if job's rosters are what-if rosters)."""
    version = TeamRepository(session).next_roster_version(job.team_id)
    row = RosterRow(
        team_id=job.team_id, version=version, solve_id=job.id, what_if=job.what_if,
        status=roster.get("status", outcome["status"]), objective=roster.get("objective"),
        best_bound=roster.get("best_bound"), gap=roster.get("gap"), data=roster,
    )
    session.add(row)
    session.flush()
    return row


def _store_comparison(session: Session, job: Solve, outcome: dict[str, Any]) -> None:
    """Every variant's roster as a what-if version (never publishable), and the comparison."""
    versions = {
        name: _store_roster(session, job, roster, outcome).version
        for name, roster in outcome["rosters"].items()
    }
    job.result = {**outcome["result"], "roster_versions": versions}
