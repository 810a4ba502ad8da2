"""Solves: jobs that turn the team's data and a forecast into a roster version."""
