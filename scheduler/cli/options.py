"""Solver options shared by every command that solves (``solve``, ``bench``, ``bench curtois``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from pydantic import ValidationError

from scheduler.cli.output import fail
from scheduler.solve.params import SolveParams


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


def solve_params_or_fail(
    *,
    time_limit: float | None,
    deterministic_time: float | None,
    seed: int,
    workers: int,
    strategy: Strategy,
) -> SolveParams:
    """The solver parameters from command options, or one clear error naming the bad option."""
    try:
        return SolveParams(
            time_limit=time_limit,
            deterministic_time=deterministic_time,
            seed=seed,
            workers=workers,
            strategy=strategy.value,
        )
    except ValidationError as error:
        fail(
            "input.invalid",
            "solver options are not valid",
            details=[_option_problem(e["loc"], e["msg"]) for e in error.errors()],
        )


def _option_problem(loc: tuple[int | str, ...], message: str) -> str:
    """``--time-limit: Input should be greater than 0`` (or the message alone when model-wide)."""
    return f"--{str(loc[0]).replace('_', '-')}: {message}" if loc else message
