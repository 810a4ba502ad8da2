"""Limits counted over the whole horizon: shifts of each type, total paid minutes, weekends worked.

Every shift of the agent counts, whatever its local date (a free-form shift may start on the
local day before or after the horizon, still inside its UTC window), exactly as the solver sums
every candidate of the agent. Types are read from each shift's ``shift_type``.
"""

from __future__ import annotations

from collections import defaultdict

from scheduler.roster import Violation
from scheduler.validate.facts import RosterView, ShiftFacts

MAX_SHIFTS_PER_TYPE = "max_shifts_per_type"
TOTAL_MINUTES = "total_minutes"
MAX_WEEKENDS = "max_weekends"

TOTAL_LABEL = "total worked minutes within the contract's range"


def check_max_shifts_per_type(view: RosterView) -> list[Violation]:
    """Shifts of each capped type stay within the contract's ``max_shifts_per_type``; the report
    points at the first shift over the cap."""
    found: list[Violation] = []
    for agent_id, facts in view.by_agent().items():
        limits = facts[0].contract.max_shifts_per_type
        for type_id, cap in limits.items():
            worked = [f for f in facts if f.shift.shift_type == type_id]
            if len(worked) <= cap:
                continue
            found.append(
                Violation(
                    rule=MAX_SHIFTS_PER_TYPE,
                    label=f"at most {cap} '{type_id}' shifts per horizon",
                    agent_id=agent_id,
                    when=worked[cap].local_date.isoformat(),
                    detail=f"{len(worked)} '{type_id}' shifts: "
                    + ", ".join(f.local_date.isoformat() for f in worked),
                )
            )
    return found


def _first_over(facts: list[ShiftFacts], cap: int) -> ShiftFacts:
    """The shift whose paid minutes take the running total over ``cap`` (the last one when
    they never do)."""
    total = 0
    for fact in facts:
        total += fact.paid_minutes
        if total > cap:
            return fact
    return facts[-1]


def check_total_minutes(view: RosterView) -> list[Violation]:
    """Paid minutes over the horizon within ``[min_total_minutes, max_total_minutes]``.

    Every agent is judged, those without shifts too (they worked 0 minutes). A shortfall is
    dated at the horizon start; an excess at the shift that crosses the maximum.
    """
    found: list[Violation] = []
    by_agent = view.by_agent()
    horizon_start = view.scenario.horizon.start.isoformat()
    for agent in view.scenario.agents:
        contract = view.scenario.contract(agent.contract)
        low, high = contract.min_total_minutes, contract.max_total_minutes
        facts = by_agent.get(agent.id, [])
        paid = sum(f.paid_minutes for f in facts)
        if low is not None and paid < low:
            found.append(
                Violation(
                    rule=TOTAL_MINUTES,
                    label=f"at least {low} paid minutes per horizon",
                    agent_id=agent.id,
                    when=horizon_start,
                    detail=f"{paid} paid minutes over the horizon, {low - paid} short "
                    f"(contract '{contract.id}')",
                )
            )
        if high is not None and paid > high:
            found.append(
                Violation(
                    rule=TOTAL_MINUTES,
                    label=f"at most {high} paid minutes per horizon",
                    agent_id=agent.id,
                    when=_first_over(facts, high).local_date.isoformat(),
                    detail=f"{paid} paid minutes over the horizon, {paid - high} over "
                    f"(contract '{contract.id}')",
                )
            )
    return found


def weekend_week(view: RosterView, fact: ShiftFacts) -> int:
    """The calendar week (Monday to Sunday) of the shift's local date, numbered from the week
    holding the horizon start date, so the weekend days of one week share a key."""
    return (view.scenario.horizon.start.weekday() + fact.day) // 7


def check_max_weekends(view: RosterView) -> list[Violation]:
    """Weekends with any work (a shift starting on a local weekend day of that calendar week)
    stay within ``max_weekends``; the report points at the first weekend over the cap."""
    found: list[Violation] = []
    for agent_id, facts in view.by_agent().items():
        cap = facts[0].contract.max_weekends
        if cap is None:
            continue
        weekends: dict[int, list[ShiftFacts]] = defaultdict(list)
        for fact in facts:
            if fact.weekend:
                weekends[weekend_week(view, fact)].append(fact)
        if len(weekends) <= cap:
            continue
        firsts = [min(group, key=lambda f: f.day) for _, group in sorted(weekends.items())]
        found.append(
            Violation(
                rule=MAX_WEEKENDS,
                label=f"at most {cap} weekends worked per horizon",
                agent_id=agent_id,
                when=firsts[cap].local_date.isoformat(),
                detail=f"works {len(weekends)} weekends, from "
                + ", ".join(f.local_date.isoformat() for f in firsts),
            )
        )
    return found
