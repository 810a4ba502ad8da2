"""Assemble the CP-SAT model from the rule list: the full model or an LNS neighbourhood."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.model.context import SCALE, BuildContext
from scheduler.model.problem import Problem
from scheduler.model.rules import RULES
from scheduler.model.solution import Solution
from scheduler.model.variables import AgentDay, RosterVariables, sum_of


@dataclass
class BuiltModel:
    model: cp_model.CpModel
    ctx: BuildContext

    @property
    def scale(self) -> int:
        return SCALE


def build_model(
    problem: Problem,
    *,
    incumbent: Solution | None = None,
    free: Iterable[AgentDay] | None = None,
    allowed: set[int] | None = None,
    explain: bool = False,
    hint: bool = True,
    run_automata: bool = False,
) -> BuiltModel:
    """Build the model; agent-days outside ``free`` keep the ``incumbent``'s shifts, and
    candidates outside ``allowed`` (when given) are never worked.

    With ``explain``, every hard rule is guarded by a literal per (rule, agent) so CP-SAT can
    name the smallest conflicting set it finds. ``run_automata`` adds the run rules' automaton
    formulation (:mod:`scheduler.model.rules.run_pattern`).
    """
    model = cp_model.CpModel()
    variables = RosterVariables(model, problem, incumbent, free, allowed)
    ctx = BuildContext(
        model=model,
        problem=problem,
        vars=variables,
        incumbent=incumbent,
        explain=explain,
        run_automata=run_automata,
    )
    objective = [rule.build(ctx) for rule in RULES]
    model.minimize(sum_of(objective))
    if incumbent is not None and hint:
        variables.hint(model, incumbent)
    return BuiltModel(model, ctx)
