"""Where a roster departs most from what coverage prices say each agent should work.

The Lagrangian bound's prices value each queue-interval's coverage; at them every candidate
shift has a worth (the coverage it earns less its own cost). An agent-day whose shift is worth
less than the agent's best option that day — or who is off on a day with an option worth
working — is where the roster and the prices disagree: the prices see, across the whole team,
trades that no local move reaches (200 agents × 14 days: cheap Manila and Sydney agents idle
while dearer Copenhagen part-timers cover email that could wait for Asia's morning). LNS frees
such agent-days first (:mod:`scheduler.solve.lns`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scheduler.model.problem import FIRST_DAY, AgentPlan, FloatArray, Problem
from scheduler.model.solution import Solution


@dataclass(frozen=True)
class PriceGuide:
    """Each candidate's worth at the prices, and each agent-day's best (0: a day off)."""

    worth: FloatArray  # by candidate index
    best_day: FloatArray  # agent × (day − FIRST_DAY)

    @classmethod
    def of(cls, problem: Problem, worth: FloatArray) -> PriceGuide:
        best_day = np.zeros((len(problem.agents), problem.scenario.horizon.days + 2 - FIRST_DAY))
        for plan in problem.agents:
            for day, options in plan.by_day.items():
                best_day[plan.index, day - FIRST_DAY] = max(0.0, float(worth[options].max()))
        return cls(worth, best_day)

    def regret(self, incumbent: Solution, agents: list[AgentPlan], days: range) -> FloatArray:
        """Per agent of ``agents``: how much more the agent's best options on ``days`` are
        worth than what the incumbent has them work (≥ 0 but for rules across days)."""
        columns = [day - FIRST_DAY for day in days]
        rows = {plan.index: k for k, plan in enumerate(agents)}
        working = np.zeros((len(agents), len(columns)))
        for (agent, day), index in incumbent.shifts.items():
            k = rows.get(agent)
            if k is not None and days.start <= day < days.stop:
                working[k, day - days.start] = self.worth[index]
        best = self.best_day[[plan.index for plan in agents]][:, columns]
        regret: FloatArray = (best - working).sum(axis=1)
        return regret
