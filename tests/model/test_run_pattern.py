"""The run automaton accepts exactly the work/off patterns the run rules allow.

The rules (``runs``, ``consecutive_days``): no run of working days longer than the maximum;
runs of working days and of days off that lie strictly inside the horizon are at least the
shortest allowed; a run touching the first or last day is exempt from the minimum.
"""

from __future__ import annotations

from itertools import groupby

from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

import scheduler.model.builder as builder
from scheduler.model.problem import compile_problem
from scheduler.model.rules import RULES
from scheduler.model.rules.run_pattern import run_automaton
from scheduler.solve.sound_cpsat import sound_solver
from tests.validate.test_shift_types import typed_contract, typed_scenario


def _allowed(pattern: list[int], longest: int, shortest_work: int, shortest_off: int) -> bool:
    """The run rules read straight off the pattern's maximal runs."""
    position = 0
    for worked, run in groupby(pattern):
        length = len(list(run))
        inside = position > 0 and position + length < len(pattern)
        if worked and length > longest:
            return False
        if inside and length < (shortest_work if worked else shortest_off):
            return False
        position += length
    return True


def _accepts(pattern: list[int], longest: int, shortest_work: int, shortest_off: int) -> bool:
    transitions, finals = run_automaton(longest, shortest_work, shortest_off)
    step = {(state, label): target for state, label, target in transitions}
    state: int | None = 0
    for worked in pattern:
        state = step.get((state, worked)) if state is not None else None
    return state is not None and state in finals


@settings(max_examples=400, deadline=None)
@given(
    pattern=st.lists(st.integers(0, 1), min_size=1, max_size=16),
    longest=st.integers(1, 6),
    shortest_work=st.integers(1, 4),
    shortest_off=st.integers(1, 4),
)
def test_automaton_accepts_exactly_the_patterns_the_run_rules_allow(
    pattern: list[int], longest: int, shortest_work: int, shortest_off: int
) -> None:
    assert _accepts(pattern, longest, shortest_work, shortest_off) == _allowed(
        pattern, longest, shortest_work, shortest_off
    )


def test_automaton_is_deterministic() -> None:
    transitions, _ = run_automaton(5, 2, 2)
    keys = [(state, label) for state, label, _ in transitions]
    assert len(keys) == len(set(keys))


@settings(max_examples=25, deadline=None)
@given(pattern=st.lists(st.integers(0, 1), min_size=14, max_size=14))
def test_the_model_rule_pins_the_same_patterns_as_the_rules(pattern: list[int]) -> None:
    """Only the automaton is built; a pinned pattern is feasible exactly when it is allowed."""
    contract = typed_contract(
        max_consecutive_days=4, min_consecutive_days=2, min_consecutive_days_off=2
    )
    problem = compile_problem(typed_scenario(contract=contract))
    original = builder.RULES
    builder.RULES = tuple(rule for rule in RULES if rule.key == "run_pattern")
    try:
        built = builder.build_model(problem, run_automata=True)
    finally:
        builder.RULES = original
    for day, worked in enumerate(pattern):
        literals = [lit for _, lit in built.ctx.vars.options(0, day)]
        built.model.add(sum(literals) == worked)
    solver = sound_solver()
    solver.parameters.num_workers = 1
    feasible = solver.solve(built.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert feasible == _allowed(pattern, 4, 2, 2)


def test_without_run_automata_the_rule_adds_nothing() -> None:
    contract = typed_contract(min_consecutive_days=2, min_consecutive_days_off=2)
    problem = compile_problem(typed_scenario(contract=contract))
    original = builder.RULES
    builder.RULES = tuple(rule for rule in RULES if rule.key == "run_pattern")
    try:
        plain = builder.build_model(problem)
        with_automata = builder.build_model(problem, run_automata=True)
    finally:
        builder.RULES = original
    assert len(plain.model.proto.constraints) == 0
    assert any(c.has_automaton() for c in with_automata.model.proto.constraints)
