"""Calendar feeds: one URL per agent (or queue, site, team) that calendar apps poll."""
