"""The roster's own bookkeeping: each shift names a known agent, uses aware times, and its local
times, local date, zone, site and paid hours agree with what its UTC times and breaks imply.

External tools read these fields instead of recomputing them, so a wrong local date across a
DST change would mislead them even when the UTC times are right.
"""

from __future__ import annotations

from datetime import datetime

from scheduler.domain import Agent
from scheduler.roster import ShiftOut, Violation
from scheduler.timeutil import to_local, utc_iso
from scheduler.validate.facts import RosterView, ShiftFacts
from scheduler.validate.grid import shift_is_aware

SHIFT_FIELDS = "shift_fields"
LABEL = "shift fields agree with the agent and the shift's UTC times"

PAID_HOURS_TOLERANCE = 1e-6


def _same_wall_time(given: datetime, expected: datetime) -> bool:
    """Same instant *and* same UTC offset (a naive value never matches)."""
    return (
        given.utcoffset() is not None
        and given == expected
        and (given.utcoffset() == expected.utcoffset())
    )


def _problems(shift: ShiftOut, agent: Agent | None, facts: ShiftFacts | None) -> list[str]:
    if agent is None:
        return [f"agent '{shift.agent_id}' is not in the scenario"]
    if not shift_is_aware(shift):
        return ["a start, end or span time has no UTC offset"]
    problems: list[str] = []
    if shift.timezone != agent.timezone:
        problems.append(f"timezone '{shift.timezone}' is not the agent's '{agent.timezone}'")
    if shift.site != agent.site:
        problems.append(f"site '{shift.site}' is not the agent's '{agent.site}'")
    for name, given, instant in (
        ("local_start", shift.local_start, shift.start),
        ("local_end", shift.local_end, shift.end),
    ):
        expected = to_local(instant, agent.timezone)
        if not _same_wall_time(given, expected):
            problems.append(f"{name} {given.isoformat()} should be {expected.isoformat()}")
    local_date = to_local(shift.start, agent.timezone).date().isoformat()
    if shift.local_date != local_date:
        problems.append(f"local_date {shift.local_date} should be {local_date}")
    if facts is not None and abs(shift.paid_hours - facts.paid_minutes / 60) > PAID_HOURS_TOLERANCE:
        problems.append(f"paid_hours {shift.paid_hours:g} should be {facts.paid_minutes / 60:g}")
    return problems


def check_shift_fields(view: RosterView) -> list[Violation]:
    """Every shift's derived fields agree with its agent and its UTC times."""
    agents = {agent.id: agent for agent in view.scenario.agents}
    facts = {id(fact.shift): fact for fact in view.facts}
    found: list[Violation] = []
    for shift in view.shifts:
        when = utc_iso(shift.start) if shift.start.tzinfo is not None else shift.start.isoformat()
        found += [
            Violation(rule=SHIFT_FIELDS, label=LABEL, agent_id=shift.agent_id, when=when, detail=p)
            for p in _problems(shift, agents.get(shift.agent_id), facts.get(id(shift)))
        ]
    return found
