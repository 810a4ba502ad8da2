"""Forbidden successions: a type listed in another's ``cannot_follow`` may not be worked on the
next local day (nothing is checked across the horizon edges: there is no history)."""

from __future__ import annotations

from scheduler.model.context import BuildContext
from scheduler.model.problem import Candidate
from scheduler.model.variables import Expr, Literal, sum_of

KEY = "forbidden_succession"
LABEL = "shift types that may not follow each other"


def build(ctx: BuildContext) -> Expr:
    types = ctx.problem.scenario.shift_types
    index = {t.id: k for k, t in enumerate(types)}
    forbidden = {(k, index[other]) for k, t in enumerate(types) for other in t.cannot_follow}
    if not forbidden:
        return 0
    after: dict[int | None, list[int]] = {}
    for earlier, later in sorted(forbidden):
        after.setdefault(earlier, []).append(later)
    for plan in ctx.vars.agents_in_play():
        for day in plan.days:
            if day + 1 not in plan.by_day:
                continue
            if not (ctx.vars.is_free(plan.index, day) or ctx.vars.is_free(plan.index, day + 1)):
                continue
            today = _by_type(ctx.vars.options(plan.index, day))
            tomorrow = _by_type(ctx.vars.options(plan.index, day + 1))
            for kind, lits_first in sorted(today.items(), key=_type_order):
                followers = [
                    lit for following in after.get(kind, ()) for lit in tomorrow.get(following, ())
                ]
                for lit_first in lits_first:
                    if followers:  # one clique per type: at most one shift a day makes it exact
                        ctx.add(KEY, plan.index, lit_first + sum_of(followers) <= 1)
    return 0


def _by_type(options: list[tuple[Candidate, Literal]]) -> dict[int | None, list[Literal]]:
    """An agent-day's literals by shift type (looping over forbidden pairs, not option pairs)."""
    grouped: dict[int | None, list[Literal]] = {}
    for cand, lit in options:
        grouped.setdefault(cand.shift_type, []).append(lit)
    return grouped


def _type_order(item: tuple[int | None, list[Literal]]) -> int:
    return -1 if item[0] is None else item[0]
