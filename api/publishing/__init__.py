"""Publishing: a roster version becomes the team's published roster (compare-and-set, audited)."""
