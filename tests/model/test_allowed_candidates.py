"""A model built with only some candidates allowed is the full model with the others never
worked: the same optimum, with variables for the allowed candidates alone (the column step's
narrowed model relies on both)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from scheduler.benchmarks.curtois_import import BENCHMARK_POLICY
from scheduler.domain import ShiftTypeDemand
from scheduler.model.builder import BuiltModel, build_model
from scheduler.model.problem import compile_problem
from scheduler.solve.sound_cpsat import sound_solver
from tests.validate.test_shift_types import day, typed_contract, typed_scenario

covers = st.lists(
    st.tuples(st.integers(0, 13), st.sampled_from(("E", "L", "N")), st.integers(1, 2)),
    min_size=10,
    max_size=30,
    unique_by=lambda row: (row[0], row[1]),
)


def _optimum(built: BuiltModel) -> int:
    solver = sound_solver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20.0
    assert solver.solve(built.model) == cp_model.OPTIMAL
    return round(solver.objective_value)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cover=covers,
    keep=st.integers(0, 2**32 - 1),
    max_consecutive_days=st.integers(2, 5),
    min_consecutive_days_off=st.sampled_from([None, 2]),
)
def test_leaving_candidates_out_equals_forbidding_them(
    cover: list[tuple[int, str, int]],
    keep: int,
    max_consecutive_days: int,
    min_consecutive_days_off: int | None,
) -> None:
    scenario = typed_scenario(
        agents=2,
        contract=typed_contract(
            max_consecutive_days=max_consecutive_days,
            min_consecutive_days_off=min_consecutive_days_off,
            max_total_minutes=8 * 480,
        ),
        shift_demand=[
            ShiftTypeDemand(date=day(d), shift_type=t, required=r, under_weight=5, over_weight=1)
            for d, t, r in cover
        ],
        policy=BENCHMARK_POLICY,
    )
    problem = compile_problem(scenario)
    allowed = {c.index for c in problem.candidates if (keep >> (c.index % 32)) & 1}

    left_out = build_model(problem, allowed=allowed, hint=False)
    forbidden = build_model(problem, hint=False)
    for cand, var in forbidden.ctx.vars.free_candidates():
        if cand.index not in allowed:
            forbidden.model.add(var == 0)

    assert {cand.index for cand, _ in left_out.ctx.vars.free_candidates()} == allowed
    assert _optimum(left_out) == _optimum(forbidden)
