"""The solve's lower bounds: under-staffed hours no roster avoids, and no roster's objective.

The Lagrangian bounds (:mod:`scheduler.solve.lagrangian_bound`) are cheap at any size; the
whole-model LP (:mod:`scheduler.solve.lower_bound`) is tighter on under-staffing, as it keeps
every rule, but only affordable on small problems.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from scheduler.model.builder import build_model
from scheduler.model.problem import Problem
from scheduler.solve import lagrangian_bound
from scheduler.solve.lower_bound import under_staffing_lower_bound_hours

#: Share of the bounds' time the under-staffing bound takes; the objective bound has the rest
#: (at 500 agents × 28 days it reaches 1.482M points in 5 s, 1.495M in 10 s, 1.503M in 15 s,
#: then stays).
HOURS_BOUND_SHARE = 0.2
#: Least seconds the objective bound gets, however little time is left.
BOUND_MIN_SECONDS = 0.5
#: Up to this many candidate shifts the LP on the whole model (GLOP) also bounds under-staffing;
#: beyond, its simplex takes most of a minute (the 45-agent fixture, 7.6k) to minutes, while it
#: adds little: 0.2 h over the Lagrangian bound's 0.0 h on that fixture.
LP_BOUND_MAX_CANDIDATES = 4_000


@dataclass(frozen=True)
class Bounds:
    """What no roster of the problem beats: hours short on live queues, objective points."""

    hours: float
    objective: float


def lower_bounds(
    problem: Problem,
    target: float,
    target_hours: float,
    seconds: float,
    stop: Callable[[], bool] | None = None,
) -> Bounds:
    """Both bounds within about ``seconds`` (or until ``stop`` says so: any stopping point is a
    valid bound), each the best of its methods.

    ``target`` and ``target_hours`` (a roster's objective and live shortfall) aim the Lagrangian
    searches' steps; any roster's will do, the final one's or an earlier, dearer one's.
    """
    deadline = time.monotonic() + seconds
    if not problem.queues:  # nothing under-staffed by the hour; cover by shift type is priced
        # in the objective, whose Lagrangian bound still counts every plan's own cost
        relaxed = lagrangian_bound.objective_lower_bound(
            problem, target, time_limit=seconds, stop=stop
        )
        return Bounds(0.0, relaxed)
    hours = lagrangian_bound.under_staffing_lower_bound_hours(
        problem, target_hours, time_limit=HOURS_BOUND_SHARE * seconds, stop=stop
    )
    if len(problem.candidates) <= LP_BOUND_MAX_CANDIDATES:
        lp_hours = under_staffing_lower_bound_hours(build_model(problem, hint=False))
        if lp_hours is not None:
            hours = max(hours, lp_hours)
    relaxed = lagrangian_bound.objective_lower_bound(
        problem,
        target,
        time_limit=max(BOUND_MIN_SECONDS, deadline - time.monotonic()),
        stop=stop,
    )
    return Bounds(hours, relaxed)
