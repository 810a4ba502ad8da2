"""The forked pricer: its plans are the ones the responder it was forked from makes from
the same state, an error in it reaches the solve with its cause, and closing it ends it."""

from __future__ import annotations

import multiprocessing

import numpy as np
import pytest

from scheduler.solve.forked_pricing import ForkedPricer, can_fork
from scheduler.solve.paths import BestResponder
from tests.solve.test_columns import _alternating_cover_team

pytestmark = pytest.mark.skipif(not can_fork(), reason="no fork on this platform")


def _helpers() -> list[str]:
    return [p.name for p in multiprocessing.active_children() if p.name == "sunshift-pricing"]


@pytest.mark.parametrize("quick", [True, False])
def test_the_helper_plans_as_its_responder_does_from_the_same_state(quick: bool) -> None:
    """Two requests in a row (the second with forced days), quick or exact: the helper's
    warm-start prices move as the responder's own do when it plans the same agents in the
    same order, and its proofs are the responder's."""
    problem, start = _alternating_cover_team(agents=6)
    responder = BestResponder(problem, start)
    shape = (len(problem.scenario.shift_types) + 1, problem.scenario.horizon.days)
    rng = np.random.default_rng(11)
    agents = [1, 3, 5]
    helper = ForkedPricer(responder)
    try:
        for forcing in (False, True):
            prices = rng.uniform(0.0, 8.0, shape)
            forced = {
                agent: ({0: None, 1: start.shifts.get((agent, 1))} if forcing else None)
                for agent in agents
            }
            helper.submit(agents, prices, forced, quick=quick)
            own = [
                responder.priced_plan(agent, prices, quick=quick, forced=forced[agent])
                for agent in agents
            ]
            assert helper.plans() == own
            assert all(priced.plan for priced in own)  # plans were made, not three Nones
    finally:
        helper.close()


def test_an_error_in_the_helper_reaches_the_solve_with_its_cause() -> None:
    problem, start = _alternating_cover_team(agents=2)
    helper = ForkedPricer(BestResponder(problem, start))
    try:
        prices = np.zeros((len(problem.scenario.shift_types) + 1, problem.scenario.horizon.days))
        helper.submit([7], prices, {})  # no agent 7
        with pytest.raises(RuntimeError, match="pricing failed in the helper process"):
            helper.plans()
        helper.submit([0], prices, {})  # it answers the next request
        assert helper.plans()[0].plan is not None
    finally:
        helper.close()


def test_closing_the_helper_ends_its_process() -> None:
    problem, start = _alternating_cover_team(agents=2)
    before = len(_helpers())
    helper = ForkedPricer(BestResponder(problem, start))
    assert len(_helpers()) == before + 1

    helper.close()

    assert len(_helpers()) == before


def test_a_request_must_be_collected_before_the_next() -> None:
    problem, start = _alternating_cover_team(agents=2)
    helper = ForkedPricer(BestResponder(problem, start))
    try:
        prices = np.zeros((len(problem.scenario.shift_types) + 1, problem.scenario.horizon.days))
        helper.submit([0], prices, {})
        with pytest.raises(RuntimeError, match="not collected"):
            helper.submit([1], prices, {})
    finally:
        helper.close()
