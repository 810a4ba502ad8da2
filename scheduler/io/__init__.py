"""Reading and writing scenarios: JSON files, demand and agent CSVs, and their JSON Schema.

Every loader reports all problems at once as a :class:`~scheduler.domain.ScenarioError`, each
:class:`~scheduler.domain.Problem` located in the user's own file.
"""

from scheduler.io.agents_csv import load_agents_csv, write_agents_csv
from scheduler.io.cells import CellFormatError
from scheduler.io.demand_csv import load_demand_csv, write_demand_csv
from scheduler.io.scenario_file import dump_scenario, load_scenario
from scheduler.io.schema import scenario_file_schema

__all__ = [
    "CellFormatError",
    "dump_scenario",
    "load_agents_csv",
    "load_demand_csv",
    "load_scenario",
    "scenario_file_schema",
    "write_agents_csv",
    "write_demand_csv",
]
