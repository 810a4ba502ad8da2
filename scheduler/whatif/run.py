"""One what-if run, as the CLI and the service both perform it: solve, compare, advise."""

from __future__ import annotations

from pydantic import BaseModel

from scheduler.solve.cpsat import StopToken
from scheduler.solve.params import SolveParams
from scheduler.whatif.apply import Variant
from scheduler.whatif.compare import Comparison, Solved, VariantProgress, compare, solve_variants
from scheduler.whatif.hiring import HireRecommendation, recommend_hires


class WhatIfReport(BaseModel):
    """The comparison of every variant and, for variants offering hires with a goal, advice."""

    comparison: Comparison
    hiring: list[HireRecommendation]


def run_whatif(
    variants: list[Variant],
    params: SolveParams,
    *,
    parallel: int | None = None,
    marginal: bool = True,
    progress: VariantProgress | None = None,
    stop: StopToken | None = None,
) -> tuple[WhatIfReport, list[Solved]]:
    """Solve ``variants`` (the first is the base) with the same params; advise on hiring."""
    solved = solve_variants(variants, params, parallel=parallel, progress=progress, stop=stop)
    hiring = [
        recommend_hires(s.variant, s, params, marginal=marginal, progress=progress, stop=stop)
        for s in solved
        if s.variant.hire_groups and s.variant.goal is not None
    ]
    return WhatIfReport(comparison=compare(solved, params), hiring=hiring), solved
