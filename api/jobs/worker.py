"""The child process: read the job from storage, solve, report over the pipe.

It never writes to the database (SQLite keeps one writer process; the supervisor writes for it,
fenced by attempt). If the parent goes away the pipe closes and the child exits at once, so a
server restart leaves no orphan solver burning CPU on a job that will be re-run.
"""

from __future__ import annotations

import os
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from api.db.engine import make_engine
from api.db.models import Solve
from scheduler.domain import Scenario
from scheduler.roster import SolveStatus
from scheduler.solve.cpsat import StopToken
from scheduler.solve.facade import solve
from scheduler.solve.params import SolveParams
from scheduler.solve.progress import Progress
from scheduler.whatif import VariantEvent, apply, base_variant, parse_overlay, run_whatif

PHASE_CHARS = 32  # the job's progress_phase column


def _compare(
    base: Scenario, params: SolveParams, specs: list[dict[str, Any]],
    send: Callable[[str, Any], None], stop: StopToken,
) -> dict[str, Any]:
    """A what-if job: the variants (validated at admission) solved, compared and advised on."""
    variants = [base_variant(base)] + [
        apply(
            base,
            [parse_overlay(d, f"variants[{i}].overlays[{k}]") for k, d in enumerate(spec["overlays"])],
            name=spec.get("name") or None,
        )
        for i, spec in enumerate(specs)
    ]

    def report(event: VariantEvent) -> None:
        send("progress", {
            "elapsed": event.elapsed, "objective": event.objective, "bound": None, "gap": None,
            "phase": f"{event.variant}: {event.phase}"[:PHASE_CHARS],
        })

    marginal = all(spec.get("marginal", True) for spec in specs)
    result, solved = run_whatif(variants, params, marginal=marginal, progress=report, stop=stop)
    base_roster = solved[0].roster
    return {
        "kind": "whatif",
        "status": base_roster.status.value,
        "has_roster": True,  # the comparison is the result, infeasible variants included
        "stopped": stop.stopped,
        "objective": base_roster.objective,
        "best_bound": base_roster.best_bound,
        "gap": base_roster.gap,
        "elapsed": sum(s.metrics.seconds or 0.0 for s in solved),
        "roster": base_roster.model_dump(mode="json"),
        "result": result.model_dump(mode="json"),
        "rosters": {s.variant.name: s.roster.model_dump(mode="json") for s in solved},
    }


def _load(
    database_url: str, job_id: int, attempt: int
) -> tuple[Scenario, SolveParams, list[dict[str, Any]] | None] | None:
    engine = make_engine(database_url, poolclass=NullPool)
    try:
        with Session(engine) as session:
            job = session.get(Solve, job_id)
            if job is None or job.attempt != attempt or job.state != "running":
                return None  # fenced out: a newer attempt owns the job
            variants = job.variants if job.kind == "whatif" else None
            return Scenario.model_validate(job.scenario), SolveParams.model_validate(job.params), variants
    finally:
        engine.dispose()


def run_job(database_url: str, job_id: int, attempt: int, conn: Connection) -> None:
    send_lock = threading.Lock()

    def send(kind: str, payload: Any) -> None:
        with send_lock:
            conn.send((kind, payload))

    stop = StopToken()

    def listen() -> None:
        try:
            while True:
                kind, _ = conn.recv()
                if kind == "stop":
                    stop.stop()
        except (EOFError, OSError):
            os._exit(3)  # the server is gone: the job will be re-run or failed by the reconciler

    threading.Thread(target=listen, name="sunshift-stop-listener", daemon=True).start()
    try:
        loaded = _load(database_url, job_id, attempt)
        if loaded is None:
            send("failed", "stale attempt: the job is owned by a newer run")
            return
        scenario, params, variants = loaded
        send("started", None)
        if variants is not None:
            send("finished", _compare(scenario, params, variants, send, stop))
            return

        def report(progress: Progress) -> None:
            send(
                "progress",
                {
                    "elapsed": progress.elapsed,
                    "objective": progress.objective,
                    "bound": progress.bound,
                    "gap": progress.gap,
                    "phase": progress.phase,
                },
            )

        result = solve(scenario, params, progress=report, stop=stop)
        roster = result.roster
        send(
            "finished",
            {
                "status": result.status.value,
                "has_roster": result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE),
                "stopped": stop.stopped,
                "objective": result.objective,
                "best_bound": result.best_bound,
                "gap": result.gap,
                "elapsed": result.wall_time,
                "roster": roster.model_dump(mode="json"),
            },
        )
    except Exception as error:  # reported, then the job is failed with the reason
        traceback.print_exc()
        send("failed", f"{type(error).__name__}: {error}")
    finally:
        conn.close()
