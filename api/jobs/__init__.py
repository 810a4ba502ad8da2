"""Solve jobs: a runner interface, the local process runner, the child worker and the supervisor
that claims, fences, heartbeats and reconciles jobs. The database is the record of job state."""
