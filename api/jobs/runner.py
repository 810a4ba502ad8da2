"""``SolveRunner``: how a claimed job gets a solver process. The embedded default runs each solve
in a child process forked from a preloaded server, so a solve never blocks the API and a crash
never takes it down.

A runner reports what happened through ``RunnerEvents``; it keeps no job state of its own that
matters after a restart: the supervisor writes everything to the database, fenced by attempt.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
from dataclasses import dataclass
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from api.jobs import worker

log = logging.getLogger("sunshift.jobs")


class RunnerEvents(Protocol):
    """Callbacks a runner makes from its own threads."""

    def on_started(self, job_id: int, attempt: int) -> None: ...
    def on_progress(self, job_id: int, attempt: int, progress: dict[str, Any]) -> None: ...
    def on_finished(self, job_id: int, attempt: int, outcome: dict[str, Any]) -> None: ...
    def on_failed(self, job_id: int, attempt: int, message: str) -> None: ...
    def on_died(self, job_id: int, attempt: int, reason: str) -> None: ...


class SolveRunner(Protocol):
    """Runs claimed jobs. ``stop`` asks the solver to finish early; ``kill`` ends it now."""

    def start(self, job_id: int, attempt: int) -> None: ...
    def stop(self, job_id: int) -> None: ...
    def kill(self, job_id: int) -> None: ...
    def running(self) -> set[int]: ...
    def close(self, timeout: float = 5.0) -> None: ...


@dataclass
class _Child:
    attempt: int
    process: BaseProcess
    conn: Connection
    monitor: threading.Thread
    stop_sent: bool = False


class LocalProcessRunner:
    """One child process per solve, forked from a forkserver that has the solver preloaded."""

    def __init__(self, database_url: str, events: RunnerEvents) -> None:
        self.database_url = database_url
        self.events = events
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["api.jobs.worker"])
        self._children: dict[int, _Child] = {}
        self._lock = threading.Lock()
        # warm the fork server (it imports the solver once) so the first job does not pay for it
        threading.Thread(target=forkserver.ensure_running, name="sunshift-forkserver", daemon=True).start()

    def start(self, job_id: int, attempt: int) -> None:
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=worker.run_job,
            args=(self.database_url, job_id, attempt, child_end),
            name=f"sunshift-solve-{job_id}",
            daemon=True,
        )
        process.start()
        child_end.close()
        monitor = threading.Thread(
            target=self._monitor, args=(job_id, attempt, process, parent_end),
            name=f"sunshift-monitor-{job_id}", daemon=True,
        )
        with self._lock:
            self._children[job_id] = _Child(attempt, process, parent_end, monitor)
        monitor.start()

    def _monitor(self, job_id: int, attempt: int, process: BaseProcess, conn: Connection) -> None:
        concluded = False
        try:
            while True:
                try:
                    kind, payload = conn.recv()
                except (EOFError, OSError):
                    break
                try:
                    if kind == "started":
                        self.events.on_started(job_id, attempt)
                    elif kind == "progress":
                        self.events.on_progress(job_id, attempt, payload)
                    elif kind == "finished":
                        concluded = True
                        self.events.on_finished(job_id, attempt, payload)
                    elif kind == "failed":
                        concluded = True
                        self.events.on_failed(job_id, attempt, str(payload))
                except Exception:
                    log.exception("recording a solver event failed", extra={"job_id": job_id})
            process.join(timeout=10)
            if not concluded:
                code = process.exitcode
                self.events.on_died(job_id, attempt, f"the solver process ended without a result (exit code {code})")
        except Exception:
            log.exception("solver monitor failed", extra={"job_id": job_id})
        finally:
            conn.close()
            with self._lock:
                child = self._children.get(job_id)
                if child is not None and child.attempt == attempt:
                    del self._children[job_id]

    def stop(self, job_id: int) -> None:
        with self._lock:
            child = self._children.get(job_id)
        if child is None or child.stop_sent:
            return
        child.stop_sent = True
        with contextlib.suppress(OSError, ValueError):
            child.conn.send(("stop", None))

    def kill(self, job_id: int) -> None:
        with self._lock:
            child = self._children.get(job_id)
        if child is not None and child.process.is_alive():
            child.process.kill()

    def running(self) -> set[int]:
        with self._lock:
            return set(self._children)

    def close(self, timeout: float = 5.0) -> None:
        with self._lock:
            children = list(self._children.values())
        for child in children:
            if child.process.is_alive():
                child.process.kill()
        for child in children:
            child.monitor.join(timeout=timeout)
