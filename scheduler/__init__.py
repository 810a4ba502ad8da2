"""Sunshift scheduler core: a pure library (no web, no database; it never imports ``api``).

The facade is :func:`scheduler.solve.facade.solve` (``solve(scenario, params) -> SolveResult``),
with :class:`scheduler.domain.Scenario` as input, :func:`scheduler.io.load_scenario` to read one
from files and :class:`scheduler.roster.Roster` as the output contract.
"""
