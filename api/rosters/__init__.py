"""Rosters: immutable versions produced by solves; downloads, coverage and diffs."""
