"""Erlang B / C maths against the published cases in shared/benchmarks/erlang/REFERENCES.md.

Case numbers and source letters (A–H) refer to that file. Values not printed by a source are
the file's independent double-precision recomputation, which the file cross-checks.
"""

from __future__ import annotations

import doctest
import math
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scheduler.staffing.erlang as erlang_module
from scheduler.staffing import (
    StaffingInputError,
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    occupancy,
    required_agents,
    required_agents_array,
    required_agents_for_asa,
    scheduled_agents,
    service_level,
    staff_interval,
    traffic_intensity,
)


def direct_erlang_c(agents: int, traffic: float) -> float:
    """Erlang C from the textbook factorial sums, in exact rationals: an independent check.

    Only usable for small N (the sums overflow a double past N ≈ 170, exact arithmetic is slow).
    """
    a = Fraction(traffic)
    terms = [a**k / math.factorial(k) for k in range(agents)]
    top = a**agents / math.factorial(agents) * Fraction(agents) / (agents - a)
    return float(top / (sum(terms) + top))


# --------------------------------------------------------------------------- published cases


@pytest.mark.parametrize(
    ("case", "agents", "wait", "level", "asa", "occ"),
    [
        # Case 1 — src B (CRAN ErlangC 0.1.0) and src A/erlanglib: P_w 0.1741319, SL 0.88835,
        # ASA 7.83593701177724 s, occupancy 0.7142857.
        (1, 14, 0.1741319, 0.88835, 7.83593701177724, 0.7142857),
        # Case 2 — src B search trace at N = 11: wait 0.6821182, SL 0.3896138; ASA recomputed.
        (2, 11, 0.6821182, 0.3896138, 122.8, 0.9091),
        # Case 3 — src E P_w 0.44939, src A SL 0.640 (recomputed 0.6402); ASA recomputed.
        (3, 12, 0.44939, 0.6402, 40.44, 0.8333),
        # Case 4 — recomputed only (src A's comment mislabels it N=12).
        (4, 13, 0.2853, 0.7956, 17.12, 0.7692),
    ],
)
def test_call_centre_helper_inputs_at_fixed_agents(
    case: int, agents: int, wait: float, level: float, asa: float, occ: float
) -> None:
    """Cases 1–4: 100 calls / 30 min, AHT 180 s, T = 20 s (src A inputs), A = 10 Erlangs."""
    traffic = traffic_intensity(100, 180, 1800)
    assert traffic == pytest.approx(10.0)
    digits = len(str(wait).split(".")[1])
    assert erlang_c(agents, traffic) == pytest.approx(wait, abs=0.6 * 10**-digits)
    digits = len(str(level).split(".")[1])
    assert service_level(agents, traffic, 180, 20) == pytest.approx(level, abs=0.6 * 10**-digits)
    assert average_speed_of_answer(agents, traffic, 180) == pytest.approx(asa, rel=1e-3)
    assert occupancy(agents, traffic) == pytest.approx(occ, abs=1e-4)


def test_case_1_required_agents_and_immediate_answer() -> None:
    """Case 1 — src B: agents 14 at 80/20, immediate_answer_probability 0.8258681."""
    assert required_agents(10.0, 180, 20, 0.8) == 14
    assert service_level(14, 10.0, 180, 0) == pytest.approx(0.8258681, abs=1e-7)
    assert 1 - erlang_c(14, 10.0) == pytest.approx(0.8258681, abs=1e-7)


def test_case_1_staff_interval_matches_cran_erlangc() -> None:
    """Case 1 — src B (CRAN ErlangC 0.1.0) printout; rostered 20 with 30 % shrinkage (src A)."""
    result = staff_interval(100, 1800, 180, 0.8, 20, shrinkage=0.3)
    assert result.agents == 14
    assert result.scheduled_agents == 20
    assert result.traffic_erlangs == pytest.approx(10.0)
    assert result.wait_probability == pytest.approx(0.1741319, abs=1e-7)
    assert result.service_level == pytest.approx(0.88835, abs=1e-5)
    assert result.asa_seconds == pytest.approx(7.83593701177724, rel=1e-12)
    assert result.occupancy == pytest.approx(0.7142857, abs=1e-7)


@pytest.mark.parametrize(
    ("case", "target", "max_occ", "raw", "rostered", "wait", "level", "occ"),
    [
        # Case 5 — src C (pyworkforce 0.5.1 tests): raw 14 → 20, SL 0.888, occ 0.714, P_w 0.174.
        (5, 0.8, 0.85, 14, 20, 0.174, 0.888, 0.714),
        # Case 6 — src C: 90 % target, raw 15 → 22, SL 0.941, occ 0.667, P_w 0.102.
        (6, 0.9, 0.85, 15, 22, 0.102, 0.941, 0.667),
        # Case 7 — src C: max occupancy 70 % binds, raw ⌈10 / 0.7⌉ = 15 → 22.
        (7, 0.8, 0.70, 15, 22, 0.102, 0.941, 0.667),
    ],
)
def test_pyworkforce_cases_with_shrinkage_and_occupancy_cap(
    case: int,
    target: float,
    max_occ: float,
    raw: int,
    rostered: int,
    wait: float,
    level: float,
    occ: float,
) -> None:
    """Cases 5–7: T = 0.33 min = 19.8 s (pyworkforce's ``asa`` is T), shrinkage 30 %."""
    result = staff_interval(100, 1800, 180, target, 19.8, max_occupancy=max_occ, shrinkage=0.3)
    assert (result.agents, result.scheduled_agents) == (raw, rostered)
    assert result.wait_probability == pytest.approx(wait, abs=5e-4)
    assert result.service_level == pytest.approx(level, abs=5e-4)
    assert result.occupancy == pytest.approx(occ, abs=5e-4)


def test_case_6_asa() -> None:
    """Case 6 — recomputed ASA 3.67 s at 15 agents."""
    assert average_speed_of_answer(15, 10.0, 180) == pytest.approx(3.67, abs=5e-3)


def test_case_7_occupancy_cap_binds_where_service_level_alone_would_not() -> None:
    """Case 7 — src C: SL alone needs 14 at 80 %; a 70 % occupancy cap forces ⌈10 / 0.7⌉ = 15."""
    assert required_agents(10.0, 180, 19.8, 0.8) == 14
    assert required_agents(10.0, 180, 19.8, 0.8, max_occupancy=0.7) == 15
    assert occupancy(14, 10.0) > 0.7 >= occupancy(15, 10.0)


def test_case_8_westbay_erlang_c() -> None:
    """Case 8 — src D inputs (360 calls / 30 min, 4 min, 55 agents, 15 s); src E P_w 0.23870,
    ASA 8.184 s; SL 0.8459 and occupancy 0.8727 recomputed."""
    traffic = traffic_intensity(360, 240, 1800)
    assert traffic == pytest.approx(48.0)
    assert erlang_c(55, traffic) == pytest.approx(0.2387009, abs=1e-7)
    assert average_speed_of_answer(55, traffic, 240) == pytest.approx(8.184, abs=5e-4)
    assert service_level(55, traffic, 240, 15) == pytest.approx(0.8459, abs=5e-5)
    assert occupancy(55, traffic) == pytest.approx(0.8727, abs=5e-5)


def test_case_9_first_agents_for_80_in_20() -> None:
    """Case 9 — src E: first N for 80/20 at A = 48, AHT 240 s is 54 (SL 81.7 %);
    SL(55, 20 s) = 0.8668 (src E); P_w 0.3013, ASA 12.05 s, occupancy 0.8889 recomputed."""
    result = staff_interval(360, 1800, 240, 0.8, 20)
    assert result.agents == 54
    assert result.service_level == pytest.approx(0.8172, abs=5e-5)
    assert result.wait_probability == pytest.approx(0.3013, abs=5e-5)
    assert result.asa_seconds == pytest.approx(12.05, abs=5e-3)
    assert result.occupancy == pytest.approx(0.8889, abs=5e-5)
    assert service_level(53, 48.0, 240, 20) < 0.8
    assert service_level(55, 48.0, 240, 20) == pytest.approx(0.8668, abs=5e-5)


def test_case_9_exact_target_is_met_by_greater_or_equal() -> None:
    """Case 9 boundary (REFERENCES edge cases): a target equal to SL(54) is met by 54 agents,
    the ">=" decides; a target a hair above it needs 55."""
    at_54 = service_level(54, 48.0, 240, 20)
    assert required_agents(48.0, 240, 20, at_54) == 54
    assert required_agents_array(np.array([48.0]), 240, 20, at_54).tolist() == [54]
    assert required_agents(48.0, 240, 20, at_54 + 1e-9) == 55
    assert required_agents_array(np.array([48.0]), 240, 20, at_54 + 1e-9).tolist() == [55]


def test_case_10_hubers_vignette() -> None:
    """Case 10 — src F (R package Erlang, P. Hubers): 200 calls / 30 min, AHT 3 min = 20 Erlangs,
    80 % in 60 s needs 23 agents, occupancy 20/23 ≈ 87 %."""
    result = staff_interval(200, 1800, 180, 0.8, 60)
    assert result.traffic_erlangs == pytest.approx(20.0)
    assert result.agents == 23
    assert result.occupancy == pytest.approx(20 / 23)
    assert round(result.occupancy, 2) == 0.87
    assert result.service_level == pytest.approx(0.8471, abs=5e-5)
    assert result.wait_probability == pytest.approx(0.4157, abs=5e-5)
    assert result.asa_seconds == pytest.approx(24.9, abs=0.05)


def test_case_11_stimulus_required_servers() -> None:
    """Case 11 — src G: required_server_count(aht=752, interval=900, rate=25, 90 %, 20 s) == 28."""
    result = staff_interval(25, 900, 752, 0.9, 20)
    assert result.traffic_erlangs == pytest.approx(20.889, abs=5e-4)
    assert result.agents == 28
    assert result.service_level == pytest.approx(0.9195, abs=5e-5)
    assert result.wait_probability == pytest.approx(0.0973, abs=5e-5)


def test_case_12_stimulus_service_level_window() -> None:
    """Case 12 — src G: service_level(aht=752, interval=900, rate=35, 37 servers, 20 s) lies in
    [0.9042, 0.9043]; P_w 0.1177 and ASA 11.42 s recomputed."""
    traffic = traffic_intensity(35, 752, 900)
    assert traffic == pytest.approx(29.244, abs=5e-4)
    assert 0.9042 <= service_level(37, traffic, 752, 20) <= 0.9043
    assert erlang_c(37, traffic) == pytest.approx(0.1177, abs=5e-5)
    assert average_speed_of_answer(37, traffic, 752) == pytest.approx(11.42, abs=0.01)


def test_case_13_asa_goal() -> None:
    """Case 13 — src H (PRODYNA NumberOfAgentsForAsa): 200 calls / 60 min, 180 s, ASA ≤ 120 s
    gives 12 agents; recomputed ASA(11) = 122.8 s just misses, ASA(12) = 40.4 s."""
    traffic = traffic_intensity(200, 180, 3600)
    assert required_agents_for_asa(traffic, 180, 120) == 12
    assert average_speed_of_answer(11, traffic, 180) == pytest.approx(122.8, abs=0.05)
    assert average_speed_of_answer(12, traffic, 180) == pytest.approx(40.4, abs=0.05)
    assert required_agents_for_asa(traffic, 180, 122.78) == 12  # ASA(11) = 122.781 s
    assert required_agents_for_asa(traffic, 180, 122.79) == 11


def test_different_t_over_aht_ratio() -> None:
    """Src E hand recursion: A = 10, N = 12, AHT = 300 s, T = 30 s gives SL 0.63207
    (REFERENCES recomputes 0.6320720)."""
    assert service_level(12, 10.0, 300, 30) == pytest.approx(0.6320720, abs=5e-7)


def test_the_wrong_reference_is_not_reproduced() -> None:
    """REFERENCES "reference that is wrong": PRODYNA erlangc_test.go asserts ErlangC(25, 20) ≈
    0.261; the standard value C(N=25, A=20) is 0.2091 and A=25, N=20 is unstable."""
    assert erlang_c(25, 20.0) == pytest.approx(0.2091, abs=5e-5)
    assert erlang_c(25, 20.0) == pytest.approx(direct_erlang_c(25, 20.0), rel=1e-12)
    assert erlang_c(20, 25.0) == 1.0


# --------------------------------------------------------------------------- Erlang B


@pytest.mark.parametrize(
    ("agents", "traffic", "expected", "tolerance"),
    [
        (5, 2.0, 0.0367, 5e-5),  # srcs A (erlanglib) and E
        (14, 10.0, 0.0568, 5e-5),  # srcs A and E
        (10, 5.0, 0.018385, 5e-7),  # srcs A and E
        (10, 20.0, 0.53796, 5e-6),  # srcs A and E
    ],
)
def test_erlang_b_published_values(
    agents: int, traffic: float, expected: float, tolerance: float
) -> None:
    """Erlang-B checks from REFERENCES (erlanglib tests, src E tables)."""
    assert erlang_b(agents, traffic) == pytest.approx(expected, abs=tolerance)


@pytest.mark.parametrize(("traffic", "trunks"), [(5.0, 11), (10.0, 18), (708.0, 736)])
def test_trunks_for_one_percent_blocking(traffic: float, trunks: int) -> None:
    """REFERENCES Erlang-B checks: trunks for 1 % blocking, A=5 → 11, A=10 → 18, A=708 → 736.

    Uses one vectorised call with a per-element N; A = 708 would overflow factorials.
    """
    counts = np.arange(0, 1000)
    blocking = erlang_b(counts, traffic)
    assert np.all(np.isfinite(blocking))
    assert int(counts[np.argmax(blocking <= 0.01)]) == trunks
    assert erlang_b(trunks - 1, traffic) > 0.01 >= erlang_b(trunks, traffic)


def test_erlang_b_edges() -> None:
    """B(0, A) = 1 (no server blocks everything); B(N, 0) = 0 for N ≥ 1 (nothing arrives)."""
    assert erlang_b(0, 3.0) == 1.0
    assert erlang_b(4, 0.0) == 0.0


# --------------------------------------------------------------------------- large traffic


def test_erlang_c_with_500_erlangs_does_not_overflow() -> None:
    """REFERENCES "large A": the recursion must stay finite where factorial sums overflow.

    A = 500 (10,000 calls an hour at 180 s): 80/20 needs a little more than A (pooling).
    """
    agents = required_agents(500.0, 180, 20, 0.8)
    assert 501 <= agents <= 530
    assert agents == 510  # recomputed with the recursion
    assert service_level(agents, 500.0, 180, 20) >= 0.8 > service_level(agents - 1, 500.0, 180, 20)
    assert 0 < erlang_c(agents, 500.0) < 1
    assert math.isfinite(average_speed_of_answer(agents, 500.0, 180))
    assert required_agents_array(np.array([500.0, 708.0]), 180, 20, 0.8)[0] == agents


# --------------------------------------------------------------------------- edge behaviour


@pytest.mark.parametrize("agents", [0, 5, 9, 10])
def test_unstable_queue_waits_forever(agents: int) -> None:
    """REFERENCES edge cases: N ≤ A gives P_w = 1, SL = 0, ASA = ∞ (pyworkforce returns
    P_w = 4.41 for A = 10, N = 5 because it has no guard)."""
    assert erlang_c(agents, 10.0) == 1.0
    assert service_level(agents, 10.0, 180, 20) == 0.0
    assert average_speed_of_answer(agents, 10.0, 180) == math.inf


def test_zero_answer_time_gives_immediate_answer_share() -> None:
    """REFERENCES edge cases: T = 0 gives SL = 1 − P_w (src B: 0.8258681 for case 1)."""
    for agents in (11, 14, 20):
        assert service_level(agents, 10.0, 180, 0) == pytest.approx(1 - erlang_c(agents, 10.0))


def test_zero_traffic_needs_no_agents() -> None:
    """No contacts: no agents, nobody waits, SL 1, ASA 0, occupancy 0."""
    assert required_agents(0.0, 180, 20, 0.8) == 0
    assert required_agents_for_asa(0.0, 180, 30) == 0
    result = staff_interval(0, 1800, 180, 0.8, 20, max_occupancy=0.85, shrinkage=0.3)
    assert (result.agents, result.scheduled_agents) == (0, 0)
    assert (result.service_level, result.asa_seconds, result.occupancy) == (1.0, 0.0, 0.0)
    assert result.wait_probability == 0.0


@pytest.mark.parametrize(
    ("agents", "shrinkage", "rostered"),
    [
        (14, 0.3, 20),  # src A / erlanglib required_agents(14, 30 %) = 20
        (50, 0.2, 63),  # src A / erlanglib required_agents(50, 20 %) = 63; 62.5 rounds up
        (0, 0.3, 0),
        (7, 0.0, 7),
        (21, 0.3, 30),  # 21 / (1 − 0.3) = 30.000000000000004 in doubles: naive ceil gives 31
        (17, 0.32, 25),  # 25.000000000000004 in doubles
    ],
)
def test_shrinkage_rounds_up_without_float_noise(
    agents: int, shrinkage: float, rostered: int
) -> None:
    """REFERENCES shrinkage-only checks: ceil, not round, and not fooled by float noise."""
    assert 21 / (1 - 0.3) > 30  # the float trap this guards against
    assert scheduled_agents(agents, shrinkage) == rostered
    assert scheduled_agents(np.array([agents]), shrinkage).tolist() == [rostered]


def test_scalar_functions_return_plain_floats_and_arrays_broadcast() -> None:
    """Scalars in → float out; arrays in → arrays of the broadcast shape."""
    assert type(erlang_c(14, 10.0)) is float
    waits = erlang_c(np.array([[11, 14], [12, 13]]), 10.0)
    assert waits.shape == (2, 2)
    assert waits[0, 1] == pytest.approx(0.1741319, abs=1e-7)
    levels = service_level(14, np.array([10.0, 48.0]), np.array([180.0, 240.0]), 20)
    assert levels[0] == pytest.approx(0.88835, abs=1e-5)
    assert levels[1] == 0.0  # 14 agents for 48 Erlangs is unstable
    from_series = erlang_c(14, pd.Series([10.0, 20.0]))
    assert isinstance(from_series, np.ndarray)
    assert from_series.tolist() == [erlang_c(14, 10.0), 1.0]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "field", "value"),
    [
        (lambda: required_agents(10.0, 180, 20, 1.5), "target_sl", 1.5),
        (lambda: required_agents(10.0, 180, 20, 0.0), "target_sl", 0.0),
        (lambda: required_agents(10.0, 0, 20, 0.8), "aht_seconds", 0.0),
        (lambda: required_agents(-1.0, 180, 20, 0.8), "traffic", -1.0),
        (lambda: required_agents(10.0, 180, -5, 0.8), "answer_seconds", -5.0),
        (lambda: required_agents(10.0, 180, 20, 0.8, max_occupancy=0), "max_occupancy", 0),
        (lambda: required_agents(10.0, 180, 20, 0.8, max_occupancy=1.2), "max_occupancy", 1.2),
        (lambda: required_agents_for_asa(10.0, 180, 0), "target_asa_seconds", 0.0),
        (lambda: staff_interval(-3, 1800, 180, 0.8, 20), "volume", -3.0),
        (lambda: staff_interval(100, 0, 180, 0.8, 20), "interval_seconds", 0.0),
        (lambda: staff_interval(100, 1800, 180, 0.8, 20, shrinkage=1.0), "shrinkage", 1.0),
        (lambda: scheduled_agents(14, -0.1), "shrinkage", -0.1),
        (lambda: erlang_c(2.5, 1.0), "agents", 2.5),  # type: ignore[call-overload]
        (lambda: traffic_intensity(100, float("nan"), 1800), "aht_seconds", None),
    ],
)
def test_bad_input_names_the_field(
    call: Callable[[], object], field: str, value: float | None
) -> None:
    """STYLE §11: domain errors subclass ValueError, carry the field, and name it and the value."""
    with pytest.raises(StaffingInputError) as caught:
        call()
    assert isinstance(caught.value, ValueError)
    assert caught.value.field == field
    assert field in str(caught.value)
    if value is not None:
        assert caught.value.value == value
        assert repr(value) in str(caught.value)


def test_bad_array_element_is_located() -> None:
    """An array error names the element too, so a forecast row can be fixed."""
    with pytest.raises(StaffingInputError) as caught:
        required_agents_array(np.array([10.0, 3.0, -2.0]), 180, 20, 0.8)
    assert (caught.value.field, caught.value.index, caught.value.value) == ("traffic", 2, -2.0)
    assert "index 2" in str(caught.value)


# --------------------------------------------------------------------------- properties

traffic_values = st.floats(min_value=0.0, max_value=250.0, allow_nan=False)
aht_values = st.floats(min_value=10.0, max_value=1200.0)
answer_values = st.floats(min_value=0.0, max_value=120.0)
targets = st.floats(min_value=0.05, max_value=0.99)
caps = st.none() | st.floats(min_value=0.5, max_value=1.0)


@settings(max_examples=60, deadline=None)
@given(
    loads=st.lists(traffic_values, min_size=1, max_size=30),
    aht=aht_values,
    answer=answer_values,
    target=targets,
    cap=caps,
)
def test_vectorised_required_agents_equal_scalar(
    loads: list[float], aht: float, answer: float, target: float, cap: float | None
) -> None:
    """The array search (shared recursion, masked steps) agrees with the plain scalar loop."""
    expected = [required_agents(load, aht, answer, target, cap) for load in loads]
    assert required_agents_array(np.array(loads), aht, answer, target, cap).tolist() == expected


@settings(max_examples=60, deadline=None)
@given(
    loads=st.lists(st.floats(min_value=0.01, max_value=250.0), min_size=1, max_size=20),
    aht=aht_values,
    answer=answer_values,
    target=targets,
    cap=caps,
)
def test_required_agents_is_the_smallest_that_meets_the_goal(
    loads: list[float], aht: float, answer: float, target: float, cap: float | None
) -> None:
    """Result is stable, meets SL (and the cap) and one agent fewer would not."""
    for load, agents in zip(
        loads, required_agents_array(np.array(loads), aht, answer, target, cap), strict=True
    ):
        n = int(agents)
        assert n > load
        assert service_level(n, load, aht, answer) >= target - 1e-12
        if cap is not None:
            assert load / n <= cap + 1e-9
        fewer = n - 1
        if fewer > load:  # otherwise one fewer is unstable, so n is trivially the smallest
            misses_sl = service_level(fewer, load, aht, answer) < target
            misses_cap = cap is not None and load / fewer > cap
            assert misses_sl or misses_cap


@settings(max_examples=60, deadline=None)
@given(traffic=st.floats(min_value=0.0, max_value=300.0), aht=aht_values, answer=answer_values)
def test_service_level_never_falls_as_agents_are_added(
    traffic: float, aht: float, answer: float
) -> None:
    """More agents never hurt: SL(N) is non-decreasing and ASA non-increasing in N."""
    counts = np.arange(0, int(traffic) + 60)
    levels = service_level(counts, traffic, aht, answer)
    assert np.all(np.diff(levels) >= -1e-12)
    asa = average_speed_of_answer(counts, traffic, aht)
    assert np.all(np.diff(asa[np.isfinite(asa)]) <= 1e-9)
    assert np.all((levels >= 0) & (levels <= 1))


@settings(max_examples=40, deadline=None)
@given(
    traffic=st.floats(min_value=0.05, max_value=40.0),
    extra=st.integers(min_value=1, max_value=15),
)
def test_recursion_matches_direct_factorial_sums(traffic: float, extra: int) -> None:
    """REFERENCES method: Erlang B recursion → C agrees with the direct factorial sum."""
    agents = math.floor(traffic) + extra
    assert erlang_c(agents, traffic) == pytest.approx(direct_erlang_c(agents, traffic), rel=1e-9)


def test_doctests() -> None:
    """The docstring examples are part of the contract; run them with the unit tests."""
    assert doctest.testmod(erlang_module).failed == 0
