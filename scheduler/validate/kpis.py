"""Roster KPIs in agent-hours and currency, computed from the shifts alone.

The solver fills ``Roster.kpis`` with :func:`compute_kpis`, so reports, the CLI and the API all
read one definition. Staffing KPIs use the objective's measures (agent-slots against required
agent-slots), with email judged on late work rather than per-interval gaps.
"""

from __future__ import annotations

from collections.abc import Sequence

from scheduler.domain import Scenario
from scheduler.model.problem import Problem
from scheduler.roster import AgentHours, Kpis, ShiftOut
from scheduler.validate.facts import RosterView, view_of
from scheduler.validate.grid import allocated_minutes, grid_of
from scheduler.validate.service import Service, queue_service


def compute_kpis(
    scenario: Scenario,
    shifts: Sequence[ShiftOut],
    lower_bound_hours: float | None,
    *,
    problem: Problem | None = None,
) -> Kpis:
    """KPIs of a roster's shifts.

    Parameters
    ----------
    scenario:
        The validated scenario the shifts were planned for.
    shifts:
        The roster's shifts (allocation and breaks are read).
    lower_bound_hours:
        The solver's proven lower bound on under-staffed hours, passed through (None if unknown).
    problem:
        The compiled scenario, when the caller already has it (only slot and requirements read).

    Returns
    -------
    Kpis
        ``under_staffed_hours``: live agent-hours short of the requirement plus email work that
        ends up late (the rises of the overdue backlog); ``over_staffed_hours``: live agent-hours
        above it plus email work done before it arrived (the rises of that excess);
        ``coverage_ratio``: required live agent-hours met plus email work due in the horizon and
        done on time, over both requirements (1.0 when nothing is required); cost, unsocial and
        paid hours over all shifts; hours per agent for every agent of the scenario.
    """
    grid = grid_of(scenario, problem)
    view = view_of(scenario, grid, shifts)
    covered = allocated_minutes(grid, shifts) / grid.slot
    services: dict[str, Service] = {
        queue.id: queue_service(
            queue,
            covered[q],
            grid.required_units[q],
            grid.slots_per_interval,
            grid.interval_minutes,
        )
        for q, queue in enumerate(grid.queues)
    }
    to_hours = grid.slot / 60
    met = sum(s.met for s in services.values())
    due = sum(s.due for s in services.values())
    return Kpis(
        under_staffed_hours=sum(s.short for s in services.values()) * to_hours,
        over_staffed_hours=sum(s.excess for s in services.values()) * to_hours,
        under_staffed_lower_bound_hours=lower_bound_hours,
        coverage_ratio=met / due if due > 0 else 1.0,
        labour_cost=sum(f.agent.cost_per_hour * f.paid_minutes / 60 for f in view.facts),
        unsocial_hours=sum(f.unsocial_minutes for f in view.facts) / 60,
        paid_hours=sum(f.paid_minutes for f in view.facts) / 60,
        hours_per_agent=_hours_per_agent(view),
        under_staffed_hours_by_queue={q: s.short * to_hours for q, s in services.items()},
    )


def _hours_per_agent(view: RosterView) -> list[AgentHours]:
    """One row per agent of the scenario, in scenario order, idle agents included."""
    by_agent = view.by_agent()
    rows: list[AgentHours] = []
    for agent in view.scenario.agents:
        facts = by_agent.get(agent.id, [])
        rows.append(
            AgentHours(
                agent_id=agent.id,
                site=agent.site,
                shifts=len(facts),
                paid_hours=sum(f.paid_minutes for f in facts) / 60,
                unsocial_hours=sum(f.unsocial_minutes for f in facts) / 60,
                weekend_shifts=sum(f.weekend for f in facts),
            )
        )
    return rows
