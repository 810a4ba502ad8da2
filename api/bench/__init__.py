"""Load-test helpers (see load.sh)."""
