"""Validated input models. Everything is UTC inside; local rules use each agent's IANA zone."""

from scheduler.domain.agents import (
    Agent,
    AvailabilityWindow,
    DaysOffPreference,
    Preferences,
    StartWindowPreference,
    TimeOff,
)
from scheduler.domain.contracts import BreakRule, Contract
from scheduler.domain.demand import DemandRow
from scheduler.domain.errors import Problem, ScenarioError
from scheduler.domain.horizon import Horizon
from scheduler.domain.policy import ObjectiveWeights, Policy
from scheduler.domain.queues import Queue, ServiceTarget
from scheduler.domain.scenario import Scenario
from scheduler.domain.shift_types import ShiftRequest, ShiftType, ShiftTypeDemand

__all__ = [
    "Agent",
    "AvailabilityWindow",
    "BreakRule",
    "Contract",
    "DaysOffPreference",
    "DemandRow",
    "Horizon",
    "ObjectiveWeights",
    "Policy",
    "Preferences",
    "Problem",
    "Queue",
    "Scenario",
    "ScenarioError",
    "ServiceTarget",
    "ShiftRequest",
    "ShiftType",
    "ShiftTypeDemand",
    "StartWindowPreference",
    "TimeOff",
]
