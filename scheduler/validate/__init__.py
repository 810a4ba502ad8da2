"""A solver-agnostic validator: re-check every hard rule of a roster, recompute its objective,
coverage and KPIs from the roster's shifts and the scenario alone.

It reads only the slot length and requirements of the compiled scenario, never the solver's
candidate shifts, so a roster the solver got wrong cannot pass by construction.
"""

from scheduler.validate.coverage import compute_coverage
from scheduler.validate.hard_rules import HARD_RULES, HardRule, validate_roster
from scheduler.validate.kpis import compute_kpis
from scheduler.validate.objective import ObjectiveBreakdown, objective_breakdown

__all__ = [
    "HARD_RULES",
    "HardRule",
    "ObjectiveBreakdown",
    "compute_coverage",
    "compute_kpis",
    "objective_breakdown",
    "validate_roster",
]
