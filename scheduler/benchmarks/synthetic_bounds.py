"""How loose the reported bound is on a synthetic team: one JSON line.

``python -m scheduler.benchmarks.synthetic_bounds --agents 40 --days 7 [--seconds 120]
[--strategy cpsat] [--lp-seconds 600]`` solves the team (seed 1 unless ``--seed``), then prints
its objective, the Lagrangian bound ``solve`` reports, and the LP relaxation of the whole model
(GLOP; it keeps the rest and run rules across weeks that the Lagrangian drops, but takes
seconds at 40 agents × 7 days and minutes at 200 × 14: 426 s). The gap ``sunshift bench`` prints mixes the roster's distance from the optimum
with the bound's looseness; this separates the two where the LP is affordable.
"""

from __future__ import annotations

import argparse
import json
import time

from scheduler.model.builder import build_model
from scheduler.solve.facade import solve
from scheduler.solve.lower_bound import objective_lower_bound
from scheduler.solve.params import SolveParams
from scheduler.synthetic import generate_team


def measure(
    agents: int, days: int, *, seed: int, seconds: float, strategy: str, lp_seconds: float
) -> dict[str, object]:
    """The solve's objective and Lagrangian bound, and the whole model's LP bound."""
    scenario = generate_team(agents, days, 5, seed)
    params = SolveParams.model_validate(
        {"time_limit": seconds, "seed": seed, "workers": 2, "strategy": strategy}
    )
    result = solve(scenario, params)
    started = time.monotonic()
    lp = objective_lower_bound(build_model(result.problem, hint=False), time_limit=lp_seconds)
    return {
        "agents": agents,
        "days": days,
        "seed": seed,
        "seconds": seconds,
        "strategy": strategy,
        "objective": result.objective,
        "reported_bound": result.best_bound,
        "lp_bound": None if lp is None else round(lp, 3),
        "lp_seconds": round(time.monotonic() - started, 3),
        "moved_objective": result.stats.get("moved_objective"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--agents", type=int, default=40)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--strategy", choices=["auto", "cpsat", "lns"], default="cpsat")
    parser.add_argument("--lp-seconds", type=float, default=600.0)
    args = parser.parse_args()
    print(
        json.dumps(
            measure(
                args.agents,
                args.days,
                seed=args.seed,
                seconds=args.seconds,
                strategy=args.strategy,
                lp_seconds=args.lp_seconds,
            )
        )
    )


if __name__ == "__main__":
    main()
