"""Persistence: tables, engines, migrations."""
