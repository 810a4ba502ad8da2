"""Complete solution hints: CP-SAT starts from the incumbent itself, not from a guess near it.

A hint on shift variables alone leaves break placement, allocation and every penalty variable
to be rediscovered, and CP-SAT often fails to rebuild the incumbent at all. Pinning the shifts
and solving once (a small problem: only breaks and allocation remain free) yields a value for
every variable, which is then hinted in full.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.builder import BuiltModel
from scheduler.model.solution import Solution
from scheduler.solve.sound_cpsat import sound_solver


def complete_hint(
    built: BuiltModel,
    incumbent: Solution,
    *,
    seed: int = 0,
    work: float = 0.15,
    time_limit: float = 10.0,
) -> bool:
    """Hint every variable of ``built`` with the incumbent's values; False if none was found.

    ``work`` bounds the probe in deterministic time: breaks and allocation only need to be good,
    the real solve improves them (0.15 instead of 0.3 left LNS results unchanged, 402k vs 405k
    points at 200×14, and saves a tenth of each step).
    """
    chosen = set(incumbent.shifts.values())
    probe = built.model.clone()
    probe.clear_hints()  # type: ignore[no-untyped-call]
    for cand, var in built.ctx.vars.free_candidates():
        probe.add(probe.get_bool_var_from_proto_index(var.index) == int(cand.index in chosen))
    solver = sound_solver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.max_deterministic_time = work  # a good completion, not a proof
    status = solver.solve(probe)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    model = built.model
    model.clear_hints()  # type: ignore[no-untyped-call]
    for index in range(len(model.proto.variables)):
        model.add_hint(
            model.get_int_var_from_proto_index(index),
            solver.value(probe.get_int_var_from_proto_index(index)),
        )
    return True
