"""Published benchmarks the solver is measured against (Curtois & Qu 2014 staff rostering).

Each benchmark has a strict parser for its own file format, an importer into a Sunshift
:class:`~scheduler.domain.Scenario`, an evaluator written from the benchmark's own rules (not from
Sunshift's model, so it cross-checks importer, model and validator), and a runner the CLI calls.
"""
