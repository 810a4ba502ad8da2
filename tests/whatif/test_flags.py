"""Variant flags build the same overlay an overlay file would, and bad flags are named."""

from __future__ import annotations

import pytest

from scheduler.whatif import OverlayError, apply
from scheduler.whatif.flags import OverlayFlags, overlay_from_flags
from tests.whatif.helpers import overlay, small_team


def test_flags_equal_the_overlay_file_they_abbreviate() -> None:
    flags = OverlayFlags(
        scale=["en=1.2", "*=1.1"],
        remove=["id=a2"],
        unavailable=["site=Copenhagen@2026-03-24..2026-03-24"],
        hire=["site=Lisbon,timezone=Europe/Lisbon,skills=en,contract=ft,cost=15,up_to=2"],
        goal="queues=en,coverage=0.95",
        set=["queues.en.shrinkage=0.3", "contracts.ft.shift_lengths_minutes=[600]", "policy.unsocial_start=21:00"],
        name="quick",
    )
    written = overlay({
        "name": "quick",
        "demand": [{"queue": "en", "scale": 1.2}, {"scale": 1.1}],
        "agents": {"remove": [{"ids": ["a2"]}],
                   "unavailable": [{"site": "Copenhagen", "start": "2026-03-24", "end": "2026-03-24"}]},
        "hires": [{"site": "Lisbon", "timezone": "Europe/Lisbon", "skills": ["en"], "contract": "ft",
                   "cost_per_hour": 15, "up_to": 2}],
        "goal": {"queues": ["en"], "coverage": 0.95},
        "queues": {"en": {"shrinkage": 0.3}},
        "contracts": {"ft": {"shift_lengths_minutes": [600]}},
        "policy": {"unsocial_start": "21:00"},
    }, "command line")
    from_flags = overlay_from_flags(flags)
    assert from_flags is not None and from_flags.overlay == written.overlay
    base = small_team()
    assert apply(base, [from_flags]).scenario == apply(base, [written]).scenario
    assert overlay_from_flags(OverlayFlags()) is None


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (OverlayFlags(scale=["en"]), "--scale en: write QUEUE=FACTOR"),
        (OverlayFlags(scale=["en=lots"]), "'lots' is not a number"),
        (OverlayFlags(remove=["room=3"]), "--remove room=3: write site=NAME"),
        (OverlayFlags(unavailable=["site=Athens"]), "write SELECTOR@START..END"),
        (OverlayFlags(set=["agents.a1.site=X"]), "--set agents.a1.site=X"),
        (OverlayFlags(hire=["site"]), "'site' is not KEY=VALUE"),
    ],
)
def test_malformed_flags_are_named(flags: OverlayFlags, words: str) -> None:
    with pytest.raises(OverlayError) as caught:
        overlay_from_flags(flags)
    assert caught.value.source == "command line" and words in str(caught.value), str(caught.value)


def test_flag_entries_are_checked_like_overlay_entries() -> None:
    flags = overlay_from_flags(OverlayFlags(scale=["fr=2"]))
    assert flags is not None
    with pytest.raises(OverlayError, match="queue 'fr'"):
        apply(small_team(), [flags])
