"""Per-shift soft costs: labour cost, unsocial local hours (what makes follow-the-sun emerge:
nights go to agents for whom it is day) and preference violations."""

from __future__ import annotations

from collections.abc import Callable

from scheduler.model.context import SCALE, BuildContext
from scheduler.model.problem import Candidate
from scheduler.model.variables import Expr, sum_of

LABOUR_KEY, LABOUR_LABEL = "labour_cost", "labour cost"
UNSOCIAL_KEY, UNSOCIAL_LABEL = "unsocial_hours", "hours worked in the local unsocial window"
PREFERENCE_KEY, PREFERENCE_LABEL = "preferences", "agents' start-time and day-off preferences"


def labour_cost_points(ctx: BuildContext, cand: Candidate) -> int:
    return round(SCALE * ctx.problem.scenario.policy.weights.labour_cost * cand.cost)


def unsocial_points(ctx: BuildContext, cand: Candidate) -> int:
    return ctx.problem.scenario.policy.weights.unsocial_hours * cand.unsocial_minutes * SCALE // 60


def preference_points(ctx: BuildContext, cand: Candidate) -> int:
    return cand.preference_penalty * SCALE


def _linear(ctx: BuildContext, points: Callable[[BuildContext, Candidate], int]) -> Expr:
    return sum_of(points(ctx, c) * lit for c, lit in ctx.vars.free_candidates() if points(ctx, c))


def build_labour_cost(ctx: BuildContext) -> Expr:
    return _linear(ctx, labour_cost_points)


def build_unsocial_hours(ctx: BuildContext) -> Expr:
    return _linear(ctx, unsocial_points)


def build_preferences(ctx: BuildContext) -> Expr:
    return _linear(ctx, preference_points)


def shift_points(ctx: BuildContext, cand: Candidate) -> int:
    """All per-shift costs of one candidate (used by the greedy construction)."""
    return labour_cost_points(ctx, cand) + unsocial_points(ctx, cand) + preference_points(ctx, cand)
