"""Rules counted per 7-day block of local dates (hours, days off, unsocial shifts) or over the
whole horizon (weekend days). Blocks count from the horizon start date by floor division, so a
shift on the local day before the horizon falls in block −1."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from scheduler.roster import Violation
from scheduler.validate.facts import RosterView, ShiftFacts

MAX_WEEKLY_HOURS = "max_weekly_hours"
MIN_DAYS_OFF = "min_days_off"
MAX_UNSOCIAL_SHIFTS = "max_unsocial_shifts"
MAX_WEEKEND_DAYS = "max_weekend_days"


def _weeks(facts: list[ShiftFacts]) -> dict[int, list[ShiftFacts]]:
    weeks: dict[int, list[ShiftFacts]] = defaultdict(list)
    for fact in facts:
        weeks[fact.week].append(fact)
    return dict(sorted(weeks.items()))


def _block_start(view: RosterView, week: int) -> date:
    return view.scenario.horizon.start + timedelta(days=7 * week)


def check_max_weekly_hours(view: RosterView) -> list[Violation]:
    """Paid minutes per week block stay within ``max_hours_per_week``."""
    found: list[Violation] = []
    for agent_id, facts in view.by_agent().items():
        cap = facts[0].contract.max_hours_per_week
        for week, group in _weeks(facts).items():
            paid = sum(f.paid_minutes for f in group)
            if paid > cap * 60:
                found.append(
                    Violation(
                        rule=MAX_WEEKLY_HOURS,
                        label=f"at most {cap:g} paid hours per week",
                        agent_id=agent_id,
                        when=_block_start(view, week).isoformat(),
                        detail=f"{paid / 60:g} paid hours in the week from "
                        f"{_block_start(view, week).isoformat()}",
                    )
                )
    return found


def check_min_days_off(view: RosterView) -> list[Violation]:
    """Worked local days per week block stay within ``7 − min_days_off_per_week``."""
    found: list[Violation] = []
    for agent_id, facts in view.by_agent().items():
        days_off = facts[0].contract.min_days_off_per_week
        for week, group in _weeks(facts).items():
            worked = len({f.day for f in group})
            if worked > 7 - days_off:
                found.append(
                    Violation(
                        rule=MIN_DAYS_OFF,
                        label=f"at least {days_off} days off per week",
                        agent_id=agent_id,
                        when=_block_start(view, week).isoformat(),
                        detail=f"works {worked} days in the week from "
                        f"{_block_start(view, week).isoformat()}",
                    )
                )
    return found


def check_max_unsocial_shifts(view: RosterView) -> list[Violation]:
    """Unsocial shifts per week block stay within the contract's cap, when it has one."""
    found: list[Violation] = []
    for agent_id, facts in view.by_agent().items():
        cap = facts[0].contract.max_unsocial_shifts_per_week
        if cap is None:
            continue
        for week, group in _weeks(facts).items():
            count = sum(f.unsocial for f in group)
            if count > cap:
                found.append(
                    Violation(
                        rule=MAX_UNSOCIAL_SHIFTS,
                        label=f"at most {cap} unsocial shifts per week",
                        agent_id=agent_id,
                        when=_block_start(view, week).isoformat(),
                        detail=f"{count} unsocial shifts in the week from "
                        f"{_block_start(view, week).isoformat()}",
                    )
                )
    return found


def check_max_weekend_days(view: RosterView) -> list[Violation]:
    """Shifts starting on a local weekend day stay within the contract's cap for the horizon;
    the report points at the first weekend shift over the cap."""
    found: list[Violation] = []
    for agent_id, facts in view.by_agent().items():
        cap = facts[0].contract.max_weekend_days
        weekend = [f for f in facts if f.weekend]
        if cap is None or len(weekend) <= cap:
            continue
        found.append(
            Violation(
                rule=MAX_WEEKEND_DAYS,
                label=f"at most {cap} weekend days per horizon",
                agent_id=agent_id,
                when=weekend[cap].local_date.isoformat(),
                detail=f"{len(weekend)} weekend shifts: "
                + ", ".join(f.local_date.isoformat() for f in weekend),
            )
        )
    return found
