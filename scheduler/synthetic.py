"""Synthetic follow-the-sun support teams: realistic, deterministic scenarios of any size.

Benchmarks and demos need teams that look like real ones (sites on several continents with
their own DST rules, language skills that match the sites, mixed contracts, demand that peaks in
each market's *local* business hours) and that are just hard enough: total required agent-hours
are calibrated to about two thirds of the contracted capacity of the agents who can serve each
queue, so a good roster covers most demand without everyone working every shift.

Everything random flows from one ``numpy.random.Generator(seed)``; the same arguments always
produce the same scenario, byte for byte.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from scheduler.domain import (
    Agent,
    AvailabilityWindow,
    BreakRule,
    Contract,
    DaysOffPreference,
    DemandRow,
    Horizon,
    Preferences,
    Queue,
    Scenario,
    ServiceTarget,
    StartWindowPreference,
    TimeOff,
)

FloatArray = npt.NDArray[np.float64]
Profile = Literal["business", "extended", "email"]

DEFAULT_START = date(2026, 3, 23)
"""A Monday whose fortnight spans Europe's spring-forward (29 March) and Sydney's fall-back
(5 April 2026), so every generated team meets both DST directions by default."""

TARGET_UTILISATION = 0.68
"""Required agent-hours as a share of the skilled agents' contracted hours (brief: 60–75 %)."""

_TIME_OFF_SHARE = 0.05  # of agent-days, taken in blocks
_PREFERENCE_SHARE = 0.30  # of agents
_MAX_OCCUPANCY = 0.85
_ABOVE_FLOOR = 1.05  # a live queue's hours at least 5 % above "one agent whenever open"


class SyntheticSpecError(ValueError):
    """A generator argument is out of range; ``parameter`` names it and ``value`` is what was given."""

    def __init__(self, parameter: str, value: object, requirement: str) -> None:
        self.parameter = parameter
        self.value = value
        super().__init__(f"{parameter}={value!r}: {requirement}")


@dataclass(frozen=True)
class Site:
    """An office: its IANA zone, the non-English languages its people speak, and its pay."""

    name: str
    code: str
    zone: str
    languages: tuple[str, ...]
    cost_per_hour: float
    weight: float
    weekend: tuple[int, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]


@dataclass(frozen=True)
class QueueSpec:
    """A queue and where its customers are: ``markets`` are (zone, share) pairs."""

    queue: Queue
    aht_seconds: float
    profile: Profile
    markets: tuple[tuple[str, float], ...]
    opens_at: float = 0.0  # local hour an "extended" queue opens daily (it closes at midnight)


SITES: tuple[Site, ...] = (
    Site(
        "Manila", "mnl", "Asia/Manila", (), 14.0, 0.24, (5, 6),
        ("Maria", "Jose", "Angelica", "Mark", "Kristine", "Paolo", "Liza", "Ramon"),
        ("Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Mendoza", "Torres", "Aquino"),
    ),
    Site(
        "Copenhagen", "cph", "Europe/Copenhagen", ("da", "de"), 48.0, 0.16, (5, 6),
        ("Mette", "Søren", "Freja", "Mads", "Ida", "Rasmus", "Louise", "Anders"),
        ("Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Larsen", "Sørensen", "Holm"),
    ),
    Site(
        "Athens", "ath", "Europe/Athens", ("el",), 24.0, 0.12, (5, 6),
        ("Eleni", "Giorgos", "Maria", "Nikos", "Katerina", "Dimitris", "Sofia", "Kostas"),
        ("Papadopoulos", "Georgiou", "Nikolaidis", "Dimitriou", "Ioannou", "Pappas", "Oikonomou",
         "Vasileiou"),
    ),
    Site(
        "Riyadh", "ruh", "Asia/Riyadh", ("ar",), 32.0, 0.12, (4, 5),
        ("Noura", "Abdullah", "Sara", "Mohammed", "Reem", "Faisal", "Lama", "Khalid"),
        ("Al-Qahtani", "Al-Otaibi", "Al-Ghamdi", "Al-Harbi", "Al-Zahrani", "Al-Dossari",
         "Al-Shehri", "Al-Mutairi"),
    ),
    Site(
        "Chicago", "chi", "America/Chicago", ("es",), 38.0, 0.20, (5, 6),
        ("Emily", "Carlos", "Jessica", "Michael", "Ashley", "Luis", "Megan", "Tyler"),
        ("Johnson", "Garcia", "Smith", "Martinez", "Brown", "Lopez", "Miller", "Davis"),
    ),
    Site(
        "Sydney", "syd", "Australia/Sydney", (), 40.0, 0.16, (5, 6),
        ("Chloe", "Jack", "Olivia", "Liam", "Mia", "Noah", "Ella", "Lachlan"),
        ("Smith", "Nguyen", "Williams", "Brown", "Wilson", "Taylor", "Jones", "Walker"),
    ),
)  # fmt: skip

_ENGLISH_MARKETS = (
    ("America/New_York", 0.40),
    ("Europe/London", 0.35),
    ("Australia/Sydney", 0.15),
    ("Asia/Singapore", 0.10),
)
_PHONE_TARGET = ServiceTarget(service_level=0.8, answer_seconds=20)
_CHAT_TARGET = ServiceTarget(service_level=0.8, answer_seconds=60)
_EMAIL_TARGET = ServiceTarget(service_level=0.9, answer_seconds=24 * 3600)

QUEUE_CATALOGUE: tuple[QueueSpec, ...] = (
    QueueSpec(
        Queue(id="en-chat", language="en", channel="chat", concurrency=2,
              service_target=_CHAT_TARGET),
        540, "extended", _ENGLISH_MARKETS,
    ),
    QueueSpec(
        Queue(id="da-phone", language="da", channel="phone", priority=2,
              service_target=_PHONE_TARGET),
        330, "business", (("Europe/Copenhagen", 1.0),),
    ),
    QueueSpec(
        Queue(id="el-phone", language="el", channel="phone", priority=2,
              service_target=_PHONE_TARGET),
        300, "business", (("Europe/Athens", 1.0),),
    ),
    QueueSpec(
        Queue(id="ar-chat", language="ar", channel="chat", concurrency=2,
              service_target=_CHAT_TARGET),
        480, "extended", (("Asia/Riyadh", 1.0),), opens_at=8.0,
    ),
    QueueSpec(
        Queue(id="en-email", language="en", channel="email", service_target=_EMAIL_TARGET,
              response_window_hours=24),
        420, "email", _ENGLISH_MARKETS,
    ),
    QueueSpec(
        Queue(id="en-phone", language="en", channel="phone", priority=2,
              service_target=_PHONE_TARGET),
        360, "extended", _ENGLISH_MARKETS,
    ),
    QueueSpec(
        Queue(id="de-phone", language="de", channel="phone", priority=2,
              service_target=_PHONE_TARGET),
        360, "business", (("Europe/Berlin", 1.0),),
    ),
    QueueSpec(
        Queue(id="es-chat", language="es", channel="chat", concurrency=2,
              service_target=_CHAT_TARGET),
        480, "extended", (("America/Mexico_City", 1.0),),
    ),
)  # fmt: skip

_MARKET_WEEKEND = {"Asia/Riyadh": (4, 5)}  # Saudi Arabia rests Friday and Saturday

MEAL_BREAK = BreakRule(
    name="meal",
    minutes=30,
    earliest_start_offset=180,
    latest_end_offset=300,
    min_shift_minutes=360,
    paid=False,
)
FULL_TIME = Contract(
    id="ft-40",
    min_hours_per_week=32,
    max_hours_per_week=40,
    shift_lengths_minutes=[480],
    start_granularity_minutes=60,
    earliest_start=6 * 60,
    latest_start=14 * 60,
    min_rest_hours=11,
    max_consecutive_days=6,
    min_days_off_per_week=2,
    breaks=[MEAL_BREAK],
)
PART_TIME = Contract(
    id="pt-24",
    min_hours_per_week=12,
    max_hours_per_week=24,
    shift_lengths_minutes=[240, 300, 360],
    start_granularity_minutes=60,
    earliest_start=6 * 60,
    latest_start=18 * 60,
    min_rest_hours=11,
    max_consecutive_days=5,
    min_days_off_per_week=2,
    breaks=[MEAL_BREAK],
)
NIGHT = Contract(
    id="night-24x7",
    min_hours_per_week=32,
    max_hours_per_week=40,
    shift_lengths_minutes=[480],
    start_granularity_minutes=60,
    earliest_start=0,
    latest_start=23 * 60,
    min_rest_hours=11,
    max_consecutive_days=6,
    min_days_off_per_week=2,
    max_unsocial_shifts_per_week=2,
    breaks=[MEAL_BREAK],
)
CONTRACTS = (FULL_TIME, PART_TIME, NIGHT)
_CONTRACT_MIX = (0.65, 0.25, 0.10)
_COST_FACTOR = {FULL_TIME.id: 1.0, PART_TIME.id: 1.15, NIGHT.id: 1.25}

# Part-time contractors' weekly availability patterns (local time); empty = fully flexible.
_CONTRACTOR_PATTERNS: tuple[tuple[tuple[Sequence[int], int, int], ...], ...] = (
    (),
    ((range(5), 7 * 60, 15 * 60),),
    ((range(4), 12 * 60, 22 * 60), ((5,), 9 * 60, 17 * 60)),
    ((range(1, 6), 8 * 60, 20 * 60),),
)
_EMPLOYEE_WEEKDAYS_ONLY = ((range(5), 6 * 60, 20 * 60),)


def _check_arguments(agents: int, days: int, queues: int, interval_minutes: int) -> None:
    if agents < 1:
        raise SyntheticSpecError("agents", agents, "must be at least 1")
    if not 1 <= days <= 366:
        raise SyntheticSpecError("days", days, "must be between 1 and 366")
    if not 1 <= queues <= len(QUEUE_CATALOGUE):
        raise SyntheticSpecError("queues", queues, f"must be between 1 and {len(QUEUE_CATALOGUE)}")
    if interval_minutes not in (15, 30, 60):
        raise SyntheticSpecError("interval_minutes", interval_minutes, "must be 15, 30 or 60")


def _site_counts(agents: int) -> list[int]:
    """Agents per site by largest remainder, so counts always add up exactly."""
    raw = [site.weight * agents for site in SITES]
    counts = [math.floor(value) for value in raw]
    by_remainder = sorted(range(len(SITES)), key=lambda i: (counts[i] - raw[i], i))
    for index in by_remainder[: agents - sum(counts)]:
        counts[index] += 1
    return counts


def _skills(
    site: Site, ordinal: int, specs: Sequence[QueueSpec], rng: np.random.Generator
) -> list[str]:
    """1–3 plausible skills: a site language first (rotating, so each native queue is staffed)."""
    native = [s.queue.id for s in specs if s.queue.language in site.languages]
    english = [s.queue.id for s in specs if s.queue.language == "en"]
    wanted = int(rng.choice([1, 2, 3], p=[0.35, 0.45, 0.20]))
    if native and rng.random() < 0.85:
        first = native[ordinal % len(native)]
    else:
        first = english[ordinal % len(english)]
    rest = [queue for queue in [*native, *english] if queue != first]
    extra: list[int] = sorted(int(i) for i in rng.permutation(len(rest))[: wanted - 1])
    return [first, *(rest[i] for i in extra)]


def _windows(pattern: Sequence[tuple[Sequence[int], int, int]]) -> list[AvailabilityWindow]:
    return [
        AvailabilityWindow(weekday=day, start=start, end=end)
        for days, start, end in pattern
        for day in days
    ]


def _preferences(site: Site, contract: Contract, rng: np.random.Generator) -> Preferences:
    """A start-window preference, a days-off preference, or both, inside the contract's window."""
    kind = rng.choice(["start", "days", "both"], p=[0.45, 0.30, 0.25])
    start_window = days_off = None
    if kind in ("start", "both"):
        first_hour = contract.earliest_start // 60
        last_hour = max(first_hour, min(contract.latest_start // 60, first_hour + 6) - 2)
        earliest = int(rng.integers(first_hour, last_hour + 1)) * 60
        start_window = StartWindowPreference(
            earliest=earliest, latest=earliest + 120, weight=int(rng.integers(1, 6))
        )
    if kind in ("days", "both"):
        days_off = DaysOffPreference(weekdays=list(site.weekend), weight=int(rng.integers(1, 4)))
    return Preferences(start_window=start_window, days_off=days_off)


@dataclass
class _Person:
    """An agent under construction (time off is added after everyone exists)."""

    id: str
    name: str
    site: Site
    skills: list[str]
    contract: Contract
    availability: list[AvailabilityWindow]
    preferences: Preferences
    time_off: list[TimeOff]


def _people(agents: int, specs: Sequence[QueueSpec], rng: np.random.Generator) -> list[_Person]:
    people: list[_Person] = []
    for site, count in zip(SITES, _site_counts(agents), strict=True):
        for ordinal in range(count):
            contract = CONTRACTS[int(rng.choice(len(CONTRACTS), p=_CONTRACT_MIX))]
            if contract is PART_TIME:
                pattern = _CONTRACTOR_PATTERNS[int(rng.integers(len(_CONTRACTOR_PATTERNS)))]
            elif contract is FULL_TIME and rng.random() < 0.15:
                pattern = _EMPLOYEE_WEEKDAYS_ONLY
            else:
                pattern = ()
            first = site.first_names[int(rng.integers(len(site.first_names)))]
            last = site.last_names[int(rng.integers(len(site.last_names)))]
            preferences = (
                _preferences(site, contract, rng)
                if rng.random() < _PREFERENCE_SHARE
                else Preferences()
            )
            people.append(
                _Person(
                    id=f"{site.code}{ordinal + 1:03d}",
                    name=f"{first} {last}",
                    site=site,
                    skills=_skills(site, ordinal, specs, rng),
                    contract=contract,
                    availability=_windows(pattern),
                    preferences=preferences,
                    time_off=[],
                )
            )
    return people


def _add_time_off(people: list[_Person], start: date, days: int, rng: np.random.Generator) -> None:
    """About 5 % of agent-days off, in blocks of 1–5 local days that never overlap per agent."""
    budget = round(_TIME_OFF_SHARE * len(people) * days)
    attempts = 0
    while budget > 0 and attempts < 50 * len(people):
        attempts += 1
        person = people[int(rng.integers(len(people)))]
        length = min(budget, int(rng.choice([1, 2, 3, 5], p=[0.3, 0.3, 0.2, 0.2])), days)
        first = int(rng.integers(0, days - length + 1))
        block = TimeOff(
            start=start + timedelta(days=first),
            end=start + timedelta(days=first + length - 1),
            reason="vacation" if length >= 3 else "time off",
        )
        if any(o.start <= block.end and block.start <= o.end for o in person.time_off):
            continue
        person.time_off.append(block)
        budget -= length
    for person in people:
        person.time_off.sort(key=lambda entry: entry.start)


def _bump(hours: FloatArray, centre: float, width: float) -> FloatArray:
    """A smooth daily peak (Gaussian in hours, wrapped around midnight)."""
    distance = np.minimum(np.abs(hours - centre), 24 - np.abs(hours - centre))
    return np.asarray(np.exp(-0.5 * (distance / width) ** 2), dtype=np.float64)


def _weekday_factor(weekday: npt.NDArray[np.int64], weekend: tuple[int, ...]) -> FloatArray:
    """Busiest on the first working day, easing off to the last, quiet at the weekend."""
    after_weekend = (weekday - (max(weekend) + 1)) % 7  # 0 = first working day
    workday = np.array([1.15, 1.05, 1.0, 1.0, 0.92, 1.0, 1.0])[after_weekend]
    return np.where(np.isin(weekday, weekend), 0.5, workday)


def _market_shape(utc: pd.DatetimeIndex, zone: str, spec: QueueSpec, interval: int) -> FloatArray:
    """Relative contacts per UTC interval from one market, shaped in that market's local time."""
    local = utc.tz_convert(zone)
    hours = local.hour.to_numpy() + (local.minute.to_numpy() + interval / 2) / 60
    weekday = local.day_of_week.to_numpy().astype(np.int64)
    weekend = _MARKET_WEEKEND.get(zone, (5, 6))
    factor = _weekday_factor(weekday, weekend)
    if spec.profile == "business":
        # Phones open 08–18 on working days and 09–14 on the first weekend day, closed otherwise.
        curve = 0.25 + 0.9 * _bump(hours, 10.5, 1.5) + 0.8 * _bump(hours, 14.0, 1.6)
        first_weekend_day = weekend[0]
        is_weekend = np.isin(weekday, weekend)
        open_weekday = ~is_weekend & (hours >= 8) & (hours < 18)
        open_weekend = (weekday == first_weekend_day) & (hours >= 9) & (hours < 14)
        return np.where(open_weekday | open_weekend, curve * factor, 0.0)
    if spec.profile == "extended":
        curve = (
            0.06
            + 0.9 * _bump(hours, 11.0, 2.5)
            + 0.8 * _bump(hours, 15.5, 2.5)
            + 0.5 * _bump(hours, 20.5, 1.8)
        )
        curve = np.where(hours >= spec.opens_at, curve, 0.0)
        return np.asarray(curve * factor, dtype=np.float64)
    curve = 0.05 + _bump(hours, 10.0, 2.5) + 0.7 * _bump(hours, 14.5, 2.5)
    return np.asarray(curve * factor, dtype=np.float64)


def rough_agents(
    volume: FloatArray, aht_seconds: FloatArray, interval_minutes: int, queue: Queue
) -> FloatArray:
    """Approximate agents needed per interval, for calibration only (not the real staffing maths).

    Live queues use square-root staffing ``A + √A`` (close to Erlang C at 80/20 for typical
    handle times), never below ``A / 0.85`` occupancy, rounded up to whole agents whenever
    anything arrives. Email is deferred work: ``A / 0.85`` with no queueing margin.

    >>> rough_agents(np.array([100.0, 0.0]), np.array([180.0, 180.0]), 30, Queue(
    ...     id="q", language="en", channel="phone")).tolist()
    [14.0, 0.0]
    """
    traffic = volume * aht_seconds / (interval_minutes * 60.0) / queue.concurrency
    if queue.deferred:
        return np.asarray(traffic / _MAX_OCCUPANCY, dtype=np.float64)
    live = np.ceil(np.maximum(traffic / _MAX_OCCUPANCY, traffic + np.sqrt(traffic)))
    return np.asarray(np.where(volume > 0, live, 0.0), dtype=np.float64)


def _calibrated_volume(
    shape: FloatArray, aht: FloatArray, target_hours: float, interval: int, queue: Queue
) -> FloatArray:
    """Scale ``shape`` so the rough required agent-hours match ``target_hours`` (bisection).

    A live queue needs one agent logged in whenever it is open. When the skilled agents are
    too few for even that floor (a small language queue in a small team), the target is raised
    just above the floor, so that one agent is reasonably busy rather than the forecast
    collapsing to a trickle of contacts.
    """
    if target_hours <= 0 or not shape.any():
        return np.zeros_like(shape)
    interval_hours = interval / 60
    if not queue.deferred:
        floor_hours = float(np.count_nonzero(shape)) * interval_hours
        target_hours = max(target_hours, _ABOVE_FLOOR * floor_hours)

    def hours(scale: float) -> float:
        volume = np.round(shape * scale, 1)
        return float(rough_agents(volume, aht, interval, queue).sum() * interval_hours)

    low, high = 0.0, 1.0
    while hours(high) < target_hours and high < 1e9:
        low, high = high, high * 4
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if hours(middle) < target_hours else (low, middle)
    return np.asarray(np.round(shape * high, 1), dtype=np.float64)


def _queue_capacity_hours(people: Sequence[_Person], days: int) -> dict[str, float]:
    """Contracted hours each queue can draw on: each agent's hours split over their skills."""
    capacity: dict[str, float] = {}
    for person in people:
        off_days = sum((entry.end - entry.start).days + 1 for entry in person.time_off)
        hours = person.contract.max_hours_per_week * days / 7 * (1 - off_days / days)
        for skill in person.skills:
            capacity[skill] = capacity.get(skill, 0.0) + hours / len(person.skills)
    return capacity


def _demand(
    specs: Sequence[QueueSpec],
    horizon: Horizon,
    capacity: dict[str, float],
    rng: np.random.Generator,
) -> list[DemandRow]:
    interval = horizon.interval_minutes
    utc = pd.date_range(horizon.start_utc, periods=horizon.interval_count, freq=f"{interval}min")
    per_day = 24 * 60 // interval
    starts = list(utc.to_pydatetime())
    rows: list[DemandRow] = []
    for spec in specs:
        shape = sum(
            (share * _market_shape(utc, zone, spec, interval) for zone, share in spec.markets),
            start=np.zeros(len(utc)),
        )
        day_level = np.repeat(rng.normal(1.0, 0.05, horizon.days), per_day)
        noise = rng.gamma(150.0, 1 / 150.0, len(utc))
        shape = shape * day_level * noise
        aht = np.round(spec.aht_seconds * rng.normal(1.0, 0.03, len(utc)))
        target = TARGET_UTILISATION * capacity.get(spec.queue.id, 0.0)
        volume = _calibrated_volume(shape, aht, target, interval, spec.queue)
        rows.extend(
            DemandRow(
                queue=spec.queue.id,
                interval_start=moment,
                volume=float(v),
                aht_seconds=float(a),
            )
            for moment, v, a in zip(starts, volume, aht, strict=True)
        )
    return rows


def generate_team(
    agents: int,
    days: int,
    queues: int,
    seed: int,
    interval_minutes: int = 30,
    start: date = DEFAULT_START,
) -> Scenario:
    """Generate a follow-the-sun team with a calibrated forecast, deterministically per ``seed``.

    Parameters
    ----------
    agents:
        Team size; spread over Manila, Copenhagen, Athens, Riyadh, Chicago and Sydney.
    days:
        Horizon length in UTC days from ``start``.
    queues:
        How many queues to take from :data:`QUEUE_CATALOGUE`, in order (en-chat, da-phone,
        el-phone, ar-chat, en-email, en-phone, de-phone, es-chat).
    seed:
        Seed of the one random generator everything is drawn from.
    interval_minutes:
        Demand interval: 15, 30 or 60.
    start:
        First UTC day; defaults to a Monday spanning both DST directions.

    Returns
    -------
    Scenario
        Agents with 1–3 plausible skills, three contracts (full-time employees, part-time
        contractors, a night-capable 24/7 contract), ≈5 % of agent-days off, preferences for
        ≈30 % of agents, and forecast demand (volume + AHT) for every queue and interval.

    Raises
    ------
    SyntheticSpecError
        When an argument is out of range (it names the argument).
    """
    _check_arguments(agents, days, queues, interval_minutes)
    rng = np.random.default_rng(seed)
    specs = QUEUE_CATALOGUE[:queues]
    horizon = Horizon.model_validate(
        {"start": start, "days": days, "interval_minutes": interval_minutes}
    )
    people = _people(agents, specs, rng)
    _add_time_off(people, start, days, rng)
    demand = _demand(specs, horizon, _queue_capacity_hours(people, days), rng)
    team = [
        Agent(
            id=person.id,
            name=person.name,
            email=f"{person.id}@sunshift.example",
            timezone=person.site.zone,
            site=person.site.name,
            skills=person.skills,
            contract=person.contract.id,
            cost_per_hour=round(person.site.cost_per_hour * _COST_FACTOR[person.contract.id], 2),
            employment="contractor" if person.contract is PART_TIME else "employee",
            availability=person.availability,
            time_off=person.time_off,
            preferences=person.preferences,
        )
        for person in people
    ]
    return Scenario(
        name=f"synthetic-{agents}a-{days}d-{queues}q-seed{seed}",
        horizon=horizon,
        queues=[spec.queue for spec in specs],
        contracts=list(CONTRACTS),
        agents=team,
        demand=demand,
    )
