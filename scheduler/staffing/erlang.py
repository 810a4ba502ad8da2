"""Erlang B / Erlang C maths for live queues: how many agents an interval needs.

Every function works on plain numbers and, where it makes sense, on numpy arrays (element-wise,
with broadcasting), because the solver needs a headcount for thousands of forecast intervals at
once. Erlang B is always computed with the stable recursion B(0) = 1,
B(n) = A·B(n−1) / (n + A·B(n−1)): the textbook factorial sums overflow a double past N ≈ 170,
and real queues reach hundreds of Erlangs.

Conventions (shared by every function so results stay comparable):

* A queue with N ≤ A agents is unstable: it grows without bound, so P_w = 1, SL = 0, ASA = ∞.
* With no traffic (A = 0) nobody waits: P_w = 0, SL = 1, ASA = 0 and zero agents are needed.
* Times (AHT, answer time, interval) share one unit: seconds.

>>> a = traffic_intensity(100, 180, 1800)   # 100 calls per 30 min, 3-minute handle time
>>> a
10.0
>>> required_agents(a, aht_seconds=180, answer_seconds=20, target_sl=0.8)
14
>>> round(service_level(14, a, 180, 20), 5), round(average_speed_of_answer(14, a, 180), 4)
(0.88835, 7.8359)
"""

from __future__ import annotations

import math
from typing import Any, Final, overload

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

__all__ = [
    "SL_TOLERANCE",
    "StaffingInputError",
    "StaffingResult",
    "average_speed_of_answer",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "required_agents",
    "required_agents_array",
    "required_agents_for_asa",
    "scheduled_agents",
    "service_level",
    "staff_interval",
    "traffic_intensity",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
AnyArray = npt.NDArray[Any]
AgentCount = int | np.integer[Any]
BoolArray = npt.NDArray[np.bool_]

SL_TOLERANCE: Final = 1e-12
"""A service level this close below the target counts as meeting it (float noise, not policy)."""

_ASA_TOLERANCE_SECONDS: Final = 1e-9
_CEIL_DECIMALS: Final = 9
"""Quotients are rounded to this many decimals before ``ceil``: 21 / (1 − 0.3) is 30, not 31."""


class StaffingInputError(ValueError):
    """A staffing parameter is out of range; ``field`` names it so callers can point at the input.

    ``value`` is the offending value (the first bad element for arrays, whose position is
    ``index``) and ``requirement`` the rule it broke, e.g. ``"must be in (0, 1]"``.
    """

    def __init__(
        self, field: str, value: object, requirement: str, index: int | None = None
    ) -> None:
        self.field = field
        self.value = value
        self.requirement = requirement
        self.index = index
        where = f" at index {index}" if index is not None else ""
        super().__init__(f"{field} {requirement}, got {value!r}{where}")


class StaffingResult(BaseModel):
    """Headcount for one interval and how that headcount performs.

    ``service_level``, ``asa_seconds``, ``occupancy`` and ``wait_probability`` describe
    ``agents`` (on the phones); ``scheduled_agents`` adds shrinkage on top for the roster.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    agents: int
    scheduled_agents: int
    traffic_erlangs: float
    service_level: float
    asa_seconds: float
    occupancy: float
    wait_probability: float


# --------------------------------------------------------------------------- validation


def _check(field: str, values: FloatArray, ok: BoolArray, requirement: str) -> None:
    """Raise :class:`StaffingInputError` for the first element of ``values`` that is not ``ok``."""
    bad = np.flatnonzero(~ok)
    if bad.size:
        position = int(bad[0])
        value = values.reshape(-1)[position].item()
        raise StaffingInputError(field, value, requirement, index=position if values.ndim else None)


def _positive(field: str, values: FloatArray) -> None:
    with np.errstate(invalid="ignore"):
        _check(field, values, np.isfinite(values) & (values > 0), "must be a finite number > 0")


def _non_negative(field: str, values: FloatArray) -> None:
    with np.errstate(invalid="ignore"):
        _check(field, values, np.isfinite(values) & (values >= 0), "must be a finite number >= 0")


def _fraction(field: str, value: float) -> None:
    """Targets and occupancy caps are fractions in (0, 1] (1.0 = 100 %)."""
    if not (0 < value <= 1):
        raise StaffingInputError(field, value, "must be in (0, 1]")


def _shrinkage(value: float) -> None:
    """Shrinkage of 1 would mean nobody is ever available, so it is excluded."""
    if not (0 <= value < 1):
        raise StaffingInputError("shrinkage", value, "must be in [0, 1)")


def _agent_counts(values: AnyArray | AgentCount) -> IntArray:
    """Agent counts as int64, refusing negatives and fractions (half an agent answers nothing)."""
    raw = np.asarray(values)
    as_float = raw.astype(np.float64)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(as_float) & (as_float >= 0) & (np.floor(as_float) == as_float)
    _check("agents", as_float, ok, "must be a whole number >= 0")
    return as_float.astype(np.int64)


def _floats(values: object) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def _is_array(item: object) -> bool:
    """Arrays, pandas Series and lists all count: only a plain number gives a plain result."""
    return isinstance(item, np.ndarray) or np.asarray(item).ndim > 0


def _scalar_or_array(result: FloatArray, *inputs: object) -> float | FloatArray:
    """Plain ``float`` when every input was a plain number, else the array (never a 0-d array)."""
    if any(_is_array(item) for item in inputs):
        return result
    return float(result.reshape(-1)[0])


def _ceil_tolerant(value: float) -> int:
    """``ceil`` after dropping float noise: 30.000000000000004 → 30, 62.5 → 63.

    >>> 21 / (1 - 0.3), _ceil_tolerant(21 / (1 - 0.3)), _ceil_tolerant(50 / 0.8)
    (30.000000000000004, 30, 63)
    """
    return math.ceil(round(value, _CEIL_DECIMALS))


# --------------------------------------------------------------------------- array cores


def _erlang_b_flat(agents: IntArray, traffic: FloatArray) -> FloatArray:
    """Erlang B for 1-D arrays with a per-element N, sharing one pass of the recursion.

    Elements are sorted by N so step n only touches those that still need it (a suffix),
    making the cost the sum of the N's rather than max(N) × size.
    """
    result = np.ones(agents.size, dtype=np.float64)
    if agents.size == 0:
        return result
    order = np.argsort(agents, kind="stable")
    sorted_agents = agents[order]
    sorted_traffic = traffic[order]
    blocking = np.ones(agents.size, dtype=np.float64)
    for n in range(1, int(sorted_agents[-1]) + 1):
        first = int(np.searchsorted(sorted_agents, n, side="left"))
        carried = sorted_traffic[first:] * blocking[first:]
        blocking[first:] = carried / (n + carried)
    result[order] = blocking
    return result


def _wait_probability_from_b(
    agents: FloatArray, traffic: FloatArray, blocking: FloatArray
) -> FloatArray:
    """Erlang C from Erlang B: P_w = N·B / (N − A(1 − B)), 1 when unstable, 0 without traffic."""
    stable = agents > traffic
    denominator = np.where(stable, agents - traffic * (1.0 - blocking), 1.0)
    wait = np.where(stable, agents * blocking / denominator, 1.0)
    return np.where(traffic == 0, 0.0, wait)


def _service_level_from_wait(
    agents: FloatArray,
    traffic: FloatArray,
    wait: FloatArray,
    aht_seconds: FloatArray,
    answer_seconds: FloatArray,
) -> FloatArray:
    """SL(T) = 1 − P_w·exp(−(N − A)·T / AHT); 0 when unstable, 1 without traffic."""
    stable = agents > traffic
    decay = np.exp(-np.where(stable, agents - traffic, 0.0) * answer_seconds / aht_seconds)
    level = np.where(stable, 1.0 - wait * decay, 0.0)
    return np.where(traffic == 0, 1.0, level)


def _asa_from_wait(
    agents: FloatArray, traffic: FloatArray, wait: FloatArray, aht_seconds: FloatArray
) -> FloatArray:
    """ASA = P_w·AHT / (N − A); ∞ when unstable, 0 without traffic."""
    stable = agents > traffic
    spare = np.where(stable, agents - traffic, 1.0)
    asa = np.where(stable, wait * aht_seconds / spare, np.inf)
    return np.where(traffic == 0, 0.0, asa)


def _broadcast(*arrays: FloatArray) -> list[FloatArray]:
    return [np.ascontiguousarray(item) for item in np.broadcast_arrays(*arrays)]


def _wait_probability(
    agents: AgentCount | AnyArray, traffic: float | AnyArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Validate N and A, broadcast them, and return (N, A, P_w) as float arrays of one shape."""
    counts = _agent_counts(agents)
    loads = _floats(traffic)
    _non_negative("traffic", loads)
    counts_b, loads_b = np.broadcast_arrays(counts, loads)
    blocking = _erlang_b_flat(counts_b.reshape(-1), loads_b.reshape(-1)).reshape(counts_b.shape)
    as_float = counts_b.astype(np.float64)
    loads_c = np.ascontiguousarray(loads_b)
    return as_float, loads_c, _wait_probability_from_b(as_float, loads_c, blocking)


# --------------------------------------------------------------------------- public maths


@overload
def traffic_intensity(volume: float, aht_seconds: float, interval_seconds: float) -> float: ...
@overload
def traffic_intensity(
    volume: AnyArray, aht_seconds: float | AnyArray, interval_seconds: float
) -> FloatArray: ...
@overload
def traffic_intensity(
    volume: float, aht_seconds: AnyArray, interval_seconds: float
) -> FloatArray: ...
def traffic_intensity(
    volume: float | AnyArray, aht_seconds: float | AnyArray, interval_seconds: float
) -> float | FloatArray:
    """Offered load in Erlangs: the average number of agents busy if nobody ever waited.

    Parameters
    ----------
    volume:
        Contacts arriving in the interval (≥ 0).
    aht_seconds:
        Average handle time per contact in seconds (> 0).
    interval_seconds:
        Interval length in seconds (> 0).

    Returns
    -------
    A = volume × AHT / interval, a float or an array shaped like the inputs.

    Raises
    ------
    StaffingInputError
        When a parameter is negative, zero where it must be positive, or not finite.

    >>> traffic_intensity(360, 240, 1800)
    48.0
    """
    volumes, ahts = _floats(volume), _floats(aht_seconds)
    _non_negative("volume", volumes)
    _positive("aht_seconds", ahts)
    _positive("interval_seconds", _floats(interval_seconds))
    return _scalar_or_array(volumes * ahts / float(interval_seconds), volume, aht_seconds)


@overload
def erlang_b(agents: AgentCount, traffic: float) -> float: ...
@overload
def erlang_b(agents: AgentCount | AnyArray, traffic: AnyArray) -> FloatArray: ...
@overload
def erlang_b(agents: AnyArray, traffic: float) -> FloatArray: ...
def erlang_b(agents: AgentCount | AnyArray, traffic: float | AnyArray) -> float | FloatArray:
    """Blocking probability B(N, A) of a loss system (Erlang B).

    It is the building block of Erlang C and, on its own, sizes trunks or lines where a
    contact that finds everyone busy is lost rather than queued.

    Parameters
    ----------
    agents:
        N, servers (whole number ≥ 0); an array gives each element its own N.
    traffic:
        A, offered load in Erlangs (≥ 0).

    Returns
    -------
    B(N, A) in [0, 1], a float or an array broadcast from the inputs.

    Raises
    ------
    StaffingInputError
        For negative or fractional ``agents`` or negative ``traffic``.

    >>> round(erlang_b(5, 2.0), 4), round(erlang_b(10, 5.0), 6), round(erlang_b(10, 20.0), 5)
    (0.0367, 0.018385, 0.53796)
    """
    counts = _agent_counts(agents)
    loads = _floats(traffic)
    _non_negative("traffic", loads)
    counts_b, loads_b = np.broadcast_arrays(counts, loads)
    flat = _erlang_b_flat(counts_b.reshape(-1), loads_b.reshape(-1))
    return _scalar_or_array(flat.reshape(counts_b.shape), agents, traffic)


@overload
def erlang_c(agents: AgentCount, traffic: float) -> float: ...
@overload
def erlang_c(agents: AgentCount | AnyArray, traffic: AnyArray) -> FloatArray: ...
@overload
def erlang_c(agents: AnyArray, traffic: float) -> FloatArray: ...
def erlang_c(agents: AgentCount | AnyArray, traffic: float | AnyArray) -> float | FloatArray:
    """Probability P_w that an arriving contact has to wait (Erlang C), via Erlang B.

    Uses P_w = N·B / (N − A(1 − B)) so it stays finite for any N; an unstable queue
    (N ≤ A) gives 1 rather than the meaningless values (> 1) of the raw formula.

    Parameters
    ----------
    agents:
        N, agents answering (whole number ≥ 0).
    traffic:
        A, offered load in Erlangs (≥ 0).

    Returns
    -------
    P_w in [0, 1], a float or an array broadcast from the inputs.

    Raises
    ------
    StaffingInputError
        For negative or fractional ``agents`` or negative ``traffic``.

    >>> round(erlang_c(14, 10.0), 7), round(erlang_c(11, 10.0), 7), erlang_c(5, 10.0)
    (0.1741319, 0.6821182, 1.0)
    """
    _, _, wait = _wait_probability(agents, traffic)
    return _scalar_or_array(wait, agents, traffic)


@overload
def service_level(
    agents: AgentCount, traffic: float, aht_seconds: float, answer_seconds: float
) -> float: ...
@overload
def service_level(
    agents: AgentCount | AnyArray,
    traffic: AnyArray,
    aht_seconds: float | AnyArray,
    answer_seconds: float | AnyArray,
) -> FloatArray: ...
@overload
def service_level(
    agents: AnyArray,
    traffic: float,
    aht_seconds: float | AnyArray,
    answer_seconds: float | AnyArray,
) -> FloatArray: ...
def service_level(
    agents: AgentCount | AnyArray,
    traffic: float | AnyArray,
    aht_seconds: float | AnyArray,
    answer_seconds: float | AnyArray,
) -> float | FloatArray:
    """Fraction of contacts answered within ``answer_seconds`` with N agents (Erlang C).

    Parameters
    ----------
    agents:
        N, agents answering (whole number ≥ 0).
    traffic:
        A, offered load in Erlangs (≥ 0).
    aht_seconds:
        Average handle time in seconds (> 0).
    answer_seconds:
        Target answer time T in seconds (≥ 0); T = 0 gives the immediate-answer share 1 − P_w.

    Returns
    -------
    SL(T) = 1 − P_w·exp(−(N − A)·T / AHT); 0 for an unstable queue, 1 without traffic.

    Raises
    ------
    StaffingInputError
        For out-of-range agents, traffic, AHT or answer time.

    >>> round(service_level(12, 10.0, 300, 30), 5)   # T/AHT = 0.1
    0.63207
    >>> round(service_level(14, 10.0, 180, 0), 7)    # T = 0: answered immediately
    0.8258681
    """
    ahts, answers = _floats(aht_seconds), _floats(answer_seconds)
    _positive("aht_seconds", ahts)
    _non_negative("answer_seconds", answers)
    counts, loads, wait = _wait_probability(agents, traffic)
    counts, loads, wait, ahts, answers = _broadcast(counts, loads, wait, ahts, answers)
    level = _service_level_from_wait(counts, loads, wait, ahts, answers)
    return _scalar_or_array(level, agents, traffic, aht_seconds, answer_seconds)


@overload
def average_speed_of_answer(agents: AgentCount, traffic: float, aht_seconds: float) -> float: ...
@overload
def average_speed_of_answer(
    agents: AgentCount | AnyArray, traffic: AnyArray, aht_seconds: float | AnyArray
) -> FloatArray: ...
@overload
def average_speed_of_answer(
    agents: AnyArray, traffic: float, aht_seconds: float | AnyArray
) -> FloatArray: ...
def average_speed_of_answer(
    agents: AgentCount | AnyArray, traffic: float | AnyArray, aht_seconds: float | AnyArray
) -> float | FloatArray:
    """Mean wait in seconds over all contacts, those answered at once included (ASA).

    Parameters
    ----------
    agents:
        N, agents answering (whole number ≥ 0).
    traffic:
        A, offered load in Erlangs (≥ 0).
    aht_seconds:
        Average handle time in seconds (> 0).

    Returns
    -------
    ASA = P_w·AHT / (N − A); ``inf`` for an unstable queue, 0 without traffic.

    Raises
    ------
    StaffingInputError
        For out-of-range agents, traffic or AHT.

    >>> round(average_speed_of_answer(14, 10.0, 180), 5), average_speed_of_answer(10, 10.0, 180)
    (7.83594, inf)
    """
    ahts = _floats(aht_seconds)
    _positive("aht_seconds", ahts)
    counts, loads, wait = _wait_probability(agents, traffic)
    counts, loads, wait, ahts = _broadcast(counts, loads, wait, ahts)
    asa = _asa_from_wait(counts, loads, wait, ahts)
    return _scalar_or_array(asa, agents, traffic, aht_seconds)


@overload
def occupancy(agents: AgentCount, traffic: float) -> float: ...
@overload
def occupancy(agents: AgentCount | AnyArray, traffic: AnyArray) -> FloatArray: ...
@overload
def occupancy(agents: AnyArray, traffic: float) -> FloatArray: ...
def occupancy(agents: AgentCount | AnyArray, traffic: float | AnyArray) -> float | FloatArray:
    """Share of time agents spend handling contacts, A / N.

    Values ≥ 1 flag an unstable queue (the load exceeds the agents); zero agents with traffic
    give ``inf`` and zero agents without traffic give 0.

    Parameters
    ----------
    agents:
        N, agents answering (whole number ≥ 0).
    traffic:
        A, offered load in Erlangs (≥ 0).

    Returns
    -------
    A / N, a float or an array broadcast from the inputs.

    Raises
    ------
    StaffingInputError
        For negative or fractional ``agents`` or negative ``traffic``.

    >>> round(occupancy(14, 10.0), 7)
    0.7142857
    """
    loads = _floats(traffic)
    _non_negative("traffic", loads)
    counts, loads = _broadcast(_agent_counts(agents).astype(np.float64), loads)
    safe = np.where(counts > 0, counts, 1.0)
    share = np.where(counts > 0, loads / safe, np.where(loads > 0, np.inf, 0.0))
    return _scalar_or_array(share, agents, traffic)


@overload
def scheduled_agents(agents: AgentCount, shrinkage: float) -> int: ...
@overload
def scheduled_agents(agents: AnyArray, shrinkage: float) -> IntArray: ...
def scheduled_agents(agents: AgentCount | AnyArray, shrinkage: float) -> int | IntArray:
    """Agents to roster so that ``agents`` are on the phones after shrinkage.

    Shrinkage (breaks, meetings, training, absence) takes people off the queue, so the roster
    needs ⌈N / (1 − shrinkage)⌉. The quotient is rounded to 9 decimals first because
    21 / (1 − 0.3) is 30.000000000000004 in floating point and must not become 31.

    Parameters
    ----------
    agents:
        Agents needed on the queue (whole number ≥ 0), or an array of them.
    shrinkage:
        Fraction of paid time not spent on the queue, in [0, 1).

    Returns
    -------
    The rostered headcount: an ``int``, or an int64 array shaped like ``agents``.

    Raises
    ------
    StaffingInputError
        When ``shrinkage`` is outside [0, 1) or ``agents`` is not a whole number ≥ 0.

    >>> scheduled_agents(14, 0.3), scheduled_agents(50, 0.2), scheduled_agents(0, 0.3)
    (20, 63, 0)
    """
    _shrinkage(shrinkage)
    counts = _agent_counts(agents)
    grossed = np.ceil(np.round(counts / (1.0 - shrinkage), _CEIL_DECIMALS)).astype(np.int64)
    if _is_array(agents):
        return grossed
    return int(grossed.reshape(-1)[0])


# --------------------------------------------------------------------------- required agents


def _check_goal(
    aht_seconds: FloatArray,
    answer_seconds: FloatArray,
    target_sl: float,
    max_occupancy: float | None,
) -> None:
    _positive("aht_seconds", aht_seconds)
    _non_negative("answer_seconds", answer_seconds)
    _fraction("target_sl", target_sl)
    if max_occupancy is not None:
        _fraction("max_occupancy", max_occupancy)


def _first_candidate(traffic: float, max_occupancy: float | None) -> int:
    """Smallest N that is stable (N > A) and within the occupancy cap (A / N ≤ cap)."""
    stable = math.floor(traffic) + 1
    if max_occupancy is None:
        return stable
    return max(stable, _ceil_tolerant(traffic / max_occupancy))


def _scalar_blocking(agents: int, traffic: float) -> float:
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = traffic * blocking / (n + traffic * blocking)
    return blocking


def _search_upward(
    traffic: float,
    aht_seconds: float,
    max_occupancy: float | None,
    *,
    target_sl: float | None = None,
    answer_seconds: float = 0.0,
    target_asa_seconds: float | None = None,
) -> int:
    """Walk N upward from the first stable candidate until the goal holds (plain Python path).

    SL rises and ASA falls monotonically in N, so the first N meeting the goal is the answer;
    each step reuses B(N − 1) instead of recomputing from scratch.
    """
    if traffic == 0:
        return 0
    agents = _first_candidate(traffic, max_occupancy)
    blocking = _scalar_blocking(agents, traffic)
    while True:
        spare = agents - traffic
        wait = agents * blocking / (agents - traffic * (1.0 - blocking))
        if target_sl is not None:
            level = 1.0 - wait * math.exp(-spare * answer_seconds / aht_seconds)
            met = level >= target_sl - SL_TOLERANCE
        else:
            assert target_asa_seconds is not None
            met = wait * aht_seconds / spare <= target_asa_seconds + _ASA_TOLERANCE_SECONDS
        if met:
            return agents
        agents += 1
        blocking = traffic * blocking / (agents + traffic * blocking)


def required_agents(
    traffic: float,
    aht_seconds: float,
    answer_seconds: float,
    target_sl: float,
    max_occupancy: float | None = None,
) -> int:
    """Fewest agents that answer ``target_sl`` of contacts within ``answer_seconds``.

    This is the smallest whole N > A with SL(T) ≥ target and, when a cap is given,
    A / N ≤ ``max_occupancy`` (high occupancy burns agents out even when SL looks fine).
    No traffic needs no agents.

    Parameters
    ----------
    traffic:
        A, offered load in Erlangs (≥ 0), see :func:`traffic_intensity`.
    aht_seconds:
        Average handle time in seconds (> 0).
    answer_seconds:
        Target answer time T in seconds (≥ 0).
    target_sl:
        Required fraction answered within T, in (0, 1].
    max_occupancy:
        Optional occupancy cap in (0, 1].

    Returns
    -------
    Agents needed on the queue, before shrinkage.

    Raises
    ------
    StaffingInputError
        For any parameter out of range; ``field`` names it.

    >>> required_agents(10.0, 180, 19.8, 0.8, max_occupancy=0.7)   # the cap binds: ⌈10 / 0.7⌉
    15
    """
    loads = _floats(traffic)
    _non_negative("traffic", loads)
    _check_goal(_floats(aht_seconds), _floats(answer_seconds), target_sl, max_occupancy)
    return _search_upward(
        float(traffic),
        float(aht_seconds),
        max_occupancy,
        target_sl=target_sl,
        answer_seconds=float(answer_seconds),
    )


def required_agents_for_asa(
    traffic: float,
    aht_seconds: float,
    target_asa_seconds: float,
    max_occupancy: float | None = None,
) -> int:
    """Fewest agents whose average speed of answer is at most ``target_asa_seconds``.

    For contracts written as an ASA goal instead of "X % in T seconds".

    Parameters
    ----------
    traffic:
        A, offered load in Erlangs (≥ 0).
    aht_seconds:
        Average handle time in seconds (> 0).
    target_asa_seconds:
        Highest acceptable ASA in seconds (> 0; an ASA of exactly 0 is never reached).
    max_occupancy:
        Optional occupancy cap in (0, 1].

    Returns
    -------
    The smallest whole N > A with ASA ≤ target (and A / N ≤ cap when given); 0 without traffic.

    Raises
    ------
    StaffingInputError
        For any parameter out of range; ``field`` names it.

    >>> required_agents_for_asa(traffic_intensity(200, 180, 3600), 180, 120)
    12
    """
    _non_negative("traffic", _floats(traffic))
    _positive("aht_seconds", _floats(aht_seconds))
    _positive("target_asa_seconds", _floats(target_asa_seconds))
    if max_occupancy is not None:
        _fraction("max_occupancy", max_occupancy)
    return _search_upward(
        float(traffic),
        float(aht_seconds),
        max_occupancy,
        target_asa_seconds=float(target_asa_seconds),
    )


def required_agents_array(
    traffic: AnyArray,
    aht_seconds: float | AnyArray,
    answer_seconds: float | AnyArray,
    target_sl: float,
    max_occupancy: float | None = None,
) -> IntArray:
    """:func:`required_agents` for every element of a forecast at once.

    The solver needs a headcount for every interval of every queue (two weeks of half hours
    across several queues is thousands of intervals), so this avoids a Python loop per
    interval: all elements start at their first stable candidate, share one pass of the
    Erlang B recursion, then step N upward together, each step reusing B(N − 1). Only the
    elements still short of the target are advanced.

    Parameters
    ----------
    traffic:
        A per interval in Erlangs (≥ 0), any shape.
    aht_seconds:
        Average handle time in seconds (> 0): one value or an array broadcastable to ``traffic``.
    answer_seconds:
        Target answer time T in seconds (≥ 0), one value or broadcastable.
    target_sl:
        Required fraction answered within T, in (0, 1].
    max_occupancy:
        Optional occupancy cap in (0, 1].

    Returns
    -------
    Agents needed (before shrinkage) as int64, shaped like ``traffic``; 0 where A = 0.

    Raises
    ------
    StaffingInputError
        For any parameter out of range; ``field`` names it and ``index`` the element.

    >>> traffic = np.array([0.0, 10.0, 48.0])
    >>> required_agents_array(traffic, np.array([180, 180, 240]), 20, 0.8).tolist()
    [0, 14, 54]
    """
    loads = _floats(traffic)
    _non_negative("traffic", loads)
    ahts, answers = _floats(aht_seconds), _floats(answer_seconds)
    _check_goal(ahts, answers, target_sl, max_occupancy)
    loads, ahts, answers = _broadcast(loads, ahts, answers)
    shape = loads.shape
    loads, ahts, answers = loads.reshape(-1), ahts.reshape(-1), answers.reshape(-1)

    result = np.zeros(loads.size, dtype=np.int64)
    live = np.flatnonzero(loads > 0)
    if live.size == 0:
        return result.reshape(shape)
    load, aht, answer = loads[live], ahts[live], answers[live]

    start = np.floor(load) + 1.0
    if max_occupancy is not None:
        capped = np.ceil(np.round(load / max_occupancy, _CEIL_DECIMALS))
        start = np.maximum(start, capped)
    agents = start.astype(np.int64)
    blocking = _erlang_b_flat(agents, load)
    counts = agents.astype(np.float64)

    pending = np.arange(live.size)
    while pending.size:
        n, a, b = counts[pending], load[pending], blocking[pending]
        wait = n * b / (n - a * (1.0 - b))
        level = 1.0 - wait * np.exp(-(n - a) * answer[pending] / aht[pending])
        pending = pending[level < target_sl - SL_TOLERANCE]
        counts[pending] += 1.0
        carried = load[pending] * blocking[pending]
        blocking[pending] = carried / (counts[pending] + carried)

    result[live] = counts.astype(np.int64)
    return result.reshape(shape)


def staff_interval(
    volume: float,
    interval_seconds: float,
    aht_seconds: float,
    target_sl: float,
    answer_seconds: float,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
) -> StaffingResult:
    """Staff one interval of a live queue from its forecast: the whole calculation in one call.

    Parameters
    ----------
    volume:
        Contacts forecast for the interval (≥ 0).
    interval_seconds:
        Interval length in seconds (> 0).
    aht_seconds:
        Average handle time in seconds (> 0).
    target_sl:
        Required fraction answered within ``answer_seconds``, in (0, 1].
    answer_seconds:
        Target answer time in seconds (≥ 0).
    max_occupancy:
        Optional occupancy cap in (0, 1].
    shrinkage:
        Fraction of paid time off the queue, in [0, 1); only affects ``scheduled_agents``.

    Returns
    -------
    A :class:`StaffingResult`; its SL, ASA, occupancy and P_w are those of ``agents``, i.e.
    before shrinkage. Zero volume gives 0 agents, SL 1, ASA 0, occupancy 0.

    Raises
    ------
    StaffingInputError
        For any parameter out of range; ``field`` names it.

    >>> result = staff_interval(100, 1800, 180, 0.8, 20, max_occupancy=0.85, shrinkage=0.3)
    >>> result.agents, result.scheduled_agents, round(result.wait_probability, 7)
    (14, 20, 0.1741319)
    """
    _non_negative("volume", _floats(volume))
    _positive("interval_seconds", _floats(interval_seconds))
    _check_goal(_floats(aht_seconds), _floats(answer_seconds), target_sl, max_occupancy)
    _shrinkage(shrinkage)

    traffic = traffic_intensity(float(volume), float(aht_seconds), float(interval_seconds))
    agents = required_agents(traffic, aht_seconds, answer_seconds, target_sl, max_occupancy)
    return StaffingResult(
        agents=agents,
        scheduled_agents=scheduled_agents(agents, shrinkage),
        traffic_erlangs=traffic,
        service_level=service_level(agents, traffic, float(aht_seconds), float(answer_seconds)),
        asa_seconds=average_speed_of_answer(agents, traffic, float(aht_seconds)),
        occupancy=occupancy(agents, traffic),
        wait_probability=erlang_c(agents, traffic),
    )
