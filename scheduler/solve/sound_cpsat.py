"""Every CP-SAT solver Sunshift runs comes from here, with settings that keep its proofs sound.

OR-Tools 9.15 can certify a wrong optimum after one presolve family, the inclusion detection
between at-most-one and linear constraints (google/or-tools#5293, open). It did so on a
one-agent re-plan of ours: OPTIMAL at 9 under some seeds when a legal plan costs 6
(``tests/solve/test_sound_cpsat.py``). A wrong certificate would end a solve early with a
false proof, and would let column pricing declare a bound converged when it is not.
Switching that presolve off keeps the rest of presolve; it is the upstream workaround.
"""

from __future__ import annotations

from ortools.sat.python import cp_model


def sound_solver() -> cp_model.CpSolver:
    """A fresh CP-SAT solver whose OPTIMAL and INFEASIBLE verdicts can be trusted."""
    solver = cp_model.CpSolver()
    solver.parameters.presolve_inclusion_work_limit = 0
    return solver
