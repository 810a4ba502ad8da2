"""Per-channel headcount for a whole forecast: phone and chat by Erlang C, email by workload."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

import scheduler.staffing.channels as channels_module
from scheduler.staffing import (
    StaffingInputError,
    email_workload_minutes,
    required_agents,
    required_headcount,
    scheduled_agents,
    staff_interval,
    workload_to_agents,
)


def test_phone_is_erlang_c_per_interval_grossed_up_for_shrinkage() -> None:
    """REFERENCES cases 1 and 10 (half hours, AHT 180 s): 100 calls → 14 raw → 20 rostered at
    30 % shrinkage (src A/B); 200 calls at 80/20 → 24 raw → ⌈24 / 0.7⌉ = 35."""
    volume = np.array([100.0, 0.0, 200.0])
    headcount = required_headcount("phone", volume, 180, 30, 0.8, 20, None, 0.3)
    assert headcount.dtype == np.float64
    assert headcount.tolist() == [20.0, 0.0, 35.0]
    for calls, needed in zip(volume, headcount, strict=True):
        assert staff_interval(calls, 1800, 180, 0.8, 20, shrinkage=0.3).scheduled_agents == needed


def test_phone_occupancy_cap_and_per_interval_aht() -> None:
    """REFERENCES cases 7 and 9: 70 % cap binds at A = 10 (15 agents); AHT can vary by interval
    (360 calls at 240 s = 48 Erlangs needs 54 for 80/20)."""
    volume = pd.Series([100.0, 360.0], index=["09:00", "09:30"])
    aht = pd.Series([180.0, 240.0], index=["09:00", "09:30"])
    capped = required_headcount("phone", volume, aht, 30, 0.8, 19.8, 0.7, 0.0)
    assert capped.tolist() == [15.0, 69.0]  # the cap binds in both: ⌈10/0.7⌉, ⌈48/0.7⌉
    uncapped = required_headcount("phone", volume, aht, 30, 0.8, 20, None, 0.0)
    assert uncapped.tolist() == [14.0, 54.0]


def test_pandas_series_and_lists_are_accepted_transparently() -> None:
    """A Series (any index) or a list gives the same array as numpy input, in input order."""
    values = [120.0, 0.0, 45.5, 300.0]
    expected = required_headcount("phone", np.array(values), 200, 30, 0.8, 20, 0.85, 0.25)
    series = pd.Series(values, index=pd.date_range("2026-03-29", periods=4, freq="30min"))
    assert required_headcount("phone", series, 200, 30, 0.8, 20, 0.85, 0.25).tolist() == (
        expected.tolist()
    )
    assert required_headcount("phone", values, 200, 30, 0.8, 20, 0.85, 0.25).tolist() == (
        expected.tolist()
    )


def test_chat_concurrency_is_erlang_c_on_a_faster_server() -> None:
    """Chat with c = 2: traffic A / 2 and AHT / 2. 100 chats / 30 min at 360 s per chat is
    A = 20 chat-Erlangs → 10 agent-Erlangs at 180 s, i.e. REFERENCES case 1: 14 agents."""
    volume = np.array([100.0])
    assert required_headcount("chat", volume, 360, 30, 0.8, 20, None, 0.0, concurrency=2)[0] == 14
    assert required_headcount("chat", volume, 360, 30, 0.8, 20, None, 0.3, concurrency=2)[0] == 20


def test_chat_with_concurrency_one_is_phone() -> None:
    """c = 1 reduces the chat model to plain Erlang C."""
    volume = np.array([10.0, 80.0, 250.0])
    chat = required_headcount("chat", volume, 420, 30, 0.85, 30, 0.9, 0.2, concurrency=1)
    phone = required_headcount("phone", volume, 420, 30, 0.85, 30, 0.9, 0.2)
    assert chat.tolist() == phone.tolist()


def test_chat_needs_fewer_agents_as_concurrency_grows() -> None:
    """Each extra concurrent chat frees capacity; the model never needs more agents for it."""
    volume = np.array([150.0])
    needed = [
        required_headcount("chat", volume, 600, 30, 0.8, 60, 0.85, 0.0, concurrency=c)[0]
        for c in (1, 2, 3, 4)
    ]
    assert needed == sorted(needed, reverse=True)
    assert needed[0] > needed[-1]
    assert needed[1] == required_agents(150 * 600 / 1800 / 2, 300, 60, 0.8, 0.85)


def test_email_is_workload_not_erlang_c() -> None:
    """Email: volume × AHT / 60 / max_occupancy agent-minutes; agents = workload / interval.

    30 emails × 240 s = 120 agent-minutes, ÷ 0.8 = 150; over 30 minutes that is 5 agents.
    """
    workload = email_workload_minutes(np.array([30.0, 0.0, 12.0]), 240, max_occupancy=0.8)
    assert workload.tolist() == [150.0, 0.0, 60.0]
    assert workload_to_agents(workload, 30).tolist() == [5.0, 0.0, 2.0]
    assert email_workload_minutes([30.0], 240).tolist() == [120.0]  # no cap means 1.0
    headcount = required_headcount("email", [30.0, 0.0, 12.0], 240, 30, 0.8, 20, 0.8, 0.3)
    assert headcount.tolist() == [5.0, 0.0, 2.0]  # fractional, no queueing, no shrinkage here


def test_email_headcount_is_linear_in_volume() -> None:
    """Deferred work has no pooling effect: twice the emails, twice the agent-equivalents."""
    volume = np.array([7.0, 19.0, 33.0])
    single = required_headcount("email", volume, 300, 15, 0.8, 20, None, 0.0)
    double = required_headcount("email", 2 * volume, 300, 15, 0.8, 20, None, 0.0)
    np.testing.assert_allclose(double, 2 * single)
    np.testing.assert_allclose(single, volume * 300 / 60 / 15)


def test_two_week_forecast_for_several_queues() -> None:
    """2 weeks × 48 half hours × 5 queues in one call; a sample agrees with the scalar path."""
    rng = np.random.default_rng(20260329)
    volume = rng.uniform(0, 900, size=5 * 14 * 48)
    volume[::17] = 0.0
    aht = rng.uniform(120, 600, size=volume.size)
    headcount = required_headcount("phone", volume, aht, 30, 0.8, 20, 0.85, 0.3)
    assert headcount.shape == volume.shape
    assert np.all(headcount[volume == 0] == 0)
    for i in range(0, volume.size, 97):
        traffic = volume[i] * aht[i] / 1800
        raw = required_agents(traffic, aht[i], 20, 0.8, 0.85)
        assert headcount[i] == scheduled_agents(raw, 0.3)


@pytest.mark.parametrize(
    ("kwargs", "field", "index"),
    [
        ({"volume": [10.0, -1.0]}, "volume", 1),
        ({"aht_seconds": [180.0, 0.0]}, "aht_seconds", 1),
        ({"interval_minutes": 0}, "interval_minutes", None),
        ({"shrinkage": 1.0}, "shrinkage", None),
        ({"target_sl": 1.5}, "target_sl", None),
        ({"max_occupancy": 0.0}, "max_occupancy", None),
        ({"concurrency": 0, "channel": "chat"}, "concurrency", None),
        ({"concurrency": 2}, "concurrency", None),
        ({"channel": "fax"}, "channel", None),
        ({"channel": "email", "volume": [float("nan"), 1.0]}, "volume", 0),
    ],
)
def test_bad_input_names_the_field_and_interval(
    kwargs: dict[str, object], field: str, index: int | None
) -> None:
    """STYLE §11: errors carry the field (and the interval index for per-interval inputs)."""
    arguments: dict[str, object] = {
        "channel": "phone",
        "volume": [10.0, 20.0],
        "aht_seconds": 180.0,
        "interval_minutes": 30,
        "target_sl": 0.8,
        "answer_seconds": 20.0,
        "max_occupancy": 0.85,
        "shrinkage": 0.3,
        "concurrency": 1,
    }
    arguments.update(kwargs)
    with pytest.raises(StaffingInputError) as caught:
        required_headcount(**arguments)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert caught.value.index == index
    assert field in str(caught.value)


def test_doctests() -> None:
    """The docstring examples are part of the contract; run them with the unit tests."""
    assert doctest.testmod(channels_module).failed == 0
