"""Run the scenario-wide checks over items read from files, and point their problems back.

:class:`~scheduler.domain.Scenario` owns the cross-reference rules (ids defined once, skills
and contracts defined, demand on the grid and complete). Its problems name list positions such
as ``agents[3].contract``; here they are mapped onto the user's files (``agents.csv:5 column
contract``), using stand-ins for invalid items so one bad row does not cascade into false
alarms about everything that refers to it.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from scheduler.domain import Horizon, Policy, Problem, Scenario
from scheduler.io.entries import Section
from scheduler.io.errors import json_path, nested_scenario_errors, problems_from_validation

SECTIONS = ("queues", "contracts", "agents", "demand", "shift_types", "shift_demand")
_POSITIONED = re.compile(
    r"^(queues|contracts|agents|demand|shift_types|shift_demand)\[(\d+)\](?:\.(\w+))?$"
)
# Scenario words its "missing intervals" problem this way; it is only a consequence of a demand
# row already reported as invalid when that row's queue is the problem's item.
_MISSING_INTERVALS = "have no demand row"


class _Remapper:
    """Translate Scenario problem locations into locations in the user's files."""

    def __init__(self, sections: dict[str, Section]) -> None:
        self.sections = sections
        # positions[name][k] = index in section.entries of the k-th item given to Scenario
        self.positions = {
            name: [i for i, entry in enumerate(section.entries) if entry.usable is not None]
            for name, section in sections.items()
        }

    def remap(self, problem: Problem) -> Problem:
        match = _POSITIONED.match(problem.where)
        if match:
            name, index, field = match.group(1), int(match.group(2)), match.group(3)
            entry = self.sections[name].entries[self.positions[name][index]]
            return Problem(entry.locate((field,) if field else ()), problem.message, problem.item)
        if problem.where in self.sections:
            section = self.sections[problem.where]
            if problem.item and problem.where != "demand":
                return self._duplicate(section, problem)
            return Problem(section.where, problem.message, problem.item)
        return problem

    def _duplicate(self, section: Section, problem: Problem) -> Problem:
        """Point a duplicate-id problem at the second definition and list them all."""
        places = [entry.locate(("id",)) for entry in section.entries if entry.item == problem.item]
        if len(places) < 2:
            return Problem(section.where, problem.message, problem.item)
        return Problem(places[1], f"{problem.message} ({', '.join(places)})", problem.item)


def _dropped_demand_queues(section: Section) -> set[str]:
    return {
        entry.item for entry in section.entries if entry.usable is None and entry.item is not None
    }


def check_scenario(
    name: Any, horizon: Horizon, policy: Policy | None, sections: dict[str, Section]
) -> tuple[Scenario | None, list[Problem]]:
    """Build the scenario from the sections' items and map every problem onto the files.

    Parameters
    ----------
    name, horizon, policy:
        Already-validated top-level values (``policy`` None means the default).
    sections:
        The four lists, keyed by section name, each entry with its model or stand-in.

    Returns
    -------
    tuple[Scenario | None, list[Problem]]
        The scenario when every item was valid and no cross-reference fails, else None, and
        the cross-reference problems (already-reported item problems are not repeated).
    """
    remapper = _Remapper(sections)
    payload: dict[str, Any] = {
        section: [entry.usable for entry in sections[section].entries if entry.usable is not None]
        for section in SECTIONS
    }
    payload.update(name=name, horizon=horizon)
    if policy is not None:
        payload["policy"] = policy
    try:
        scenario = Scenario.model_validate(payload)
    except ValidationError as error:
        problems = [
            problem
            for problem in problems_from_validation(error, json_path)
            # An empty list after dropping invalid items was already explained by those items.
            if not (problem.where in sections and sections[problem.where].has_invalid)
        ]
        problems = [remapper.remap(problem) for problem in problems]
        dropped = _dropped_demand_queues(sections["demand"])
        for scenario_error in nested_scenario_errors(error):
            for problem in scenario_error.problems:
                consequence = problem.where == "demand" and problem.item in dropped
                if consequence and _MISSING_INTERVALS in problem.message:
                    continue
                problems.append(remapper.remap(problem))
        return None, problems
    if any(section.has_invalid for section in sections.values()):
        return None, []
    return scenario, []
