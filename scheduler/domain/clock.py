"""Wall-clock times of day as minutes since local midnight, written ``"HH:MM"`` (``"24:00"`` allowed).

>>> from pydantic import TypeAdapter
>>> TypeAdapter(WallClock).validate_python("22:30")
1350
>>> TypeAdapter(WallClock).dump_python(360, mode="json")
'06:00'
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_clock(value: Any) -> int:
    """Accept ``"HH:MM"`` (00:00–24:00) or an int of minutes; refuse anything else by name."""
    if isinstance(value, bool):
        raise ValueError(f"expected a time of day 'HH:MM', got {value!r}")
    if isinstance(value, int):
        minutes = value
    elif isinstance(value, str) and (match := _CLOCK.match(value.strip())):
        hours, mins = int(match.group(1)), int(match.group(2))
        if mins >= 60:
            raise ValueError(f"'{value}' is not a time of day: minutes must be 00–59")
        minutes = hours * 60 + mins
    elif hasattr(value, "hour") and hasattr(value, "minute"):
        minutes = value.hour * 60 + value.minute
    else:
        raise ValueError(f"expected a time of day 'HH:MM', got {value!r}")
    if not 0 <= minutes <= 24 * 60:
        raise ValueError(f"'{value}' is not a time of day between 00:00 and 24:00")
    return minutes


def format_clock(minutes: int) -> str:
    """Minutes since midnight as ``HH:MM``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


WallClock = Annotated[
    int,
    BeforeValidator(parse_clock),
    PlainSerializer(format_clock, return_type=str, when_used="json"),
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d{1,2}:\d{2}$", "examples": ["06:00", "24:00"]}
    ),
]
