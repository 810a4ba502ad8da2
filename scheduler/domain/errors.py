"""Domain errors: every one names the element at fault and subclasses ``ValueError``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located precisely enough to fix it.

    ``where`` is a dotted path (``agents[3].timezone``) or a file position (``demand.csv:17``);
    ``item`` names the agent, queue or interval concerned when there is one.
    """

    where: str
    message: str
    item: str | None = None

    def __str__(self) -> str:
        subject = f" ({self.item})" if self.item else ""
        return f"{self.where}{subject}: {self.message}"


class ScenarioError(ValueError):
    """A scenario (or a file it was loaded from) is not valid; ``problems`` lists every fault."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = problems
        self.source = source
        head = f"{source}: " if source else ""
        count = len(problems)
        summary = f"{head}{count} problem{'s' if count != 1 else ''} in the scenario"
        super().__init__(summary + "\n" + "\n".join(f"  - {p}" for p in problems))
