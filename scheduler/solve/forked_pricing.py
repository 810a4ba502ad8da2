"""Pricing on a second core: a forked copy of the best responder plans half the agents.

Column generation's quick rounds (:meth:`scheduler.solve.columns._Pricing._quick_round`) plan
every free agent by path search, one after another, in Python: one core works and the
other idles, as the GIL lets no second thread help. On Curtois Instance 13 those rounds
took 19.4 s and the master LP 10.7 s of 30 s of root pricing (``python -m
scheduler.benchmarks.column_root 13 --seconds 30 --workers 2``, timed by a scratch script).
A process forked from the solve holds its own copy of the responder (copy-on-write: nothing
is pickled but the prices and the plans) and plans every other agent while the solve plans
the rest: 27 → 33 rounds in those 30 s (quick rounds 0.72 → 0.45 s each), root LP 886 → 577.
Exact rounds (:meth:`~scheduler.solve.columns._Pricing._round`) split their path searches the
same way, and the helper answers with each plan's proof: on Instance 7's tree an exact round
took ~120 ms in one process, ~45 ms split (scratch traces).

Each side keeps its own warm-start prices (:class:`~scheduler.solve.paths.BestResponder`
starts an agent's price search where the last agent on the same contract settled), so the
plans may differ from one process's, but the split is fixed (agents alternate in pool
order), so the same rounds give the same plans on every run.

Only on Linux, where forking is safe and cheap; elsewhere pricing runs on one core.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import weakref
from multiprocessing.connection import Connection

from scheduler.model.problem import FloatArray
from scheduler.solve.paths import BestResponder
from scheduler.solve.paths.responder import Forced, PricedPlan

_Request = tuple[list[int], FloatArray, dict[int, Forced | None], bool]


def can_fork() -> bool:
    """Whether the helper can be forked here: on Linux (macOS offers ``fork`` but its system
    libraries are not safe across it; any other start method would pickle the responder)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


class ForkedPricer:
    """A second process answering pricing requests with its copy of ``responder``, as it
    was at the fork. Requests are answered in order; :meth:`close` (or garbage collection)
    ends the process."""

    def __init__(self, responder: BestResponder) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, theirs = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(responder, theirs), name="sunshift-pricing", daemon=True
        )
        self._process.start()
        theirs.close()
        self._waiting = False
        self._closer = weakref.finalize(self, _stop, self._connection, self._process)

    def submit(
        self,
        agents: list[int],
        prices: FloatArray,
        forced: dict[int, Forced | None],
        *,
        quick: bool = True,
    ) -> None:
        """Start planning ``agents`` at cover ``prices`` (see
        :meth:`~scheduler.solve.paths.BestResponder.priced_plan`)."""
        if self._waiting:
            raise RuntimeError("the last request's plans were not collected")
        self._connection.send((agents, prices, forced, quick))
        self._waiting = True

    def plans(self) -> list[PricedPlan]:
        """The plans of the last request's agents, in its order."""
        self._waiting = False
        answer: tuple[bool, list[PricedPlan] | str] = self._connection.recv()
        ok, payload = answer
        if not ok:
            raise RuntimeError(f"pricing failed in the helper process: {payload}")
        assert isinstance(payload, list)
        return payload

    def close(self) -> None:
        self._closer()


def _serve(responder: BestResponder, connection: Connection) -> None:
    """The helper's loop: plan each request's agents until told to stop (None)."""
    while True:
        request: _Request | None = connection.recv()
        if request is None:
            return
        agents, prices, forced, quick = request
        try:
            plans = [
                responder.priced_plan(agent, prices, quick=quick, forced=forced.get(agent))
                for agent in agents
            ]
        except Exception as error:  # the solve re-raises it, named
            connection.send((False, f"{type(error).__name__}: {error}"))
            continue
        connection.send((True, plans))


def _stop(connection: Connection, process: multiprocessing.process.BaseProcess) -> None:
    with contextlib.suppress(OSError):  # the helper may be gone already
        connection.send(None)
    connection.close()
    process.join(timeout=5)
    if process.is_alive():
        process.kill()
        process.join()
