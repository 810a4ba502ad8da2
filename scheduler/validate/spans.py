"""Rules on what happens inside a shift: the contract's breaks, and working time allocated to
the agent's queues exactly once (breaks are the only gaps; an agent without skills works shift
types only and allocates nothing)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from itertools import pairwise
from typing import NamedTuple

from scheduler.domain import BreakRule
from scheduler.roster import BreakSpan, ShiftOut, Span, Violation
from scheduler.timeutil import utc_iso
from scheduler.validate.facts import RosterView, ShiftFacts

BREAKS = "breaks"
ALLOCATION = "allocation"

BREAKS_LABEL = "breaks as the contract requires"
ALLOCATION_LABEL = "working time allocated to the agent's skills, exactly once"


class _Finding(NamedTuple):
    """One thing wrong inside a shift, before it becomes a :class:`Violation`."""

    when: datetime
    detail: str
    label: str
    queue: str | None = None


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


def _shift_break_problems(fact: ShiftFacts) -> list[_Finding]:
    """Everything wrong with one shift's breaks."""
    shift = fact.shift
    found: list[_Finding] = []
    by_name: dict[str, list[BreakSpan]] = defaultdict(list)
    for span in shift.breaks:
        by_name[span.name].append(span)
    for rule in fact.contract.breaks_for(fact.minutes):
        label, spans = _rule_label(rule), by_name.pop(rule.name, [])
        if not spans:
            found.append(_Finding(shift.start, f"no '{rule.name}' break in {_text(shift)}", label))
        elif len(spans) > 1:
            detail = f"{len(spans)} '{rule.name}' breaks in {_text(shift)}"
            found.append(_Finding(spans[1].start, detail, label))
        else:
            found += [
                _Finding(spans[0].start, p, label) for p in _break_problems(fact, rule, spans[0])
            ]
    for name, spans in by_name.items():
        detail = (
            f"'{name}' break {_text(spans[0])} is not one a {fact.minutes}-min shift gets under "
            f"contract '{fact.contract.id}'"
        )
        found.append(_Finding(spans[0].start, detail, BREAKS_LABEL))
    for span in shift.breaks:
        if span.start < shift.start or span.end > shift.end or span.end <= span.start:
            detail = f"'{span.name}' break {_text(span)} is not inside shift {_text(shift)}"
            found.append(_Finding(span.start, detail, BREAKS_LABEL))
    for before, after in pairwise(sorted(shift.breaks, key=lambda s: s.start)):
        if after.start < before.end:
            detail = f"breaks {_text(before)} and {_text(after)} overlap"
            found.append(_Finding(after.start, detail, BREAKS_LABEL))
    return found


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


def _allocation_problems(fact: ShiftFacts) -> list[_Finding]:
    """Everything wrong with one shift's allocation."""
    shift, skills = fact.shift, set(fact.agent.skills)
    found: list[_Finding] = []

    def add(when: datetime, detail: str, queue: str | None) -> None:
        found.append(_Finding(when, detail, ALLOCATION_LABEL, queue))

    for span in shift.allocation:
        where = f"span {_text(span)} on '{span.queue}'"
        if span.end <= span.start:
            add(span.start, f"{where} is empty or inverted", span.queue)
        elif span.start < shift.start or span.end > shift.end:
            add(span.start, f"{where} is not inside shift {_text(shift)}", span.queue)
        if span.queue not in skills:
            detail = (
                f"'{span.queue}' is not one of the agent's skills ({', '.join(fact.agent.skills)})"
                if skills
                else f"the agent has no skills, so nothing goes to '{span.queue}'"
            )
            add(span.start, detail, span.queue)
        for pause in shift.breaks:
            if max(span.start, pause.start) < min(span.end, pause.end):
                detail = f"{where} overlaps the '{pause.name}' break {_text(pause)}"
                add(max(span.start, pause.start), detail, span.queue)
    for before, after in pairwise(sorted(shift.allocation, key=lambda s: s.start)):
        if after.start < before.end:
            detail = f"spans {_text(before)} on '{before.queue}' and {_text(after)} overlap"
            add(after.start, detail, after.queue)
    if not skills:  # works shift types only: the working time belongs to no queue
        return found
    for first, last in _gaps(shift.start, shift.end, [*shift.allocation, *shift.breaks]):
        minutes = (last - first) / timedelta(minutes=1)
        add(first, f"{minutes:g} min from {utc_iso(first)} is neither allocated nor a break", None)
    return found


def _violations(rule: str, fact: ShiftFacts, findings: list[_Finding]) -> list[Violation]:
    return [
        Violation(
            rule=rule,
            label=f.label,
            agent_id=fact.agent.id,
            queue=f.queue,
            when=utc_iso(f.when),
            detail=f.detail,
        )
        for f in findings
    ]


def check_breaks(view: RosterView) -> list[Violation]:
    """Each applicable break rule appears exactly once, with its duration, inside its window and
    the shift; breaks do not overlap; no other breaks appear."""
    return [v for f in view.facts for v in _violations(BREAKS, f, _shift_break_problems(f))]


def check_allocation(view: RosterView) -> list[Violation]:
    """Allocation spans lie inside the shift, on the agent's skills, overlap neither each other
    nor a break, and with the breaks cover the shift without gaps (an agent without skills has
    no allocation at all)."""
    return [v for f in view.facts for v in _violations(ALLOCATION, f, _allocation_problems(f))]
