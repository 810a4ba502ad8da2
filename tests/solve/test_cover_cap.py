"""The cap on shift-type under-cover: every roster of a capped model misses no more than the
cap allows (counted from the roster's own shifts), a cap no roster meets leaves no roster, and
a cap the best roster already meets leaves the optimum where it was."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from scheduler.benchmarks.curtois_import import BENCHMARK_POLICY
from scheduler.domain import ShiftTypeDemand
from scheduler.model.builder import BuiltModel, build_model
from scheduler.model.extract import extract_solution
from scheduler.model.problem import Problem, compile_problem
from scheduler.model.solution import Solution
from scheduler.solve.cover_cap import cap_type_shortfall
from scheduler.solve.sound_cpsat import sound_solver
from tests.validate.test_shift_types import day, typed_contract, typed_scenario

covers = st.lists(
    st.tuples(
        st.integers(0, 13), st.sampled_from(("E", "L", "N")), st.integers(1, 3), st.integers(1, 4)
    ),
    min_size=10,
    max_size=30,
    unique_by=lambda row: (row[0], row[1]),
)


def _problem(cover: list[tuple[int, str, int, int]], max_consecutive_days: int) -> Problem:
    scenario = typed_scenario(
        agents=2,
        contract=typed_contract(
            max_consecutive_days=max_consecutive_days, max_total_minutes=8 * 480
        ),
        shift_demand=[
            ShiftTypeDemand(date=day(d), shift_type=t, required=r, under_weight=w, over_weight=1)
            for d, t, r, w in cover
        ],
        policy=BENCHMARK_POLICY,
    )
    return compile_problem(scenario)


def _shortfall(problem: Problem, roster: Solution) -> int:
    """Points the roster's missing agents cost, counted from its shifts."""
    types = {t.id: k for k, t in enumerate(problem.scenario.shift_types)}
    start = problem.scenario.horizon.start
    staffed = Counter(
        (problem.candidates[i].shift_type, problem.candidates[i].day)
        for i in roster.shifts.values()
    )
    return sum(
        row.under_weight
        * max(0, row.required - staffed[(types[row.shift_type], (row.date - start).days)])
        for row in problem.scenario.shift_demand
    )


def _solve(
    built: BuiltModel, *, proven: bool = True, reject: bool = False
) -> tuple[int, Solution | None]:
    """The optimum and a roster reaching it (-1 and None when there is none); with ``proven``
    False, the best roster found in the time (a proof of infeasibility under a tight cap can
    take CP-SAT longer than a test should).

    The limit is deterministic, so an example settles the same way on every machine. With
    ``reject``, an example whose optimum CP-SAT cannot prove within it says nothing about the
    cap and is rejected: a wall-clock limit of 10 s had failed on a slow machine (2 agents, 31
    cover rows)."""
    solver = sound_solver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 10.0
    status = solver.solve(built.model)
    settled = status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    if proven and reject:
        assume(settled)
    elif proven:
        assert settled
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return -1, None
    return round(solver.objective_value), extract_solution(built, solver)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cover=covers, max_consecutive_days=st.integers(2, 5), cut=st.integers(0, 12))
def test_a_capped_model_keeps_under_the_cap_and_loses_no_roster_that_met_it(
    cover: list[tuple[int, str, int, int]], max_consecutive_days: int, cut: int
) -> None:
    problem = _problem(cover, max_consecutive_days)
    best, roster = _solve(build_model(problem, hint=False), reject=True)
    assert roster is not None
    least = _shortfall(problem, roster)
    cap = max(0, least - cut)

    capped = build_model(problem, hint=False)
    cap_type_shortfall(capped, cap)
    value, found = _solve(capped, proven=False)

    if found is not None:
        assert _shortfall(problem, found) <= cap
        assert value >= best
    met = build_model(problem, hint=False)
    cap_type_shortfall(met, least)
    assert _solve(met, reject=True)[0] == best


def test_a_cap_no_roster_meets_leaves_no_roster() -> None:
    """Two agents, three wanted on the early shift of one day: one is always missing (4
    points), so a cap of 3 points is infeasible and one of 4 is not."""
    problem = _problem([(0, "E", 3, 4)] + [(d, "L", 1, 1) for d in range(1, 10)], 5)

    for cap, feasible in ((3, False), (4, True)):
        built = build_model(problem, hint=False)
        cap_type_shortfall(built, cap)
        assert (_solve(built)[1] is not None) == feasible
