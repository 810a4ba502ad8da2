"""The variable container: one boolean per candidate shift of every *free* agent-day.

Agent-days outside the neighbourhood keep the incumbent's shift as constants, so every rule is
written once and serves the full model, the LNS sub-models and the explanation model alike. A
model may also leave candidates out altogether (``allowed``): they get no variable and count as
never worked, as the column step's narrowed model needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta

from ortools.sat.python import cp_model

from scheduler.model.problem import AgentPlan, Candidate, Problem
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
        allowed: set[int] | None = None,
    ) -> None:
        self.problem = problem
        self._free: set[AgentDay] | None = None if free is None else set(free)
        self._vars: dict[int, cp_model.IntVar] = {}
        self._fixed: dict[AgentDay, int | None] = {}
        #: agents with at least one free day: only their rules can change in this model
        self._in_play: list[AgentPlan] = []
        #: local days on which at least one agent-day is free
        self._free_days: set[int] = set()
        start = problem.scenario.horizon.start
        for plan in problem.agents:
            if self._free is None or any((plan.index, day) in self._free for day in plan.by_day):
                self._in_play.append(plan)
            for day, options in plan.by_day.items():
                if self.is_free(plan.index, day):
                    self._free_days.add(day)
                    for index in options:
                        if allowed is not None and index not in allowed:
                            continue  # left out of this model: never worked
                        cand = problem.candidates[index]
                        local_date = (start + timedelta(days=day)).isoformat()
                        self._vars[index] = model.new_bool_var(
                            f"shift[{plan.agent.id},{local_date},{cand.start},{cand.minutes}]"
                        )
                else:
                    chosen = incumbent.shifts.get((plan.index, day)) if incumbent else None
                    self._fixed[(plan.index, day)] = chosen
        self._in_play_index = {plan.index for plan in self._in_play}

    def is_free(self, agent: int, day: int) -> bool:
        return self._free is None or (agent, day) in self._free

    def agents_in_play(self) -> list[AgentPlan]:
        """Agents with a free day, in index order: every agent in the full model.

        An agent whose every shift is fixed contributes only constants, and every hard rule is
        per agent, so neighbourhood models skip them: building one costs what it frees, not the
        whole team (and a fixed agent's broken rule cannot make a neighbourhood infeasible).
        """
        return self._in_play

    def day_is_free(self, day: int) -> bool:
        """Whether any agent's shift on local day ``day`` is free in this model."""
        return day in self._free_days

    def options(self, agent: int, day: int) -> list[tuple[Candidate, Literal]]:
        """Candidates of an agent-day with their literal (a variable, or 1 for a fixed choice)."""
        plan = self.problem.agents[agent]
        if day not in plan.by_day:
            return []
        if (agent, day) in self._fixed:
            chosen = self._fixed[(agent, day)]
            return [] if chosen is None else [(self.problem.candidates[chosen], 1)]
        return [
            (self.problem.candidates[i], self._vars[i]) for i in plan.by_day[day] if i in self._vars
        ]

    def literal(self, index: int) -> Literal:
        """Candidate ``index``'s literal: its variable, or 1 / 0 when its agent-day is fixed
        (0 when the model leaves it out)."""
        var = self._vars.get(index)
        if var is not None:
            return var
        cand = self.problem.candidates[index]
        return int(self._fixed.get((cand.agent, cand.day)) == index)

    def works(self, agent: int, day: int) -> Expr:
        """1 when the agent works on local day ``day`` (a sum of literals or a constant)."""
        return sum_of(lit for _, lit in self.options(agent, day))

    def has_free_day(self, agent: int, days: Iterable[int]) -> bool:
        if self._free is not None and agent not in self._in_play_index:
            return False
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
