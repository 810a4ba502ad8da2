"""How fast column generation's root LP converges on a Curtois instance: one JSON line.

``python -m scheduler.benchmarks.column_root 7 --seconds 120 [--smoothing 0.5] [--workers 2]
[--exact-only]``
prices from the greedy roster (repaired agent by agent, as the solve does) until the root LP is
optimal or the time is up, and prints rounds, seconds, the LP's value (``lp_value`` in the pool's
own costs; ``lp_objective`` in objective points, a lower bound on every roster once ``converged``),
whether it converged, the exact (CP-SAT) pricing calls and the columns generated. Run it before and
after a change to pricing: the whole solve's objective varies too much run to run to show it.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from scheduler.benchmarks.curtois import parse_instance
from scheduler.benchmarks.curtois_import import to_scenario
from scheduler.benchmarks.curtois_run import default_data_dir, instance_name, instance_path
from scheduler.model.evaluate import objective_parts
from scheduler.model.problem import compile_problem
from scheduler.solve import columns
from scheduler.solve.improve import PLANNED_DAYS_PER_UNIT
from scheduler.solve.repair import repaired_greedy


def measure(
    instance: str,
    *,
    seconds: float,
    smoothing: float,
    workers: int,
    quick: bool = True,
    data_dir: Path | None = None,
) -> dict[str, object]:
    """Root pricing on ``instance`` (a name such as "7" or "Instance7") within ``seconds``."""
    name = instance_name(instance)
    path = instance_path(data_dir or default_data_dir(), name)
    problem = compile_problem(to_scenario(parse_instance(path)))
    start = repaired_greedy(problem, lanes=workers)
    if start is None:
        raise SystemExit(f"{name}: the greedy roster could not be repaired")
    root = columns.price_root(
        problem,
        start,
        deadline=time.monotonic() + seconds,
        work=None,
        days_per_unit=PLANNED_DAYS_PER_UNIT,
        workers=workers,
        smoothing=smoothing,
        quick=quick,
    )
    return {
        "instance": name,
        "smoothing": smoothing,
        "quick": quick,
        "workers": workers,
        "start_objective": objective_parts(problem, start).total,
        "rounds": root.rounds,
        "seconds": round(root.seconds, 2),
        "lp_value": None if root.lp_value is None else round(root.lp_value, 3),
        "lp_objective": None if root.lp_objective is None else round(root.lp_objective, 3),
        "converged": root.converged,
        "exact_calls": root.exact_calls,
        "columns": root.columns,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", help="a Curtois instance: 7, Instance7 or Instance7.txt")
    parser.add_argument("--seconds", type=float, default=120.0, help="wall-clock limit")
    parser.add_argument("--smoothing", type=float, default=columns.SMOOTHING)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--exact-only", action="store_true", help="price every round exactly (no quick plans)"
    )
    args = parser.parse_args(argv)
    print(
        json.dumps(
            measure(
                args.instance,
                seconds=args.seconds,
                smoothing=args.smoothing,
                workers=args.workers,
                quick=not args.exact_only,
            )
        )
    )


if __name__ == "__main__":
    main()
