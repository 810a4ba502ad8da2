"""Sunshift's scheduling service: a FastAPI app over the ``scheduler`` core.

Layers per domain: routes (HTTP only) → service (rules, never commits) → repository (queries).
``scheduler`` never imports this package.
"""
