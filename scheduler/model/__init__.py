"""From a validated scenario to a CP-SAT model: compile → variables → one module per rule."""
