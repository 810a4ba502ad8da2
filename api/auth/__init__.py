"""API keys: high-entropy, prefixed, stored hashed, each bound to one team and one role."""
