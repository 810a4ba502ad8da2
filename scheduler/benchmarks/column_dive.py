"""How close the dive gets to the root LP on a Curtois instance: one JSON line.

``python -m scheduler.benchmarks.column_dive 15 [--root-work 20] [--dive-work 15]
[--narrow-seconds 18] [--workers 2] [--seed 0]``
repairs the greedy roster and sweeps it once (as the solve does before the column step),
prices the root for ``--root-work`` deterministic units, dives for ``--dive-work``, then
solves the whole model narrowed to the columns' shifts from the dive's roster for
``--narrow-seconds``, and prints the root LP, each stage's roster and its seconds. Root and
dive repeat run to run, so compare the dive before and after a change here; the narrowed
model runs on the clock (see :func:`scheduler.solve.columns.dive_stages`) and varies.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from scheduler.benchmarks.curtois import parse_instance
from scheduler.benchmarks.curtois_import import to_scenario
from scheduler.benchmarks.curtois_run import default_data_dir, instance_name, instance_path
from scheduler.model.evaluate import objective_parts
from scheduler.model.problem import compile_problem
from scheduler.solve import columns
from scheduler.solve.improve import PLANNED_DAYS_PER_UNIT
from scheduler.solve.paths import improve_by_paths
from scheduler.solve.repair import repaired_greedy


def measure(
    instance: str,
    *,
    root_work: float,
    dive_work: float,
    narrow_seconds: float,
    workers: int,
    seed: int = 0,
    data_dir: Path | None = None,
) -> dict[str, object]:
    """The column step's stages on ``instance`` (a name such as "15" or "Instance15")."""
    name = instance_name(instance)
    path = instance_path(data_dir or default_data_dir(), name)
    problem = compile_problem(to_scenario(parse_instance(path)))
    repaired = repaired_greedy(problem, seed=seed, lanes=workers)
    if repaired is None:
        raise SystemExit(f"{name}: the greedy roster could not be repaired")
    start = improve_by_paths(problem, repaired, deadline=None, seed=seed).solution
    stages = columns.dive_stages(
        problem,
        start,
        root_work=root_work,
        dive_work=dive_work,
        narrow_seconds=narrow_seconds,
        days_per_unit=PLANNED_DAYS_PER_UNIT,
        seed=seed,
        workers=workers,
    )
    rounded = {k: round(v, 2) if isinstance(v, float) else v for k, v in asdict(stages).items()}
    return {
        "instance": name,
        "workers": workers,
        "seed": seed,
        "work": [root_work, dive_work],
        "start_objective": objective_parts(problem, start).total,
        **rounded,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance", help="a Curtois instance: 15, Instance15 or Instance15.txt")
    parser.add_argument("--root-work", type=float, default=20.0, help="root pricing's work")
    parser.add_argument("--dive-work", type=float, default=15.0, help="the dive's work")
    parser.add_argument(
        "--narrow-seconds", type=float, default=18.0, help="the narrowed model's wall-clock time"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    measured = measure(
        args.instance,
        root_work=args.root_work,
        dive_work=args.dive_work,
        narrow_seconds=args.narrow_seconds,
        workers=args.workers,
        seed=args.seed,
    )
    print(json.dumps(measured))


if __name__ == "__main__":
    main()
