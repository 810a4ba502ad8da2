"""Plans for one agent at a time, by shortest path over the days of the horizon.

:mod:`scheduler.solve.repair` re-plans agents one at a time. CP-SAT needs seconds for a year-long
plan (Curtois Instance 24, 364 days × 19 shifts a day: 4–10 s to a first legal plan per agent),
too slow for 150 agents. Here the rules that chain one day to the next are the states and
transitions of a shortest path, so every path keeps them: one shift a day, forbidden successions,
rest between consecutive days' shifts, the longest run of working days and the shortest runs of
working days and of days off (a run touching a horizon edge is exempt, as in
:mod:`scheduler.model.rules.runs`). The rules that count over the horizon or a week — total
minutes, shifts per type, weekends, weekend days, paid hours, days off and unsocial shifts per
week — are priced with Lagrangian multipliers, adjusted until the path keeps them too. Every
soft term the agent's shifts can change is linear in them when the agent covers shift-type
demand only (exactly so: one agent moves a day's count by at most one), so the path is then the
agent's best response under the prices; for agents on interval queues the coverage gain is
estimated from the demand the others leave uncovered. The caller validates the plan, and falls
back to CP-SAT when no priced path kept every rule.
"""

from scheduler.solve.paths.responder import BestResponder
from scheduler.solve.paths.search import PathSearch, improve_by_paths

__all__ = ["BestResponder", "PathSearch", "improve_by_paths"]
