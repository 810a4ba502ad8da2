"""The validator's pure maths carries doctest examples; run them with the suite."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from scheduler.validate import objective, runs, service, shape


@pytest.mark.parametrize("module", [service, objective, runs, shape], ids=lambda m: m.__name__)
def test_doctests(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
