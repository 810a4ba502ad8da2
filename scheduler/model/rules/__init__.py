"""Every rule of the roster, one module each; this list says which are hard and which soft.

A hard rule adds constraints (guarded by an enforcement literal when explaining infeasibility);
a soft rule returns its weighted objective term.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scheduler.model import coverage
from scheduler.model.context import BuildContext
from scheduler.model.rules import (
    consecutive_days,
    days_off,
    fairness,
    one_shift_per_day,
    requests,
    rest,
    run_pattern,
    runs,
    shift_costs,
    shift_type_limits,
    successions,
    type_cover,
    unsocial_shifts,
    weekends,
    weekly_hours,
)
from scheduler.model.variables import Expr


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    hard: bool
    build: Callable[[BuildContext], Expr]


RULES: tuple[Rule, ...] = (
    Rule(one_shift_per_day.KEY, one_shift_per_day.LABEL, True, one_shift_per_day.build),
    Rule(rest.KEY, rest.LABEL, True, rest.build),
    Rule(weekly_hours.KEY, weekly_hours.LABEL, True, weekly_hours.build),
    Rule(consecutive_days.KEY, consecutive_days.LABEL, True, consecutive_days.build),
    Rule(days_off.KEY, days_off.LABEL, True, days_off.build),
    Rule(unsocial_shifts.KEY, unsocial_shifts.LABEL, True, unsocial_shifts.build),
    Rule(
        unsocial_shifts.WEEKEND_KEY,
        unsocial_shifts.WEEKEND_LABEL,
        True,
        unsocial_shifts.build_weekend,
    ),
    Rule(shift_type_limits.KEY, shift_type_limits.LABEL, True, shift_type_limits.build),
    Rule(
        shift_type_limits.TOTAL_KEY,
        shift_type_limits.TOTAL_LABEL,
        True,
        shift_type_limits.build_total,
    ),
    Rule(successions.KEY, successions.LABEL, True, successions.build),
    Rule(runs.WORK_KEY + "+off", "shortest runs of working days and days off", True, runs.build),
    Rule(run_pattern.KEY, run_pattern.LABEL, True, run_pattern.build),
    Rule(weekends.KEY, weekends.LABEL, True, weekends.build),
    Rule(coverage.KEY, coverage.LABEL, False, coverage.build),
    Rule(type_cover.KEY, type_cover.LABEL, False, type_cover.build),
    Rule(requests.KEY, requests.LABEL, False, requests.build),
    Rule(weekly_hours.MIN_KEY, weekly_hours.MIN_LABEL, False, weekly_hours.build_minimum),
    Rule(shift_costs.LABOUR_KEY, shift_costs.LABOUR_LABEL, False, shift_costs.build_labour_cost),
    Rule(
        shift_costs.UNSOCIAL_KEY,
        shift_costs.UNSOCIAL_LABEL,
        False,
        shift_costs.build_unsocial_hours,
    ),
    Rule(
        shift_costs.PREFERENCE_KEY,
        shift_costs.PREFERENCE_LABEL,
        False,
        shift_costs.build_preferences,
    ),
    Rule(fairness.KEY, fairness.LABEL, False, fairness.build),
)

LABELS: dict[str, str] = {rule.key: rule.label for rule in RULES} | {
    runs.WORK_KEY: runs.WORK_LABEL,
    runs.OFF_KEY: runs.OFF_LABEL,
}
