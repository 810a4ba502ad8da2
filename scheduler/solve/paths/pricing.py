"""Lagrangian prices on the counted limits, adjusted until a shortest path keeps them all."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from scheduler.model.problem import FloatArray
from scheduler.solve.paths.counting import CountingPaths
from scheduler.solve.paths.day_graph import DayGraph
from scheduler.solve.paths.limits import Limit, pressure, weekends_worked, within

#: Price adjustments tried before giving up (each is one shortest-path pass).
PRICE_ROUNDS = 60
#: Rounds of pure pricing before seeded noise breaks ties, and the noise added each round
#: after them (as a share of the typical shift cost).
CALM_ROUNDS = 15
NOISE_PER_ROUND = 0.02
#: Rounds a column's price search may go on after its first legal path, to prove a path the
#: cheapest (see :meth:`PriceSearch.run`).
CERTIFY_ROUNDS = 12
#: The same for a quick plan (column generation's early rounds, where a proof is not
#: sought): enough rounds to find a cheaper legal path than the first, few enough for more
#: pricing rounds. Root LP after 60 s of quick rounds (``python -m
#: scheduler.benchmarks.column_root N --seconds 60``, pool costs), at 0 / 3 / 6 / 12 / 24
#: rounds: Curtois Instance 13 910 / 340 / 368 / 667 / 1,110; 19 2,941 / 1,964 / 1,965 /
#: 2,013 / 2,097; 15 at 6 and 12: 3,144 and 3,150; 14 737.0 and 737.2. 6 keeps clear of the
#: drop at 0; Instance 8, which converges, did so in 41 s at 6 and 44 s at 12.
QUICK_CERTIFY_ROUNDS = 6
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
#: How near its bound a limit's use must be to count as met exactly (uses are whole minutes or
#: counts, so any real difference is far larger).
_TIGHT = 1e-6


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
        self, base: FloatArray, prices: FloatArray, steps: FloatArray, *, certify: int = 0
    ) -> tuple[dict[int, int] | None, tuple[FloatArray, FloatArray], bool]:
        """A path within every limit (or None), the prices and steps it ended with, and
        whether the path is proven the cheapest within the limits (see :func:`complementary`).

        With ``certify`` > 0 a legal path that is not proven does not end the search: up to
        that many more rounds ease each price whose limit has slack towards zero (and raise
        it again when the limit breaks), without noise, until a path is proven; failing that,
        the cheapest legal path met is returned. Column pricing asks for it, where an
        unproven plan costs a CP-SAT solve; sweeps take the first legal path.
        """
        limits, usage, weekend_cap = self.limits, self.usage, self.weekend_cap
        # one signed price per limit: > 0 discourages its use, < 0 (a lower bound) encourages it
        floor = np.array([-_INF if limit.low is not None else 0.0 for limit in limits])
        ceiling = np.array([_INF if limit.high is not None else 0.0 for limit in limits])
        last_sign = np.zeros(len(limits))
        legal: tuple[float, dict[int, int]] | None = None  # the cheapest legal path met
        refining = 0
        for round_ in range(PRICE_ROUNDS + certify):
            if legal is not None:
                refining += 1
                if refining > certify:
                    break
            weekend_price = prices[-1] if weekend_cap is not None else 0.0
            calm = legal is not None or round_ <= CALM_ROUNDS
            shake = 0.0 if calm else NOISE_PER_ROUND * (round_ - CALM_ROUNDS)
            costs = base + prices[: len(usage)] @ usage + shake * self.noise
            chosen = self.path.shortest(costs, weekend_price)
            if chosen is None:
                break  # no path keeps the chained rules, whatever the prices
            used = self._used(chosen)
            kept = all(within(limit, value) for limit, value in zip(limits, used, strict=True))
            if kept and shake == 0 and complementary(limits, used, prices):
                return chosen, (prices, steps), True
            found = chosen if kept else self._polished(chosen, base, used)
            if found is not None:
                if not certify:
                    return found, (prices, steps), False
                cost = float(base[[self.path.position[i] for i in found.values()]].sum())
                if legal is None or cost < legal[0]:
                    legal = cost, found
            # sign steps, halved when the sign flips: prices home in on a tight range quickly
            sign = np.sign(
                [
                    slack_pressure(limit, value, price) if kept else pressure(limit, value)
                    for limit, value, price in zip(limits, used, prices, strict=True)
                ]
            )
            grown = np.where(sign != 0, np.minimum(steps * STEP_GROWTH, MAX_STEP), steps)
            steps = np.where(sign * last_sign < 0, steps / 2, grown)
            last_sign = np.where(sign != 0, sign, last_sign)
            prices = np.clip(prices + sign * steps, floor, ceiling)
        return (None if legal is None else legal[1]), (prices, steps), False

    def _used(self, chosen: dict[int, int]) -> list[float]:
        """Each priced limit's use by the path ``chosen`` (weekends worked last)."""
        picked = np.zeros(self.usage.shape[1])
        picked[[self.path.position[index] for index in chosen.values()]] = 1
        used = list(self.usage @ picked)
        if self.weekend_cap is not None:
            used.append(weekends_worked(chosen, self.blocks))
        return used

    def _polished(
        self, chosen: dict[int, int], base: FloatArray, used: list[float]
    ) -> dict[int, int] | None:
        """``chosen`` brought within its limits by same-day swaps (see :func:`polish`), or None
        (also when it works too many weekends, which swaps cannot change)."""
        if self.weekend_cap is not None and used[-1] > self.weekend_cap:
            return None
        return polish(
            self.path,
            chosen,
            base,
            np.vstack([self.usage] + [limit.usage for limit in self.carried]),
            self.limits[: len(self.usage)] + self.carried,
        )


def slack_pressure(limit: Limit, value: float, price: float) -> float:
    """Which way a kept limit's price should move to prove a path (see :func:`complementary`):
    towards zero while the limit has slack on the side its price pushes against."""
    if price > 0 and limit.high is not None and value < limit.high - _TIGHT:
        return -1.0
    if price < 0 and limit.low is not None and value > limit.low + _TIGHT:
        return 1.0
    return 0.0


def complementary(limits: list[Limit], used: list[float], prices: FloatArray) -> bool:
    """Whether a shortest path at ``prices`` that keeps every limit is the cheapest plan that
    does: each priced limit is met exactly at the bound its price pushes against (a price > 0
    at its high, < 0 at its low), so the path's priced cost equals its own, and no plan within
    the limits can cost less than the Lagrangian minimum (complementary slackness)."""
    for limit, value, price in zip(limits, used, prices, strict=True):
        if price > 0 and (limit.high is None or abs(value - limit.high) > _TIGHT):
            return False
        if price < 0 and (limit.low is None or abs(value - limit.low) > _TIGHT):
            return False
    return True


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
    scale = np.array([limit.typical for limit in limits])
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
