"""The master LP kept between solves must answer exactly as a fresh one over the same columns."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.solve.master_lp import MasterLP

ROWS = 6
AGENTS = [3, 7, 9]

#: a column: its agent, cost and the cover rows it meets
column = st.tuples(
    st.sampled_from(AGENTS),
    st.integers(0, 40),
    st.sets(st.integers(0, ROWS - 1), max_size=4).map(sorted),
)


def _fresh(columns: list[tuple[int, int, list[int]]]) -> MasterLP:
    lp = MasterLP(np.full(ROWS, 2.0), np.full(ROWS, 100.0), np.full(ROWS, 1.0), AGENTS)
    for agent in AGENTS:  # every agent starts with a day-off plan, as a pool does
        lp.add_column(agent, 0.0, [])
    for agent, cost, rows in columns:
        lp.add_column(agent, float(cost), rows)
    return lp


@settings(max_examples=40, deadline=None)
@given(st.lists(column, max_size=12), st.lists(column, min_size=1, max_size=12))
def test_a_master_resolved_after_new_columns_matches_a_fresh_one(
    first: list[tuple[int, int, list[int]]], more: list[tuple[int, int, list[int]]]
) -> None:
    kept = _fresh(first)
    assert kept.solve() is not None
    for agent, cost, rows in more:
        kept.add_column(agent, float(cost), rows)

    warm, cold = kept.solve(), _fresh(first + more).solve()

    assert warm is not None and cold is not None
    assert abs(warm.value - cold.value) < 1e-6
    for agent in AGENTS:  # one unit of columns per agent, whichever basis found it
        assert abs(sum(warm.values[agent]) - 1.0) < 1e-6


@settings(max_examples=40, deadline=None)
@given(st.lists(column, min_size=1, max_size=16), st.data())
def test_a_master_resolved_after_closings_matches_a_fresh_one_without_them(
    columns: list[tuple[int, int, list[int]]], data: st.DataObject
) -> None:
    """Closings (re-solved by the dual simplex), reopenings and new columns (by the primal), in
    any order, re-solve to a fresh LP's value."""
    kept = _fresh(columns)
    assert kept.solve() is not None
    for _ in range(3):
        closed = data.draw(st.sets(st.integers(0, len(columns) - 1)))
        counts = {agent: 1 for agent in AGENTS}  # column 0 is the day-off plan
        for k, (agent, _, _) in enumerate(columns):
            kept.set_open(agent, counts[agent], k not in closed)
            counts[agent] += 1
        extra = data.draw(st.lists(column, max_size=3))
        for agent, cost, rows in extra:
            kept.add_column(agent, float(cost), rows)
        columns = columns + extra

        warm = kept.solve()
        cold = _fresh([c for k, c in enumerate(columns) if k not in closed]).solve()

        assert warm is not None and cold is not None
        assert abs(warm.value - cold.value) < 1e-6


def test_a_closed_column_takes_no_value_until_it_is_reopened() -> None:
    lp = _fresh([(3, 1, [0, 1])])
    open_all = lp.solve()
    assert open_all is not None
    assert open_all.values[3][1] > 1 - 1e-6  # 1 point against 200 short: worth taking

    lp.set_open(3, 1, False)
    closed = lp.solve()
    assert closed is not None
    assert closed.values[3][1] == 0.0
    assert abs(closed.value - open_all.value - 199.0) < 1e-6  # its rows go short again

    lp.set_open(3, 1, True)
    reopened = lp.solve()
    assert reopened is not None
    assert abs(reopened.value - open_all.value) < 1e-6


def test_duals_price_the_cover_rows() -> None:
    """A row left short is worth its under-cover weight; a column's reduced cost at the duals
    is never negative at the optimum."""
    columns = [(3, 5, [0]), (7, 5, [0])]
    lp = _fresh(columns)
    solved = lp.solve()
    assert solved is not None
    assert solved.cover_duals[1] == 100.0  # nobody covers row 1: every unit short costs 100
    for agent, cost, rows in columns:
        reduced = cost - sum(solved.cover_duals[r] for r in rows) - solved.agent_duals[agent]
        assert reduced >= -1e-6
