"""The objective recomputed from a roster, term by term, in the solver's points.

Each term follows the CP-SAT model's definition exactly (the model keeps 1/60 points as integers;
this reports plain floats), so ``total`` should equal the solver's objective for its own roster:
a mismatch means the model and this reading of the rules disagree.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import timedelta

from pydantic import BaseModel, ConfigDict

from scheduler.domain import Agent, Scenario
from scheduler.model.problem import Problem
from scheduler.roster import Roster
from scheduler.validate.facts import RosterView, ShiftFacts, view_of
from scheduler.validate.grid import allocated_minutes, grid_of
from scheduler.validate.service import queue_service


class ObjectiveBreakdown(BaseModel):
    """Objective points per term and their sum: one term per soft goal of
    :class:`ObjectiveWeights`, then shift-type cover and shift requests, which carry their own
    weights on each ``shift_demand`` row and request."""

    model_config = ConfigDict(frozen=True)

    under_staffing: float
    over_staffing: float
    min_hours_shortfall: float
    labour_cost: float
    unsocial_hours: float
    preferences: float
    fairness: float
    shift_type_cover: float
    shift_requests: float
    total: float


def objective_breakdown(
    scenario: Scenario, roster: Roster, *, problem: Problem | None = None
) -> ObjectiveBreakdown:
    """Recompute the objective of ``roster`` from its shifts, allocation and breaks.

    Parameters
    ----------
    scenario:
        The validated scenario the roster answers.
    roster:
        Its shifts are read; its coverage rows, KPIs and reported objective are not.
    problem:
        The compiled scenario, when the caller already has it (only slot and requirements read).

    Returns
    -------
    ObjectiveBreakdown
        Points per term and ``total``; shifts of unknown agents or with naive times are left
        out of the per-agent terms (``validate_roster`` reports them).
    """
    grid = grid_of(scenario, problem)
    view = view_of(scenario, grid, roster.shifts)
    under, over = _staffing_points(view)
    terms = {
        "under_staffing": under,
        "over_staffing": over,
        "min_hours_shortfall": _min_hours_points(view),
        "labour_cost": _labour_cost_points(view),
        "unsocial_hours": _unsocial_points(view),
        "preferences": _preference_points(view),
        "fairness": _fairness_points(view),
        "shift_type_cover": _type_cover_points(view),
        "shift_requests": _request_points(view),
    }
    return ObjectiveBreakdown(**terms, total=sum(terms.values()))


def _staffing_points(view: RosterView) -> tuple[float, float]:
    """Under- and over-staffing points over all queues (under scaled by queue priority)."""
    grid, weights = view.grid, view.scenario.policy.weights
    covered = allocated_minutes(grid, view.shifts) / grid.slot
    per_slot_hour = grid.slot / 60
    under = over = 0.0
    for q, queue in enumerate(grid.queues):
        service = queue_service(
            queue,
            covered[q],
            grid.required_units[q],
            grid.slots_per_interval,
            grid.interval_minutes,
        )
        under += weights.under_staffing * queue.priority * per_slot_hour * service.under_weighted
        over += weights.over_staffing * per_slot_hour * service.over
    return under, over


def _target_slots(minimum_hours: float, days_counted: int, slot: int) -> int:
    """A week block's minimum in slots, prorated by its counted days.

    >>> _target_slots(32, 7, 60), _target_slots(32, 3, 60)
    (32, 14)
    """
    return math.ceil(minimum_hours * 60 * days_counted / 7 / slot - 1e-9)


def _counted_days(view: RosterView, agent: Agent, week: int) -> int:
    """Days of block ``week`` inside the horizon that are not the agent's time off."""
    horizon = view.scenario.horizon
    return sum(
        1
        for day in range(7 * week, min(7 * week + 7, horizon.days))
        if not agent.is_off(horizon.start + timedelta(days=day))
    )


def _min_hours_points(view: RosterView) -> float:
    """Shortfall under each agent's prorated weekly minimum, in slots; only shifts whose local
    day lies inside the horizon count towards it."""
    scenario, slot = view.scenario, view.grid.slot
    days = scenario.horizon.days
    worked: dict[tuple[str, int], float] = defaultdict(float)
    for fact in view.facts:
        if 0 <= fact.day < days:
            worked[(fact.agent.id, fact.week)] += fact.paid_minutes / slot
    shortfall = 0.0
    for agent in scenario.agents:
        minimum = scenario.contract(agent.contract).min_hours_per_week
        for week in range(math.ceil(days / 7)):
            target = _target_slots(minimum, _counted_days(view, agent, week), slot)
            shortfall += max(0.0, target - worked[(agent.id, week)])
    return scenario.policy.weights.min_hours_shortfall * slot / 60 * shortfall


def _labour_cost_points(view: RosterView) -> float:
    """Cost per shift, rounded to 1/60 point as the model does."""
    weight = view.scenario.policy.weights.labour_cost
    return sum(
        round(60 * weight * (f.agent.cost_per_hour * f.paid_minutes / 60)) / 60 for f in view.facts
    )


def _unsocial_points(view: RosterView) -> float:
    weight = view.scenario.policy.weights.unsocial_hours
    return weight * sum(f.unsocial_minutes for f in view.facts) / 60


def _preference_penalty(fact: ShiftFacts) -> int:
    """The shift's broken preferences, each at its own weight."""
    prefs = fact.agent.preferences
    penalty = 0
    window = prefs.start_window
    if window and not window.earliest <= fact.local_start_minute <= window.latest:
        penalty += window.weight
    if prefs.days_off and fact.local_start.weekday() in prefs.days_off.weekdays:
        penalty += prefs.days_off.weight
    return penalty


def _preference_points(view: RosterView) -> float:
    weight = view.scenario.policy.weights.preferences
    return float(weight * sum(_preference_penalty(f) for f in view.facts))


def _fairness_points(view: RosterView) -> float:
    """Spread (max − min) of paid hours, weekend shifts and unsocial shifts among the agents of
    each contract with two or more agents, counting agents without shifts as zero."""
    scenario = view.scenario
    paid: dict[str, int] = defaultdict(int)
    weekends: dict[str, int] = defaultdict(int)
    unsocial: dict[str, int] = defaultdict(int)
    for fact in view.facts:
        paid[fact.agent.id] += fact.paid_minutes
        weekends[fact.agent.id] += fact.weekend
        unsocial[fact.agent.id] += fact.unsocial
    peers: dict[str, list[str]] = defaultdict(list)
    for agent in scenario.agents:
        peers[agent.contract].append(agent.id)
    spread = 0.0
    for agents in peers.values():
        if len(agents) < 2:
            continue
        for measure, unit in ((paid, 60.0), (weekends, 1.0), (unsocial, 1.0)):
            values = [measure[a] for a in agents]
            spread += (max(values) - min(values)) / unit
    return scenario.policy.weights.fairness * spread


def _typed_days(view: RosterView) -> dict[str, set[tuple[str, int]]]:
    """Per agent id, the (shift type, local day index) pairs it works."""
    worked: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for fact in view.facts:
        if fact.shift.shift_type is not None:
            worked[fact.agent.id].add((fact.shift.shift_type, fact.day))
    return worked


def _type_cover_points(view: RosterView) -> float:
    """Per ``shift_demand`` row, each agent short of ``required`` on that type and local date
    costs ``under_weight`` and each agent over costs ``over_weight``."""
    scenario = view.scenario
    staffed: dict[tuple[str, int], int] = defaultdict(int)
    for fact in view.facts:
        if fact.shift.shift_type is not None:
            staffed[(fact.shift.shift_type, fact.day)] += 1
    points = 0
    for row in scenario.shift_demand:
        have = staffed[(row.shift_type, (row.date - scenario.horizon.start).days)]
        points += row.under_weight * max(0, row.required - have)
        points += row.over_weight * max(0, have - row.required)
    return float(points)


def _request_points(view: RosterView) -> float:
    """Each unmet shift request costs its weight: an "on" request is unmet unless the agent
    works that type on that local date, an "off" request is unmet if they do."""
    start = view.scenario.horizon.start
    worked = _typed_days(view)
    points = 0
    for agent in view.scenario.agents:
        for request in agent.shift_requests:
            works = (request.shift_type, (request.date - start).days) in worked[agent.id]
            if works != (request.kind == "on"):
                points += request.weight
    return float(points)
