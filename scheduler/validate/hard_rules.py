"""Every hard rule of a roster, re-checked from the roster and the scenario alone.

The solver builds only legal shifts, so on its own output this should always return ``[]``; it
exists to catch the day that stops being true (a post-solve assertion and the property tests
use it) and to judge rosters edited by hand or produced elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scheduler.domain import Scenario
from scheduler.model.problem import Problem
from scheduler.roster import Roster, Violation
from scheduler.validate import consistency, fields, runs, sequence, shape, spans, totals, weekly
from scheduler.validate.facts import RosterView, view_of
from scheduler.validate.grid import grid_of

Check = Callable[[RosterView], list[Violation]]


@dataclass(frozen=True)
class HardRule:
    """A rule key (shared with the solver's explanations) and the check that reports it."""

    key: str
    check: Check


#: The hard rules, in the order their violations are reported.
HARD_RULES: tuple[HardRule, ...] = (
    HardRule(fields.SHIFT_FIELDS, fields.check_shift_fields),
    HardRule(shape.HORIZON, shape.check_horizon),
    HardRule(shape.CONTRACT_SHAPE, shape.check_contract_shape),
    HardRule(shape.SHIFT_TYPE_SHAPE, shape.check_shift_type_shape),
    HardRule(shape.AVAILABILITY, shape.check_availability),
    HardRule(shape.TIME_OFF, shape.check_time_off),
    HardRule(sequence.ONE_SHIFT_PER_DAY, sequence.check_one_shift_per_day),
    HardRule(sequence.REST, sequence.check_rest),
    HardRule(sequence.FORBIDDEN_SUCCESSION, sequence.check_forbidden_succession),
    HardRule(weekly.MAX_WEEKLY_HOURS, weekly.check_max_weekly_hours),
    HardRule(sequence.MAX_CONSECUTIVE_DAYS, sequence.check_max_consecutive_days),
    HardRule(runs.MIN_CONSECUTIVE_DAYS, runs.check_min_consecutive_days),
    HardRule(runs.MIN_CONSECUTIVE_DAYS_OFF, runs.check_min_consecutive_days_off),
    HardRule(weekly.MIN_DAYS_OFF, weekly.check_min_days_off),
    HardRule(weekly.MAX_UNSOCIAL_SHIFTS, weekly.check_max_unsocial_shifts),
    HardRule(weekly.MAX_WEEKEND_DAYS, weekly.check_max_weekend_days),
    HardRule(totals.MAX_WEEKENDS, totals.check_max_weekends),
    HardRule(totals.MAX_SHIFTS_PER_TYPE, totals.check_max_shifts_per_type),
    HardRule(totals.TOTAL_MINUTES, totals.check_total_minutes),
    HardRule(spans.BREAKS, spans.check_breaks),
    HardRule(spans.ALLOCATION, spans.check_allocation),
    HardRule(consistency.COVERAGE_CONSISTENCY, consistency.check_coverage_consistency),
)


def validate_roster(
    scenario: Scenario, roster: Roster, *, problem: Problem | None = None
) -> list[Violation]:
    """Every hard-rule violation of ``roster`` under ``scenario``; an empty list means valid.

    Parameters
    ----------
    scenario:
        The validated scenario the roster claims to answer.
    roster:
        The roster to judge: its shifts (with allocation and breaks) and, when present, its
        coverage rows. Its objective and KPIs are not read.
    problem:
        The compiled scenario, when the caller already has it; only its slot and requirements
        are read, never its candidate shifts.

    Returns
    -------
    list[Violation]
        One entry per broken rule instance, grouped by rule in :data:`HARD_RULES` order, each
        naming the rule key and label, the agent or queue, and the UTC time or local date.
    """
    view = view_of(scenario, grid_of(scenario, problem), roster.shifts, roster.coverage)
    return [violation for rule in HARD_RULES for violation in rule.check(view)]
