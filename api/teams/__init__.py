"""Teams and their API keys."""
