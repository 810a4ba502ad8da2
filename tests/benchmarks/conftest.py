"""Shared fixtures of the benchmark tests."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from scheduler.benchmarks.curtois_eval import evaluate
from scheduler.benchmarks.curtois_import import assignments_from_roster
from scheduler.domain import Scenario
from scheduler.validate import audit
from tests.benchmarks.curtois_builders import curtois_instance


@pytest.fixture
def validator_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand in for Sunshift's validator (another team's work) with one that finds nothing wrong
    and totals the benchmark penalty, so a test is about the runner and the CLI alone."""

    def breakdown(scenario: Scenario, roster: Any, **kwargs: Any) -> SimpleNamespace:
        instance = curtois_instance(scenario.name)
        penalty = evaluate(instance, assignments_from_roster(instance, roster)).penalty
        return SimpleNamespace(total=float(penalty))

    monkeypatch.setattr(audit, "validate_roster", lambda *args, **kwargs: [])
    monkeypatch.setattr(audit, "objective_breakdown", breakdown)
