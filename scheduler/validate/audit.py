"""Audit a solver's answer: the roster's broken rules, and whether the objective the solver
reported is the one its shifts give. Benchmarks print nothing they have not audited."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from scheduler.domain import Scenario
from scheduler.model.problem import Problem
from scheduler.roster import Roster
from scheduler.validate.hard_rules import validate_roster
from scheduler.validate.objective import objective_breakdown

#: Objectives closer than this (points) agree: both are sums of the same integer-scaled terms.
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Audit:
    """The validator's objective, how many hard rules the roster breaks, and each disagreement
    as a sentence naming both numbers (or the first broken rules)."""

    validator_objective: float
    violations: int
    problems: list[str] = field(default_factory=list)


def audit_roster(
    scenario: Scenario, roster: Roster, objective: float | None, *, problem: Problem | None = None
) -> Audit:
    """Re-check ``roster``'s hard rules and recompute its objective against ``objective``."""
    problems: list[str] = []
    violations = validate_roster(scenario, roster, problem=problem)
    if violations:
        listed = [f"{v.rule} ({v.agent_id or v.queue}, {v.when}): {v.detail}" for v in violations]
        problems.append(f"validator: {len(violations)} hard-rule violation(s): {first_few(listed)}")
    total = objective_breakdown(scenario, roster, problem=problem).total
    if not same_objective(total, objective):
        problems.append(f"validator objective {total:g} ≠ solver objective {shown(objective)}")
    return Audit(total, len(violations), problems)


def same_objective(value: float, objective: float | None) -> bool:
    return objective is not None and math.isclose(value, objective, rel_tol=0, abs_tol=TOLERANCE)


def first_few(items: list[str], shown: int = 3) -> str:
    """The first ``shown`` items joined, and how many more there are.

    >>> first_few(["a", "b"]), first_few(["a", "b", "c", "d"], shown=2)
    ('a; b', 'a; b; … and 2 more')
    """
    more = len(items) - shown
    return "; ".join(items[:shown]) + (f"; … and {more} more" if more > 0 else "")


def shown(objective: float | None) -> str:
    """An objective as the audit's sentences print it ("none" when there is none)."""
    return "none" if objective is None else f"{objective:g}"
