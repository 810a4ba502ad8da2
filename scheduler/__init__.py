"""Sunshift scheduler core: a pure library (no web, no database).

The public facade lives in :mod:`scheduler.api_facade`-free terms: import
``solve``, ``Scenario`` and friends from this package.
"""
