"""Hiring recommendations: the fewest hypothetical hires that meet a goal, and what one more buys.

1. The variant with every offered hire is solved (hires work under an optional contract, so the
   solver uses one only where its cost beats the under-staffing it removes).
2. The hires it used are ranked by hours worked; the smallest prefix of that ranking whose
   *plain* scenario (those hires as ordinary agents on their real contract, the others gone)
   meets the goal is found by bisection, each step a real solve. So the recommendation is
   verified by construction: its roster is the one reported.
3. For each site/skill group with hires left, one more hire is added and solved again: the
   marginal value of one more agent there, in under-staffed hours, coverage and service level.

Coverage and service level are monotone in staff only up to solver noise; the bisection
assumes it, and the report says so when the full set itself fails the goal.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from scheduler.solve.cpsat import StopToken
from scheduler.solve.params import SolveParams
from scheduler.whatif.apply import HireGroup, Variant
from scheduler.whatif.compare import Solved, VariantProgress, solve_variants
from scheduler.whatif.metrics import VariantMetrics
from scheduler.whatif.overlay import Goal


class GoalCheck(BaseModel):
    model_config = ConfigDict(frozen=True)

    met: bool
    shortfalls: list[str]


class MarginalValue(BaseModel):
    """What one more hire in ``group`` changes against the recommendation."""

    model_config = ConfigDict(frozen=True)

    group: str
    hire: str
    under_staffed_hours: float
    coverage: float
    service_level_by_queue: dict[str, float | None]
    labour_cost: float


class HireRecommendation(BaseModel):
    model_config = ConfigDict(frozen=True)

    variant: str
    goal: Goal
    reachable: bool
    offered: dict[str, int]
    used_with_all_offered: dict[str, int]
    recommended: dict[str, int]
    hires: list[str]
    hire_labour_cost: float
    verified: VariantMetrics | None
    goal_check: GoalCheck
    marginal: list[MarginalValue]
    solves: int


def check_goal(goal: Goal, metrics: VariantMetrics) -> GoalCheck:
    """Whether every goal queue meets the coverage and service-level targets."""
    queues = goal.queues or [q.queue for q in metrics.queues]
    shortfalls: list[str] = []
    for queue_id in queues:
        queue = metrics.queue(queue_id)
        if goal.coverage is not None and queue.coverage + 1e-9 < goal.coverage:
            shortfalls.append(f"{queue_id} coverage {queue.coverage:.1%} < {goal.coverage:.1%}")
        level, target = queue.service_level, goal.service_level
        if target is not None and level is not None and level + 1e-9 < target:
            shortfalls.append(f"{queue_id} service level {level:.1%} < {target:.1%}")
    return GoalCheck(met=not shortfalls, shortfalls=shortfalls)


@dataclass
class _Trials:
    """Plain-scenario solves by hire set, each done once."""

    variant: Variant
    params: SolveParams
    progress: VariantProgress | None
    stop: StopToken | None
    done: dict[frozenset[str], Solved]

    def solve(self, hires: frozenset[str], label: str) -> Solved:
        if hires not in self.done:
            plain = Variant(name=label, scenario=self.variant.with_hires(set(hires)))
            self.done[hires] = solve_variants(
                [plain], self.params, parallel=1, progress=self.progress, stop=self.stop
            )[0]
        return self.done[hires]


def recommend_hires(
    variant: Variant,
    with_all: Solved,
    params: SolveParams,
    *,
    marginal: bool = True,
    progress: VariantProgress | None = None,
    stop: StopToken | None = None,
) -> HireRecommendation:
    """The smallest verified set of hires meeting ``variant.goal`` (see the module docstring)."""
    goal = variant.goal
    if goal is None or not variant.hire_groups:
        raise ValueError(f"variant '{variant.name}' offers no hires with a goal to meet")
    trials = _Trials(variant, params, progress, stop, {})
    hours: dict[str, float] = {}
    for shift in with_all.roster.shifts:
        if shift.agent_id in variant.hire_ids:
            hours[shift.agent_id] = hours.get(shift.agent_id, 0.0) + shift.paid_hours
    ranked = sorted(hours, key=lambda a: (-hours[a], a))
    offered = {g.label: len(g.agent_ids) for g in variant.hire_groups}
    if not check_goal(goal, with_all.metrics).met:
        return _result(variant, goal, offered, with_all, ranked, None, trials, reachable=False)

    def ok(count: int) -> bool:
        chosen = frozenset(ranked[:count])
        return check_goal(goal, trials.solve(chosen, _label(variant, count)).metrics).met

    low, high = 0, len(ranked)
    if not ok(high):
        return _result(
            variant, goal, offered, with_all, ranked, frozenset(ranked), trials, reachable=False
        )
    while low < high:
        middle = (low + high) // 2
        if ok(middle):
            high = middle
        else:
            low = middle + 1
    chosen = frozenset(ranked[:high])
    margins = _marginal_values(variant, chosen, trials) if marginal else []
    return _result(
        variant, goal, offered, with_all, ranked, chosen, trials, reachable=True, margins=margins
    )


def _label(variant: Variant, count: int) -> str:
    return f"{variant.name}: {count} hire{'s' if count != 1 else ''}"


def _marginal_values(
    variant: Variant, chosen: frozenset[str], trials: _Trials
) -> list[MarginalValue]:
    reference = trials.solve(chosen, _label(variant, len(chosen))).metrics
    values = []
    for group in variant.hire_groups:
        spare = [a for a in group.agent_ids if a not in chosen]
        if not spare:
            continue
        more = trials.solve(chosen | {spare[0]}, f"{variant.name}: +1 {group.label}").metrics
        values.append(_margin(group, spare[0], reference, more))
    return values


def _margin(
    group: HireGroup, hire: str, reference: VariantMetrics, more: VariantMetrics
) -> MarginalValue:
    def level_change(queue: str) -> float | None:
        before, after = reference.queue(queue).service_level, more.queue(queue).service_level
        return None if before is None or after is None else round(after - before, 4)

    return MarginalValue(
        group=group.label,
        hire=hire,
        under_staffed_hours=round(more.under_staffed_hours - reference.under_staffed_hours, 2),
        coverage=round(more.coverage - reference.coverage, 4),
        service_level_by_queue={q.queue: level_change(q.queue) for q in more.queues},
        labour_cost=round(more.labour_cost - reference.labour_cost, 2),
    )


def _result(
    variant: Variant,
    goal: Goal,
    offered: dict[str, int],
    with_all: Solved,
    ranked: list[str],
    chosen: frozenset[str] | None,
    trials: _Trials,
    *,
    reachable: bool,
    margins: list[MarginalValue] | None = None,
) -> HireRecommendation:
    def count_by_group(ids: set[str]) -> dict[str, int]:
        return {g.label: len(ids & set(g.agent_ids)) for g in variant.hire_groups}

    solved = trials.done.get(chosen) if chosen is not None else None
    metrics = solved.metrics if solved is not None else None
    hire_cost = 0.0
    if solved is not None and chosen:
        rate = {a: g.cost_per_hour for g in variant.hire_groups for a in g.agent_ids}
        hire_cost = sum(
            s.paid_hours * rate[s.agent_id] for s in solved.roster.shifts if s.agent_id in chosen
        )
    return HireRecommendation(
        variant=variant.name,
        goal=goal,
        reachable=reachable,
        offered=offered,
        used_with_all_offered=count_by_group(set(ranked)),
        recommended=count_by_group(set(chosen or ())) if reachable else {},
        hires=sorted(chosen or ()) if reachable else [],
        hire_labour_cost=round(hire_cost, 2),
        verified=metrics,
        goal_check=check_goal(goal, metrics or with_all.metrics),
        marginal=margins or [],
        solves=1 + len(trials.done),
    )
