"""What every rule's ``build`` receives: the model, the compiled problem, the variables, and the
enforcement literals that let an infeasible model say which rule and agent are in conflict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from ortools.sat.python import cp_model

from scheduler.model.problem import Problem
from scheduler.model.solution import Solution
from scheduler.model.variables import RosterVariables

if TYPE_CHECKING:
    from scheduler.model.coverage import CoverageModel

#: The objective is kept in 1/60 points so per-slot weights and costs stay exact integers.
SCALE = 60


@dataclass
class BuildContext:
    model: cp_model.CpModel
    problem: Problem
    vars: RosterVariables
    incumbent: Solution | None = None
    explain: bool = False
    #: state runs of working days and days off as automata too (strong on one agent's plan)
    run_automata: bool = False
    guards: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    coverage: CoverageModel | None = None

    def add(
        self, rule: str, agent: int, constraint: cp_model.BoundedLinearExpression | bool | np.bool_
    ) -> None:
        """Add a hard constraint of ``rule`` for ``agent``; guarded by a literal when explaining."""
        if isinstance(constraint, bool | int | np.bool_):
            if not constraint:
                self._trivially_false(rule, agent)
            return
        added = self.model.add(constraint)
        if self.explain:
            added.only_enforce_if(self.guard(rule, agent))

    def guard(self, rule: str, agent: int) -> cp_model.IntVar:
        key = (rule, agent)
        if key not in self.guards:
            self.guards[key] = self.model.new_bool_var(
                f"enforce[{rule},{self.problem.agents[agent].agent.id}]"
            )
        return self.guards[key]

    def _trivially_false(self, rule: str, agent: int) -> None:
        literal = self.guard(rule, agent) if self.explain else None
        if literal is None:
            self.model.add_bool_or([])  # an empty clause: the model is infeasible, honestly
        else:
            self.model.add_bool_or([literal.negated()])

    def per_slot(self, weight_per_hour: int) -> int:
        """Objective coefficient (in 1/SCALE points) of one agent-slot at ``weight_per_hour``."""
        return weight_per_hour * self.problem.slot * SCALE // 60
