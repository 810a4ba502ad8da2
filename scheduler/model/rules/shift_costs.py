"""Per-shift soft costs: labour cost, unsocial local hours (what makes follow-the-sun emerge:
nights go to agents for whom it is day) and preference violations."""

from __future__ import annotations

from collections.abc import Callable

from scheduler.model.context import SCALE, BuildContext
from scheduler.model.problem import Candidate, Problem
from scheduler.model.variables import Expr, sum_of

LABOUR_KEY, LABOUR_LABEL = "labour_cost", "labour cost"
UNSOCIAL_KEY, UNSOCIAL_LABEL = "unsocial_hours", "hours worked in the local unsocial window"
PREFERENCE_KEY, PREFERENCE_LABEL = "preferences", "agents' start-time and day-off preferences"


def labour_cost_points(problem: Problem, cand: Candidate) -> int:
    return round(SCALE * problem.scenario.policy.weights.labour_cost * cand.cost)


def unsocial_points(problem: Problem, cand: Candidate) -> int:
    return problem.scenario.policy.weights.unsocial_hours * cand.unsocial_minutes * SCALE // 60


def preference_points(problem: Problem, cand: Candidate) -> int:
    return cand.preference_penalty * SCALE


def _linear(ctx: BuildContext, points: Callable[[Problem, Candidate], int]) -> Expr:
    problem = ctx.problem
    return sum_of(
        points(problem, c) * lit for c, lit in ctx.vars.free_candidates() if points(problem, c)
    )


def build_labour_cost(ctx: BuildContext) -> Expr:
    return _linear(ctx, labour_cost_points)


def build_unsocial_hours(ctx: BuildContext) -> Expr:
    return _linear(ctx, unsocial_points)


def build_preferences(ctx: BuildContext) -> Expr:
    return _linear(ctx, preference_points)


def candidate_points(problem: Problem, cand: Candidate) -> int:
    """All per-shift costs of one candidate, in 1/SCALE points (the bounds price shifts by it)."""
    return (
        labour_cost_points(problem, cand)
        + unsocial_points(problem, cand)
        + preference_points(problem, cand)
    )
