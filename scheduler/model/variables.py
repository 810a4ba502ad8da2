"""The variable container: one boolean per candidate shift of every *free* agent-day.

Agent-days outside the neighbourhood keep the incumbent's shift as constants, so every rule is
written once and serves the full model, the LNS sub-models and the explanation model alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta

from ortools.sat.python import cp_model

from scheduler.model.problem import Candidate, Problem
from scheduler.model.solution import Solution

Literal = cp_model.IntVar | int
#: A linear expression or a constant (narrower than OR-Tools' LinearExprT, which admits numpy ints).
Expr = cp_model.LinearExpr | int
AgentDay = tuple[int, int]


class RosterVariables:
    """Create shift variables and answer ``is_assigned``-style questions about them."""

    def __init__(
        self,
        model: cp_model.CpModel,
        problem: Problem,
        incumbent: Solution | None = None,
        free: Iterable[AgentDay] | None = None,
    ) -> None:
        self.problem = problem
        self._free: set[AgentDay] | None = None if free is None else set(free)
        self._vars: dict[int, cp_model.IntVar] = {}
        self._fixed: dict[AgentDay, int | None] = {}
        start = problem.scenario.horizon.start
        for plan in problem.agents:
            for day, options in plan.by_day.items():
                if self.is_free(plan.index, day):
                    for index in options:
                        cand = problem.candidates[index]
                        local_date = (start + timedelta(days=day)).isoformat()
                        self._vars[index] = model.new_bool_var(
                            f"shift[{plan.agent.id},{local_date},{cand.start},{cand.minutes}]"
                        )
                else:
                    chosen = incumbent.shifts.get((plan.index, day)) if incumbent else None
                    self._fixed[(plan.index, day)] = chosen

    def is_free(self, agent: int, day: int) -> bool:
        return self._free is None or (agent, day) in self._free

    def options(self, agent: int, day: int) -> list[tuple[Candidate, Literal]]:
        """Candidates of an agent-day with their literal (a variable, or 1 for a fixed choice)."""
        plan = self.problem.agents[agent]
        if day not in plan.by_day:
            return []
        if (agent, day) in self._fixed:
            chosen = self._fixed[(agent, day)]
            return [] if chosen is None else [(self.problem.candidates[chosen], 1)]
        return [(self.problem.candidates[i], self._vars[i]) for i in plan.by_day[day]]

    def works(self, agent: int, day: int) -> Expr:
        """1 when the agent works on local day ``day`` (a sum of literals or a constant)."""
        return sum_of(lit for _, lit in self.options(agent, day))

    def has_free_day(self, agent: int, days: Iterable[int]) -> bool:
        plan = self.problem.agents[agent]
        return any(d in plan.by_day and self.is_free(agent, d) for d in days)

    def free_candidates(self) -> Iterator[tuple[Candidate, cp_model.IntVar]]:
        for index, var in self._vars.items():
            yield self.problem.candidates[index], var

    def fixed_shifts(self) -> Iterator[int]:
        for chosen in self._fixed.values():
            if chosen is not None:
                yield chosen

    def hint(self, model: cp_model.CpModel, solution: Solution) -> None:
        chosen = set(solution.shifts.values())
        for index, var in self._vars.items():
            model.add_hint(var, index in chosen)

    def extract(self, solver: cp_model.CpSolver) -> dict[AgentDay, int]:
        """Shifts of the solved model plus the fixed ones kept from the incumbent."""
        shifts = {key: c for key, c in self._fixed.items() if c is not None}
        for index, var in self._vars.items():
            if solver.boolean_value(var):
                cand = self.problem.candidates[index]
                shifts[(cand.agent, cand.day)] = index
        return shifts


def sum_of(terms: Iterable[Expr]) -> Expr:
    """``sum`` that stays an ``int`` when every term is a constant (keeps constraints trivial)."""
    items = list(terms)
    if all(isinstance(t, int) for t in items):
        return sum(t for t in items if isinstance(t, int))
    return cp_model.LinearExpr.sum(items)
