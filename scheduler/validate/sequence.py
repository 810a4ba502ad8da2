"""Rules on the sequence of an agent's shifts: one per local day and no overlap, rest between
them, bounded runs of consecutive working days, and shift types that may not follow each other."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise

from scheduler.roster import Violation
from scheduler.timeutil import utc_iso
from scheduler.validate.facts import RosterView, ShiftFacts

ONE_SHIFT_PER_DAY = "one_shift_per_day"
REST = "rest"
MAX_CONSECUTIVE_DAYS = "max_consecutive_days"
FORBIDDEN_SUCCESSION = "forbidden_succession"


def _span(fact: ShiftFacts) -> str:
    return f"{utc_iso(fact.shift.start)}–{utc_iso(fact.shift.end)}"


def check_one_shift_per_day(view: RosterView) -> list[Violation]:
    """At most one shift starts on each local date of an agent, and an agent's shifts never
    overlap (so no agent is ever counted twice)."""
    found: list[Violation] = []
    for agent_id, facts in view.by_agent().items():
        per_day: dict[date, list[ShiftFacts]] = defaultdict(list)
        for fact in facts:
            per_day[fact.local_date].append(fact)
        for day, group in sorted(per_day.items()):
            if len(group) > 1:
                found.append(
                    Violation(
                        rule=ONE_SHIFT_PER_DAY,
                        label="at most one shift per local day",
                        agent_id=agent_id,
                        when=day.isoformat(),
                        detail=f"{len(group)} shifts start on local {day.isoformat()}: "
                        + ", ".join(_span(f) for f in group),
                    )
                )
        latest = facts[0]
        for fact in facts[1:]:
            if fact.shift.start < latest.shift.end:
                found.append(
                    Violation(
                        rule=ONE_SHIFT_PER_DAY,
                        label="shifts of one agent never overlap",
                        agent_id=agent_id,
                        when=utc_iso(fact.shift.start),
                        detail=f"shift {_span(fact)} overlaps shift {_span(latest)}",
                    )
                )
            if fact.shift.end > latest.shift.end:
                latest = fact
    return found


def check_rest(view: RosterView) -> list[Violation]:
    """Between consecutive shifts of an agent, at least the contract's rest.

    Overlapping shifts are reported by ``one_shift_per_day``, not here as negative rest.
    """
    found: list[Violation] = []
    for agent_id, facts in view.by_agent().items():
        hours = facts[0].contract.min_rest_hours
        minimum = timedelta(hours=hours)
        for before, after in pairwise(facts):
            gap = after.shift.start - before.shift.end
            if timedelta(0) <= gap < minimum:
                found.append(
                    Violation(
                        rule=REST,
                        label=f"at least {hours:g} h rest between shifts",
                        agent_id=agent_id,
                        when=utc_iso(after.shift.start),
                        detail=f"only {gap / timedelta(hours=1):g} h between shift {_span(before)} "
                        f"and shift {_span(after)}",
                    )
                )
    return found


def check_max_consecutive_days(view: RosterView) -> list[Violation]:
    """No run of local working days longer than the contract allows (one report per run).

    Days outside the horizon count as off: there is no history to extend a run with.
    """
    found: list[Violation] = []
    start = view.scenario.horizon.start
    for agent_id, facts in view.by_agent().items():
        limit = facts[0].contract.max_consecutive_days
        days = sorted({fact.day for fact in facts})
        runs: list[list[int]] = []
        for day in days:
            if runs and day == runs[-1][-1] + 1:
                runs[-1].append(day)
            else:
                runs.append([day])
        for run in runs:
            if len(run) > limit:
                first, last = (start + timedelta(days=d) for d in (run[0], run[-1]))
                found.append(
                    Violation(
                        rule=MAX_CONSECUTIVE_DAYS,
                        label=f"at most {limit} consecutive working days",
                        agent_id=agent_id,
                        when=first.isoformat(),
                        detail=f"works {len(run)} consecutive local days, "
                        f"{first.isoformat()} to {last.isoformat()}",
                    )
                )
    return found


def check_forbidden_succession(view: RosterView) -> list[Violation]:
    """No type listed in another type's ``cannot_follow`` is worked on the local day after it.

    Only pairs of local days inside the horizon are judged: there is no history before it and
    no future after it. Reported on the later day.
    """
    scenario = view.scenario
    forbidden = {(t.id, later) for t in scenario.shift_types for later in t.cannot_follow}
    if not forbidden:
        return []
    found: list[Violation] = []
    for agent_id, facts in view.by_agent().items():
        per_day: dict[int, list[ShiftFacts]] = defaultdict(list)
        for fact in facts:
            if 0 <= fact.day < scenario.horizon.days and fact.shift.shift_type is not None:
                per_day[fact.day].append(fact)
        for day in sorted(per_day):
            for before in per_day[day]:
                for after in per_day.get(day + 1, []):
                    pair = (before.shift.shift_type, after.shift.shift_type)
                    if pair not in forbidden:
                        continue
                    found.append(
                        Violation(
                            rule=FORBIDDEN_SUCCESSION,
                            label=f"no '{pair[1]}' on the day after '{pair[0]}'",
                            agent_id=agent_id,
                            when=after.local_date.isoformat(),
                            detail=f"'{pair[0]}' on {before.local_date.isoformat()} "
                            f"({_span(before)}) is followed by '{pair[1]}' on "
                            f"{after.local_date.isoformat()} ({_span(after)})",
                        )
                    )
    return found
