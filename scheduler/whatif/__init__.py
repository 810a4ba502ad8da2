"""What-if planning: overlays on a base scenario, side-by-side comparison, hiring advice.

``load_overlay`` reads an overlay file, ``apply`` derives a :class:`Variant`, ``solve_variants``
and ``compare`` solve and measure them with the same seed and limits, and ``recommend_hires``
finds the fewest hypothetical hires that meet a variant's goal.
"""

from scheduler.whatif.apply import HireGroup, Variant, apply, base_variant
from scheduler.whatif.compare import (
    Comparison,
    Delta,
    Solved,
    VariantEvent,
    compare,
    solve_variants,
)
from scheduler.whatif.hiring import HireRecommendation, MarginalValue, check_goal, recommend_hires
from scheduler.whatif.metrics import QueueMetrics, VariantMetrics, measure, projected_service_levels
from scheduler.whatif.overlay import (
    Overlay,
    OverlayError,
    SourcedOverlay,
    load_overlay,
    parse_overlay,
)
from scheduler.whatif.run import WhatIfReport, run_whatif

__all__ = [
    "Comparison",
    "Delta",
    "HireGroup",
    "HireRecommendation",
    "MarginalValue",
    "Overlay",
    "OverlayError",
    "QueueMetrics",
    "Solved",
    "SourcedOverlay",
    "Variant",
    "VariantEvent",
    "VariantMetrics",
    "WhatIfReport",
    "apply",
    "base_variant",
    "check_goal",
    "compare",
    "load_overlay",
    "measure",
    "parse_overlay",
    "projected_service_levels",
    "recommend_hires",
    "run_whatif",
    "solve_variants",
]
