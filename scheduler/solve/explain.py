"""Explain infeasibility as data: which rules, for which agents, cannot hold together.

Every hard rule is guarded by one literal per (rule, agent); CP-SAT is asked to satisfy them all
as assumptions, and when it cannot, the subset it reports is a set of rule–agent pairs that
conflict on their own. Agents' availability and time off are shown beside them, because those
shaped the shifts the rules had to work with.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.builder import build_model
from scheduler.model.problem import Problem
from scheduler.model.rules import LABELS
from scheduler.roster import Explanation, Violation
from scheduler.solve.cpsat import resolve_workers
from scheduler.solve.sound_cpsat import sound_solver


def explain_infeasibility(
    problem: Problem, *, time_limit: float = 30.0, seed: int = 0
) -> Explanation:
    built = build_model(problem, explain=True)
    guards = built.ctx.guards
    built.model.clear_objective()  # type: ignore[no-untyped-call]
    built.model.add_assumptions(list(guards.values()))
    solver = sound_solver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = min(resolve_workers(0), 8)
    status = solver.solve(built.model)
    if status != cp_model.INFEASIBLE:
        return Explanation(
            summary="no conflict between hard rules was found within the time limit; "
            "the solve may simply need more time",
            conflicts=[],
        )
    by_index = {literal.index: key for key, literal in guards.items()}
    conflicts = []
    for index in solver.sufficient_assumptions_for_infeasibility():
        rule, agent = by_index[index]
        plan = problem.agents[agent]
        shifts_possible = sum(len(options) for options in plan.by_day.values())
        conflicts.append(
            Violation(
                rule=rule,
                label=LABELS.get(rule, rule),
                agent_id=plan.agent.id,
                detail=(
                    f"contract '{plan.contract.id}', {len(plan.by_day)} workable local days, "
                    f"{shifts_possible} possible shifts after availability and time off"
                ),
            )
        )
    conflicts.sort(key=lambda v: (v.agent_id or "", v.rule))
    agents = sorted({v.agent_id for v in conflicts if v.agent_id})
    rules = sorted({v.label for v in conflicts})
    summary = (
        f"no roster satisfies every hard rule: {', '.join(rules)} conflict for "
        f"{', '.join(agents) if agents else 'the team'}"
    )
    return Explanation(summary=summary, conflicts=conflicts)
