"""Solver options shared by every command that solves (``solve``, ``bench``, ``bench curtois``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class Strategy(StrEnum):
    auto = "auto"
    cpsat = "cpsat"
    lns = "lns"


DeterministicTimeOption = Annotated[
    float | None,
    typer.Option(help="CP-SAT deterministic work budget: same seed + workers ⇒ same roster."),
]
WorkersOption = Annotated[int, typer.Option(help="Search threads; 0 uses every core.")]
StrategyOption = Annotated[
    Strategy,
    typer.Option(help="cpsat: whole model; lns: neighbourhoods for big teams; auto: by size."),
]
