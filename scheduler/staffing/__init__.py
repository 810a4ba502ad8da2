"""Staffing maths: Erlang B/C headcount for live queues, workload for email, capacity estimates.

Pure functions with no solver or I/O; the model builder turns forecasts into required agents
with :func:`required_headcount`, the CLI exposes :func:`staff_interval` and
:func:`estimate_capacity`.
"""

from scheduler.staffing.capacity import CapacityEstimate, estimate_capacity
from scheduler.staffing.channels import (
    Channel,
    email_workload_minutes,
    required_headcount,
    workload_to_agents,
)
from scheduler.staffing.erlang import (
    StaffingInputError,
    StaffingResult,
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    occupancy,
    required_agents,
    required_agents_array,
    required_agents_for_asa,
    scheduled_agents,
    service_level,
    staff_interval,
    traffic_intensity,
)

__all__ = [
    "CapacityEstimate",
    "Channel",
    "StaffingInputError",
    "StaffingResult",
    "average_speed_of_answer",
    "email_workload_minutes",
    "erlang_b",
    "erlang_c",
    "estimate_capacity",
    "occupancy",
    "required_agents",
    "required_agents_array",
    "required_agents_for_asa",
    "required_headcount",
    "scheduled_agents",
    "service_level",
    "staff_interval",
    "traffic_intensity",
    "workload_to_agents",
]
