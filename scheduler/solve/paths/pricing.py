"""Lagrangian prices on the counted limits, adjusted until a shortest path keeps them all."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from scheduler.model.problem import FloatArray
from scheduler.solve.paths.counting import CountingPaths
from scheduler.solve.paths.day_graph import DayGraph
from scheduler.solve.paths.limits import Limit, pressure, typical_use, weekends_worked, within

#: Price adjustments tried before giving up (each is one shortest-path pass).
PRICE_ROUNDS = 60
#: Rounds of pure pricing before seeded noise breaks ties, and the noise added each round
#: after them (as a share of the typical shift cost).
CALM_ROUNDS = 15
NOISE_PER_ROUND = 0.02
#: Same-day swaps tried to bring a nearly legal path within its limits.
POLISH_SWAPS = 12
#: Growth of a price step while its limit stays broken the same way.
STEP_GROWTH = 1.5
#: First price step, as a share of the typical cost of a shift per unit of the resource.
FIRST_STEP = 0.25
#: Largest price step, in points per unit: steps grow while a limit stays broken, and a
#: limit no price can settle would otherwise grow them (and the prices) past float range.
MAX_STEP = 1e9
_INF = math.inf


@dataclass
class PriceSearch:
    """Price adjustment for one agent: shortest paths under prices until every limit holds."""

    path: DayGraph | CountingPaths
    usage: FloatArray
    limits: list[Limit]
    blocks: list[int | None]
    weekend_cap: int | None
    noise: FloatArray
    carried: list[Limit]  # kept by the path itself; a polish must not break them

    def run(
        self, base: FloatArray, prices: FloatArray, steps: FloatArray
    ) -> tuple[dict[int, int] | None, tuple[FloatArray, FloatArray]]:
        """A path within every limit (or None) and the prices and steps it ended with."""
        limits, usage, weekend_cap = self.limits, self.usage, self.weekend_cap
        # one signed price per limit: > 0 discourages its use, < 0 (a lower bound) encourages it
        floor = np.array([-_INF if limit.low is not None else 0.0 for limit in limits])
        ceiling = np.array([_INF if limit.high is not None else 0.0 for limit in limits])
        last_sign = np.zeros(len(limits))
        for round_ in range(PRICE_ROUNDS):
            weekend_price = prices[-1] if weekend_cap is not None else 0.0
            shake = NOISE_PER_ROUND * max(0, round_ - CALM_ROUNDS)
            costs = base + prices[: len(usage)] @ usage + shake * self.noise
            chosen = self.path.shortest(costs, weekend_price)
            if chosen is None:
                break  # no path keeps the chained rules, whatever the prices
            picked = np.zeros(usage.shape[1])
            picked[[self.path.position[index] for index in chosen.values()]] = 1
            used = list(usage @ picked)
            if weekend_cap is not None:
                used.append(weekends_worked(chosen, self.blocks))
            if all(within(limit, value) for limit, value in zip(limits, used, strict=True)):
                return chosen, (prices, steps)
            if weekend_cap is None or used[-1] <= weekend_cap:
                polished = polish(
                    self.path,
                    chosen,
                    base,
                    np.vstack([usage] + [limit.usage for limit in self.carried]),
                    limits[: len(usage)] + self.carried,
                )
                if polished is not None:
                    return polished, (prices, steps)
            # sign steps, halved when the sign flips: prices home in on a tight range quickly
            sign = np.sign(
                [pressure(limit, value) for limit, value in zip(limits, used, strict=True)]
            )
            grown = np.where(sign != 0, np.minimum(steps * STEP_GROWTH, MAX_STEP), steps)
            steps = np.where(sign * last_sign < 0, steps / 2, grown)
            last_sign = np.where(sign != 0, sign, last_sign)
            prices = np.clip(prices + sign * steps, floor, ceiling)
        return None, (prices, steps)


def polish(
    path: DayGraph | CountingPaths,
    chosen: dict[int, int],
    base: FloatArray,
    usage: FloatArray,
    limits: list[Limit],
) -> dict[int, int] | None:
    """Swap worked days' shifts for others on the same day (neighbours still allowed) until
    every counted limit holds: the prices often leave a path just off a narrow range (total
    minutes within one shift's length). Working days do not change, so runs and weekends hold.
    Each swap is the one that cuts the excess most, the cheaper one on ties; None if stuck."""
    chosen = dict(chosen)
    scale = np.array([typical_use(limit.usage) for limit in limits])
    low = np.array([-_INF if limit.low is None else limit.low for limit in limits])
    high = np.array([_INF if limit.high is None else limit.high for limit in limits])
    used = usage[:, [path.position[i] for i in chosen.values()]].sum(axis=1)

    def excess(values: np.ndarray) -> np.ndarray:
        over = np.maximum(values - high[:, None], 0) + np.maximum(low[:, None] - values, 0)
        total: np.ndarray = (over / scale[:, None]).sum(axis=0)
        return total

    current = float(excess(used[:, None])[0])
    if current > POLISH_SWAPS:
        return None  # too far for a few swaps
    for _ in range(POLISH_SWAPS):
        if current == 0:
            return chosen
        moves = path.swaps(chosen)
        if not moves:
            return None
        new = np.array([path.position[index] for _, index in moves])
        old = np.array([path.position[chosen[day]] for day, _ in moves])
        after = excess(used[:, None] + usage[:, new] - usage[:, old])
        gain = base[new] - base[old]
        best = int(np.lexsort((gain, after))[0])
        if after[best] >= current:
            return None
        day, index = moves[best]
        used = used + usage[:, new[best]] - usage[:, old[best]]
        chosen[day], current = index, float(after[best])
    return chosen if current == 0 else None
