"""The lower bounds on the second core, searched while the solve runs.

A solve used to keep a quarter of its wall-clock limit (at most 20 s) for the bounds and search
them after its roster, with one core idle all along: on two cores the agent-day moves and the
polish are single-threaded Python. A process forked once greedy has its roster searches them
there instead, for the whole limit, and the solve keeps all of it too. At 200 agents × 14 days
(team seed 1) the Lagrangian objective bound is 303.4k points after 5 s of search and 306.3k
after 10 s, where it converges; aimed at greedy's 444.3k instead of a final roster's ~325k,
its steps end within 0.1 % of that (``objective_lower_bound(compile_problem(generate_team(200,
14, 5, 1)), target, time_limit=s)`` for targets 324,800 and 444,276, s 5 and 10).
``sunshift bench --agents 200 --days 14 --queues 5 --seed 1 --time-limit 20 --workers 2``:
bound 297.1k–303.0k → 306.7k, gap 7.9–10.0 % → 6.5 %; 500 × 28 at 30 s: bound 1.355M →
1.521M, gap 18.0 % → 7.6 %; at 120 s 1.512M → 1.527M, gap 6.8 % → 5.7 %.

Forking copies the compiled problem copy-on-write: nothing is pickled but the two bounds.
Only on Linux (see :func:`~scheduler.solve.forked_pricing.can_fork`); elsewhere, and when the
solve may use one core only, the bounds are searched after the roster.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
import weakref
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event

from scheduler.model.problem import Problem
from scheduler.solve.bounds import Bounds, lower_bounds

#: Seconds past its deadline the solve waits for the process's answer: its search checks the
#: clock once a step, and the objective bound gets at least
#: :data:`~scheduler.solve.bounds.BOUND_MIN_SECONDS`.
ANSWER_GRACE = 2.0


class BoundsAside:
    """A forked process searching :func:`~scheduler.solve.bounds.lower_bounds` of ``problem``
    until ``deadline`` (``time.monotonic()``), aimed at a roster costing ``target`` points and
    ``target_hours`` short on live queues."""

    def __init__(
        self, problem: Problem, target: float, target_hours: float, deadline: float
    ) -> None:
        context = multiprocessing.get_context("fork")
        self._answers, theirs = context.Pipe(duplex=False)
        self._hurry = context.Event()
        self._deadline = deadline
        self._process = context.Process(
            target=_search,
            args=(problem, target, target_hours, deadline, self._hurry, os.getpid(), theirs),
            name="sunshift-bounds",
            daemon=True,
        )
        self._process.start()
        theirs.close()
        self._closer = weakref.finalize(self, _end, self._answers, self._process)

    def result(self, *, now: bool = False) -> Bounds | str:
        """The bounds, once the search has them (by its deadline, within
        :data:`ANSWER_GRACE`); ``now`` asks for the best found so far. Why there are none,
        when the process failed or did not answer in time."""
        if now:
            self._hurry.set()
        wait = max(0.0, self._deadline - time.monotonic()) + ANSWER_GRACE
        answer: Bounds | str
        try:
            answer = self._answers.recv() if self._answers.poll(wait) else "no answer in time"
        except (EOFError, OSError):
            answer = "the process ended without an answer"
        self.close()
        return answer

    def close(self) -> None:
        """End the process (it may still be searching)."""
        self._closer()


def _search(
    problem: Problem,
    target: float,
    target_hours: float,
    deadline: float,
    hurry: Event,
    solve: int,
    answers: Connection,
) -> None:
    """The process: search the bounds until the deadline (or told to hurry, or the ``solve``'s
    process has gone: a killed solve leaves no search running on), send them."""

    def stop() -> bool:
        return hurry.is_set() or os.getppid() != solve

    seconds = max(0.0, deadline - time.monotonic())
    try:
        answer: Bounds | str = lower_bounds(problem, target, target_hours, seconds, stop)
    except Exception as error:  # the solve reports it and searches them itself
        answer = f"{type(error).__name__}: {error}"
    with contextlib.suppress(OSError):  # the solve may be gone
        answers.send(answer)


def _end(answers: Connection, process: multiprocessing.process.BaseProcess) -> None:
    answers.close()
    if process.is_alive():
        process.kill()
    process.join(timeout=5)
