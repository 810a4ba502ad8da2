"""Solving: parameters, strategies (CP-SAT, greedy, LNS), the facade and its typed result."""
