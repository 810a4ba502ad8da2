"""Each hard rule alone: build only that rule, pin shifts, assert feasible or infeasible."""

from __future__ import annotations

from collections.abc import Iterable

from ortools.sat.python import cp_model

import scheduler.model.builder as builder
from scheduler.domain import Horizon
from scheduler.model.problem import Candidate, Problem, compile_problem
from scheduler.model.rules import RULES
from scheduler.solve.sound_cpsat import sound_solver
from tests.builders import make_agent, make_contract, make_scenario


def _feasible(problem: Problem, rule_key: str, pinned: Iterable[Candidate]) -> bool:
    rules = tuple(r for r in RULES if r.key == rule_key)
    original = builder.RULES
    builder.RULES = rules
    try:
        built = builder.build_model(problem)
    finally:
        builder.RULES = original
    pinned_ids = {c.index for c in pinned}
    for cand, var in built.ctx.vars.free_candidates():
        if cand.index in pinned_ids:
            built.model.add(var == 1)
    solver = sound_solver()
    solver.parameters.num_workers = 1
    return solver.solve(built.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _shift(problem: Problem, day: int, local_hour: int, minutes: int = 480) -> Candidate:
    for cand in problem.candidates:
        if cand.day == day and cand.local_start_minute == local_hour * 60 and cand.minutes == minutes:
            return cand
    raise AssertionError(f"no candidate on day {day} at {local_hour}:00 lasting {minutes} min")


def test_rest_forbids_a_late_shift_followed_by_an_early_one() -> None:
    problem = compile_problem(make_scenario(horizon=Horizon(start="2026-03-23", days=3, interval_minutes=60)))
    late, early, later = _shift(problem, 0, 15), _shift(problem, 1, 8), _shift(problem, 1, 12)
    assert not _feasible(problem, "rest", [late, early])  # 23:00 → 08:00 is 9 h < 11 h
    assert _feasible(problem, "rest", [late, later])  # 23:00 → 12:00 is 13 h


def test_one_shift_per_local_day() -> None:
    problem = compile_problem(make_scenario())
    assert not _feasible(problem, "one_shift_per_day", [_shift(problem, 0, 6), _shift(problem, 0, 14)])
    assert _feasible(problem, "one_shift_per_day", [_shift(problem, 0, 6), _shift(problem, 1, 14)])


def test_weekly_hours_cap_counts_paid_time() -> None:
    scenario = make_scenario(
        horizon=Horizon(start="2026-03-23", days=3, interval_minutes=60),
        contracts=[make_contract(max_hours_per_week=16)],
    )
    problem = compile_problem(scenario)
    two = [_shift(problem, 0, 8), _shift(problem, 1, 8)]
    assert _feasible(problem, "max_weekly_hours", two)
    assert not _feasible(problem, "max_weekly_hours", [*two, _shift(problem, 2, 8)])


def test_max_consecutive_days() -> None:
    scenario = make_scenario(
        horizon=Horizon(start="2026-03-23", days=4, interval_minutes=60),
        contracts=[make_contract(max_consecutive_days=3)],
    )
    problem = compile_problem(scenario)
    days = [_shift(problem, d, 9) for d in range(4)]
    assert _feasible(problem, "max_consecutive_days", days[:3])
    assert not _feasible(problem, "max_consecutive_days", days)


def test_min_days_off_per_week_block() -> None:
    scenario = make_scenario(
        horizon=Horizon(start="2026-03-23", days=7, interval_minutes=60),
        contracts=[make_contract(max_consecutive_days=7, min_days_off_per_week=3)],
    )
    problem = compile_problem(scenario)
    days = [_shift(problem, d, 9) for d in range(5)]
    assert _feasible(problem, "min_days_off", days[:4])
    assert not _feasible(problem, "min_days_off", days)


def test_unsocial_shift_cap_uses_local_night() -> None:
    scenario = make_scenario(
        horizon=Horizon(start="2026-03-23", days=3, interval_minutes=60),
        contracts=[make_contract(max_unsocial_shifts_per_week=1, min_rest_hours=8)],
    )
    problem = compile_problem(scenario)
    nights = [_shift(problem, 0, 21), _shift(problem, 1, 21)]
    assert all(c.unsocial for c in nights)
    assert _feasible(problem, "max_unsocial_shifts", nights[:1])
    assert not _feasible(problem, "max_unsocial_shifts", nights)


def test_weekend_cap_uses_local_weekday() -> None:
    scenario = make_scenario(
        horizon=Horizon(start="2026-03-28", days=2, interval_minutes=60),  # Sat + Sun
        contracts=[make_contract(max_weekend_days=1)],
    )
    problem = compile_problem(scenario)
    weekend = [_shift(problem, 0, 9), _shift(problem, 1, 9)]
    assert _feasible(problem, "max_weekend_days", weekend[:1])
    assert not _feasible(problem, "max_weekend_days", weekend)


def test_time_off_and_availability_remove_candidates() -> None:
    from scheduler.domain import AvailabilityWindow, TimeOff

    agent = make_agent(
        time_off=[TimeOff(start="2026-03-24", end="2026-03-24")],
        availability=[AvailabilityWindow(weekday=0, start="08:00", end="17:00")],
    )
    problem = compile_problem(make_scenario(agents=[agent]))
    days = {c.day for c in problem.candidates}
    assert days == {0}  # Tuesday is time off; only Monday has a window
    assert {c.local_start_minute for c in problem.candidates} == {8 * 60, 9 * 60}
