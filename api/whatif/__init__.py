"""What-if comparisons as jobs: POST overlays, poll for the comparison."""
