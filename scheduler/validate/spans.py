"""Rules on what happens inside a shift: the contract's breaks, and working time allocated to
the agent's queues exactly once (breaks are the only gaps)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from itertools import pairwise

from scheduler.domain import BreakRule
from scheduler.roster import BreakSpan, ShiftOut, Span, Violation
from scheduler.timeutil import utc_iso
from scheduler.validate.facts import RosterView, ShiftFacts

BREAKS = "breaks"
ALLOCATION = "allocation"

BREAKS_LABEL = "breaks as the contract requires"
ALLOCATION_LABEL = "working time allocated to the agent's skills, exactly once"


def _text(span: Span | ShiftOut) -> str:
    return f"{utc_iso(span.start)}–{utc_iso(span.end)}"


def _rule_label(rule: BreakRule) -> str:
    return (
        f"a {rule.minutes}-min '{rule.name}' break starting at least {rule.earliest_start_offset} "
        f"min and ending at most {rule.latest_end_offset} min into the shift"
    )


def _break_problems(fact: ShiftFacts, rule: BreakRule, span: BreakSpan) -> list[str]:
    start = fact.shift.start
    problems: list[str] = []
    if span.end - span.start != timedelta(minutes=rule.minutes):
        minutes = (span.end - span.start) / timedelta(minutes=1)
        problems.append(f"'{rule.name}' break {_text(span)} lasts {minutes:g} min")
    earliest = start + timedelta(minutes=rule.earliest_start_offset)
    latest = start + timedelta(minutes=rule.latest_end_offset)
    if span.start < earliest or span.end > latest:
        problems.append(
            f"'{rule.name}' break {_text(span)} is outside its window "
            f"{utc_iso(earliest)}–{utc_iso(latest)}"
        )
    return problems


def _shift_break_problems(fact: ShiftFacts) -> list[tuple[str, datetime, str]]:
    """``(label, when, detail)`` for everything wrong with one shift's breaks."""
    shift = fact.shift
    problems: list[tuple[str, datetime, str]] = []
    by_name: dict[str, list[BreakSpan]] = defaultdict(list)
    for span in shift.breaks:
        by_name[span.name].append(span)
    for rule in fact.contract.breaks_for(fact.minutes):
        label, spans = _rule_label(rule), by_name.pop(rule.name, [])
        if not spans:
            problems.append(
                (label, shift.start, f"shift {_text(shift)} has no '{rule.name}' break")
            )
        elif len(spans) > 1:
            problems.append(
                (
                    label,
                    spans[1].start,
                    f"shift {_text(shift)} has {len(spans)} '{rule.name}' breaks",
                )
            )
        else:
            problems += [(label, spans[0].start, p) for p in _break_problems(fact, rule, spans[0])]
    for name, spans in by_name.items():
        problems.append(
            (
                BREAKS_LABEL,
                spans[0].start,
                f"'{name}' break {_text(spans[0])} is not one a {fact.minutes}-min shift "
                f"gets under contract '{fact.contract.id}'",
            )
        )
    for span in shift.breaks:
        if span.start < shift.start or span.end > shift.end or span.end <= span.start:
            problems.append(
                (
                    BREAKS_LABEL,
                    span.start,
                    f"'{span.name}' break {_text(span)} is not inside shift {_text(shift)}",
                )
            )
    ordered = sorted(shift.breaks, key=lambda s: s.start)
    for before, after in pairwise(ordered):
        if after.start < before.end:
            problems.append(
                (
                    BREAKS_LABEL,
                    after.start,
                    f"breaks '{before.name}' {_text(before)} and '{after.name}' "
                    f"{_text(after)} overlap",
                )
            )
    return problems


def check_breaks(view: RosterView) -> list[Violation]:
    """Each applicable break rule appears exactly once, with its duration, inside its window and
    the shift; breaks do not overlap; no other breaks appear."""
    return [
        Violation(
            rule=BREAKS, label=label, agent_id=fact.agent.id, when=utc_iso(when), detail=detail
        )
        for fact in view.facts
        for label, when, detail in _shift_break_problems(fact)
    ]


def _gaps(start: datetime, end: datetime, spans: list[Span]) -> list[tuple[datetime, datetime]]:
    """Parts of ``[start, end)`` covered by none of ``spans``."""
    gaps: list[tuple[datetime, datetime]] = []
    cursor = start
    for span in sorted(spans, key=lambda s: s.start):
        if span.start > cursor:
            gaps.append((cursor, min(span.start, end)))
        cursor = max(cursor, span.end)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return [(a, b) for a, b in gaps if a < b]


def _allocation_problems(fact: ShiftFacts) -> list[tuple[str | None, datetime, str]]:
    """``(queue, when, detail)`` for everything wrong with one shift's allocation."""
    shift, skills = fact.shift, set(fact.agent.skills)
    problems: list[tuple[str | None, datetime, str]] = []
    for span in shift.allocation:
        where = f"span {_text(span)} on '{span.queue}'"
        if span.end <= span.start:
            problems.append((span.queue, span.start, f"{where} is empty or inverted"))
        elif span.start < shift.start or span.end > shift.end:
            problems.append((span.queue, span.start, f"{where} is not inside shift {_text(shift)}"))
        if span.queue not in skills:
            skill_list = ", ".join(fact.agent.skills)
            problems.append(
                (
                    span.queue,
                    span.start,
                    f"queue '{span.queue}' is not one of the agent's skills ({skill_list})",
                )
            )
        for pause in shift.breaks:
            if max(span.start, pause.start) < min(span.end, pause.end):
                problems.append(
                    (
                        span.queue,
                        max(span.start, pause.start),
                        f"{where} overlaps the '{pause.name}' break {_text(pause)}",
                    )
                )
    ordered = sorted(shift.allocation, key=lambda s: s.start)
    for before, after in pairwise(ordered):
        if after.start < before.end:
            problems.append(
                (
                    after.queue,
                    after.start,
                    f"spans {_text(before)} on '{before.queue}' and {_text(after)} on "
                    f"'{after.queue}' overlap",
                )
            )
    for first, last in _gaps(shift.start, shift.end, [*shift.allocation, *shift.breaks]):
        minutes = (last - first) / timedelta(minutes=1)
        problems.append(
            (
                None,
                first,
                f"{minutes:g} min of shift {_text(shift)} from {utc_iso(first)} to "
                f"{utc_iso(last)} is neither allocated nor a break",
            )
        )
    return problems


def check_allocation(view: RosterView) -> list[Violation]:
    """Allocation spans lie inside the shift, on the agent's skills, overlap neither each other
    nor a break, and with the breaks cover the shift without gaps."""
    return [
        Violation(
            rule=ALLOCATION,
            label=ALLOCATION_LABEL,
            agent_id=fact.agent.id,
            queue=queue,
            when=utc_iso(when),
            detail=detail,
        )
        for fact in view.facts
        for queue, when, detail in _allocation_problems(fact)
    ]
