"""What each roster shift *is* in its agent's local world: local date, day index, paid and
unsocial minutes, weekend. Every rule and cost term reads these, so DST is handled once.

A shift belongs to the local date of its start; day indexes count local dates from the horizon's
start date (−1 west of UTC on the first evening, ``days`` east of UTC on the last morning).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from scheduler.domain import Agent, Contract, Policy, Scenario
from scheduler.roster import CoverageRow, ShiftOut
from scheduler.timeutil import minute_of_day, minutes_between, to_local
from scheduler.validate.grid import Grid, shift_is_aware


@dataclass(frozen=True)
class ShiftFacts:
    """One roster shift with its agent, contract and local-time measurements."""

    shift: ShiftOut
    agent: Agent
    contract: Contract
    minutes: int
    local_start: datetime
    day: int
    paid_minutes: int
    unsocial_minutes: int
    unsocial: bool
    weekend: bool

    @property
    def local_date(self) -> date:
        return self.local_start.date()

    @property
    def week(self) -> int:
        """7-day block of local dates counted from the horizon start date (floor division)."""
        return self.day // 7

    @property
    def local_start_minute(self) -> int:
        return minute_of_day(self.local_start)


@dataclass(frozen=True)
class RosterView:
    """A roster prepared for judging: the raw shifts and coverage, and facts of usable shifts.

    ``facts`` holds the shifts whose agent exists and whose times are aware, ordered by agent (in
    scenario order) and start; the others are reported by the ``shift_fields`` rule.
    """

    scenario: Scenario
    grid: Grid
    shifts: tuple[ShiftOut, ...]
    coverage: tuple[CoverageRow, ...]
    facts: tuple[ShiftFacts, ...]

    def by_agent(self) -> dict[str, list[ShiftFacts]]:
        """Facts per agent id, each list ordered by start (agents without shifts are absent)."""
        grouped: dict[str, list[ShiftFacts]] = {}
        for fact in self.facts:
            grouped.setdefault(fact.agent.id, []).append(fact)
        return grouped


def slot_pieces(start: datetime, end: datetime, slot: int) -> Iterator[tuple[datetime, int]]:
    """Cut ``[start, end)`` into ``slot``-minute pieces from ``start`` (the last may be shorter).

    Local questions are asked at each piece's start, exactly as the solver samples its clock at
    every slot boundary, so a DST jump inside a shift is seen where it happens.
    """
    step = timedelta(minutes=slot)
    moment = start
    while moment < end:
        following = min(moment + step, end)
        yield moment, minutes_between(moment, following)
        moment = following


def unsocial_minutes(
    policy: Policy, timezone: str, start: datetime, end: datetime, slot: int
) -> int:
    """Minutes of ``[start, end)`` whose local wall-clock time lies in the unsocial window."""
    return sum(
        length
        for moment, length in slot_pieces(start, end, slot)
        if policy.is_unsocial(minute_of_day(to_local(moment, timezone)))
    )


def shift_facts(scenario: Scenario, shift: ShiftOut, agent: Agent, slot: int) -> ShiftFacts:
    """Measure ``shift`` of ``agent``; paid minutes subtract the roster's unpaid breaks.

    A break whose name matches none of the contract's rules counts as unpaid (the ``breaks`` rule
    reports it), so paid time is never overstated.
    """
    contract = scenario.contract(agent.contract)
    policy = scenario.policy
    minutes = minutes_between(shift.start, shift.end)
    paid_rules = {rule.name for rule in contract.breaks if rule.paid}
    unpaid = sum(
        max(0, minutes_between(span.start, span.end))
        for span in shift.breaks
        if span.name not in paid_rules
    )
    local_start = to_local(shift.start, agent.timezone)
    unsocial = unsocial_minutes(policy, agent.timezone, shift.start, shift.end, slot)
    return ShiftFacts(
        shift=shift,
        agent=agent,
        contract=contract,
        minutes=minutes,
        local_start=local_start,
        day=(local_start.date() - scenario.horizon.start).days,
        paid_minutes=minutes - unpaid,
        unsocial_minutes=unsocial,
        unsocial=minutes > 0 and unsocial >= min(policy.unsocial_shift_minutes, minutes),
        weekend=local_start.weekday() in policy.weekend_days,
    )


def view_of(
    scenario: Scenario,
    grid: Grid,
    shifts: Sequence[ShiftOut],
    coverage: Sequence[CoverageRow] = (),
) -> RosterView:
    """Prepare ``shifts`` (and optional coverage rows) of a roster for the rules and terms."""
    agents = {agent.id: (position, agent) for position, agent in enumerate(scenario.agents)}
    usable = [s for s in shifts if s.agent_id in agents and shift_is_aware(s)]
    usable.sort(key=lambda s: (agents[s.agent_id][0], s.start, s.end))
    facts = tuple(shift_facts(scenario, s, agents[s.agent_id][1], grid.slot) for s in usable)
    return RosterView(scenario, grid, tuple(shifts), tuple(coverage), facts)
