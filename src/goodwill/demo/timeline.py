"""Time in the demo: the 18-month window, working hours, and where contacts fall in a span."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

MONTHS = 18


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the second (what the import files carry)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Window:
    """The demo's history: from 18 months before ``as_of`` up to (not including) ``as_of``."""

    start: datetime
    end: datetime

    @classmethod
    def ending(cls, as_of: date) -> Window:
        start = months_before(as_of, MONTHS)
        return cls(
            start=datetime.combine(start, time(), tzinfo=UTC),
            end=datetime.combine(as_of, time(), tzinfo=UTC),
        )

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def add_months(moment: datetime, months: int) -> datetime:
    day = months_before(moment.date(), -months)
    return moment.replace(year=day.year, month=day.month, day=day.day)


def next_business_day(moment: datetime) -> datetime:
    day = moment + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def add_business_days(moment: datetime, days: int) -> datetime:
    for _ in range(days):
        moment = next_business_day(moment)
    return moment


def office_hours(
    moment: datetime, rng: random.Random, shift: tuple[int, int] = (8, 18), weekends: bool = False
) -> datetime:
    """``moment`` moved into working hours (08:00-18:00 on weekdays unless told otherwise)."""
    start, end = shift
    if (moment.weekday() >= 5 and not weekends) or moment.hour >= end:
        day = moment + timedelta(days=1)
        while day.weekday() >= 5 and not weekends:
            day += timedelta(days=1)
        return day.replace(hour=start, minute=rng.randint(0, 59))
    if moment.hour < start:
        return moment.replace(hour=start, minute=rng.randint(0, 59))
    return moment


def customer_hour(day: datetime, rng: random.Random) -> datetime:
    """A time a customer might write on ``day``: 07:00-23:00, most often in the evening."""
    hour = min(22, max(7, int(rng.triangular(7, 23, 19))))
    return day.replace(hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59))


def awake(moment: datetime, rng: random.Random) -> datetime:
    """``moment``, or the next morning when it falls in the night."""
    if 7 <= moment.hour < 23:
        return moment
    day = moment if moment.hour < 7 else moment + timedelta(days=1)
    return day.replace(hour=rng.randint(7, 9), minute=rng.randint(0, 59))


def after(moment: datetime, rng: random.Random, hours: tuple[float, float]) -> datetime:
    return moment + timedelta(hours=rng.uniform(*hours))


SHAPES = ("uniform", "rising", "falling", "early", "late")


def place(rng: random.Random, start: datetime, end: datetime, shape: str) -> datetime:
    """A moment in [start, end) drawn with a density of the given shape.

    rising: more contacts towards the end; falling: fewer; early: in the first third; late: in
    the last third.
    """
    if shape not in SHAPES:
        raise ValueError(f"shape: {shape!r} is not one of {SHAPES}")
    u = rng.random()
    if shape == "rising":
        u = math.sqrt(u)
    elif shape == "falling":
        u = 1 - math.sqrt(u)
    elif shape == "early":
        u = u / 3
    elif shape == "late":
        u = 2 / 3 + u / 3
    seconds = max(0.0, (end - start).total_seconds() - 1)
    return start + timedelta(seconds=u * seconds)
