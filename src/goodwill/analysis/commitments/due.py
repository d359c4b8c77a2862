"""Resolve a promise's due time against the message time: a small grammar of time expressions.

Three kinds of expression, found with the patterns below and combined:

- a duration ("within 48 hours", "in 3 business days", "5 to 7 working days", "within the hour");
- a day ("today", "tomorrow morning", "by Friday", "next week", "end of the month", "June 12");
- a clock time ("by 3pm", "at 10:30", "between 9am and 1pm", "noon").

A duration in minutes or hours is added to the message time; in days, weeks or business days it
lands on a day. A day without a clock time is due at the end of the business day (17:00), its
morning at 12:00 and its evening at 20:00. Ranges resolve to their upper end. A duration counted
from an event ("within 10 days of the inspection") and vague words ("soon") resolve to ``None``.
The conventions are listed in tests/data/README.md and docs/architecture.md.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

END_OF_DAY = time(17, 0)
MORNING = time(12, 0)
EVENING = time(20, 0)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fourteen": 14,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty-eight": 48,
    "seventy-two": 72,
}

_NUM = r"(?:\d+|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + r")"
_UNIT = r"(?:business|working)\s+days?|minutes?|mins?|hours?|hrs?|days?|weeks?"
_WEEKDAY = "|".join(WEEKDAYS)
_MONTH = "|".join(m[:3] + f"(?:{m[3:]})?" for m in MONTHS)
_PART = r"(?:\s+(?P<part>morning|afternoon|evening|night))?"
_CLOCK = r"\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d{2}|noon|midday"

DURATION = re.compile(
    rf"\b(?:within|in)\s+(?:the\s+next\s+)?(?:(?P<low>{_NUM})\s*(?:-|–|to)\s*)?"
    rf"(?P<n>{_NUM})\s+(?P<unit>{_UNIT})(?P<of>\s+of\b)?"
    r"|\b(?:within|in)\s+the\s+(?:next\s+)?(?P<hour>hour)\b",
    re.IGNORECASE,
)
DAY = re.compile(
    r"\b(?P<first>first thing\s+)?(?P<rel>today|tonight|tomorrow|this(?=\s+(?:morning|afternoon|"
    r"evening|night)))" + _PART + r"\b"
    r"|\b(?P<eod>end of (?:the )?(?:business )?day|eod|close of business|cob)\b"
    rf"|\b(?P<early>early\s+)?(?:next\s+|this\s+)?(?P<weekday>{_WEEKDAY})"
    + _PART.replace("part", "wpart")
    + r"\b"
    r"|\b(?:end of (?:the |this )?|this )(?P<week>week)\b"
    r"|\b(?P<earlynext>early\s+)?next\s+(?P<next>week|month)\b"
    r"|\b(?:end of (?:the |this )?|this )(?P<month>month)\b|\b(?P<monthend>month[- ]end)\b"
    rf"|\b(?P<mname>{_MONTH})\.?\s+(?P<mday>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"|\b(?P<dday>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dname>{_MONTH})\b"
    r"|\bthe\s+(?P<ordinal>\d{1,2})(?:st|nd|rd|th)\b",
    re.IGNORECASE,
)
CLOCK = re.compile(
    rf"\bbetween\s+(?:{_CLOCK})\s+and\s+(?P<upper>{_CLOCK})|\b(?P<clock>{_CLOCK})(?!\w)",
    re.IGNORECASE,
)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else NUMBERS[text.lower()]


def _clock(text: str) -> time:
    t = text.lower().replace(".", "").replace(" ", "")
    if t in ("noon", "midday"):
        return time(12, 0)
    suffix = t[-2:] if t[-2:] in ("am", "pm") else ""
    hour_text, _, minute_text = t.removesuffix(suffix).partition(":")
    hour, minute = int(hour_text), int(minute_text or 0)
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    return time(min(hour, 23), min(minute, 59))


def add_business_days(day: date, n: int) -> date:
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def _month_end(day: date, months_ahead: int) -> date:
    first = date(
        day.year + (day.month + months_ahead) // 12, (day.month + months_ahead) % 12 + 1, 1
    )
    return first - timedelta(days=1)


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)


def _on_or_after(day: date, month: int, mday: int) -> date | None:
    for year in (day.year, day.year + 1):
        try:
            candidate = date(year, month, mday)
        except ValueError:
            return None
        if candidate >= day:
            return candidate
    return None


def _part_time(part: str | None, default: time = END_OF_DAY) -> time:
    if part is None:
        return default
    return {"morning": MORNING, "afternoon": END_OF_DAY}.get(part.lower(), EVENING)


def _relative_day(m: re.Match[str], today: date) -> tuple[date, time] | None:
    rel, part = m["rel"].lower(), m["part"]
    if rel == "this" and part is None:
        return None  # "this" alone is no day
    if m["first"]:
        return today + timedelta(days=1 if rel == "tomorrow" else 0), MORNING
    day = today + timedelta(days=1) if rel == "tomorrow" else today
    return day, _part_time(part, EVENING if rel == "tonight" else END_OF_DAY)


def _named_day(m: re.Match[str], today: date) -> date | None:
    if m["weekday"]:
        return _next_weekday(today, WEEKDAYS.index(m["weekday"].lower()))
    if m["week"]:
        return today + timedelta(days=(4 - today.weekday()) % 7)
    if m["next"]:
        if m["next"].lower() == "month":
            return _month_end(today, 1)
        next_monday = today + timedelta(days=7 - today.weekday())
        return next_monday + timedelta(days=1 if m["earlynext"] else 4)
    if m["month"] or m["monthend"]:
        return _month_end(today, 0)
    if m["mname"] or m["dname"]:
        month = MONTHS.index(_full_month(m["mname"] or m["dname"])) + 1
        return _on_or_after(today, month, int(m["mday"] or m["dday"]))
    if m["ordinal"]:
        mday = int(m["ordinal"])
        return (
            _on_or_after(today, today.month, mday)
            if mday >= today.day
            else (
                _on_or_after(_month_end(today, 0) + timedelta(days=1), today.month % 12 + 1, mday)
            )
        )
    return None


def _full_month(name: str) -> str:
    prefix = name.lower().rstrip(".")[:3]
    return next(m for m in MONTHS if m.startswith(prefix))


def find_day(text: str, today: date) -> tuple[date, time, str] | None:
    """The first day expression in ``text``: its date, default time and matched words."""
    for m in DAY.finditer(text):
        if m["rel"]:
            found = _relative_day(m, today)
            if found is not None:
                return found[0], found[1], m.group()
            continue
        if m["eod"]:
            return today, END_OF_DAY, m.group()
        day = _named_day(m, today)
        if day is not None:
            return day, _part_time(m["wpart"]), m.group()
    return None


def _from_duration(m: re.Match[str], sent_at: datetime) -> datetime | None:
    if m["hour"]:
        return sent_at + timedelta(hours=1)
    if m["of"]:
        return None  # counted from an event the text names, not from now
    n, unit = _number(m["n"]), m["unit"].lower()
    if unit.startswith(("min", "hour", "hr")):
        return sent_at + timedelta(**{"minutes" if unit.startswith("min") else "hours": n})
    if unit.startswith(("business", "working")):
        day = add_business_days(sent_at.date(), n)
    else:
        day = sent_at.date() + timedelta(days=n * (7 if unit.startswith("week") else 1))
    return datetime.combine(day, END_OF_DAY, tzinfo=sent_at.tzinfo)


def resolve_due(text: str, sent_at: datetime) -> tuple[datetime | None, str | None]:
    """The due time of a promise worded as ``text`` and sent at ``sent_at``, and the words used."""
    duration = DURATION.search(text)
    if duration is not None:
        return _from_duration(duration, sent_at), duration.group()
    day = find_day(text, sent_at.date())
    clock = CLOCK.search(text)
    if day is None and clock is None:
        return None, None
    if day is None:
        assert clock is not None
        due = datetime.combine(sent_at.date(), _clock(clock["upper"] or clock["clock"]))
        due = due.replace(tzinfo=sent_at.tzinfo)
        return (due if due > sent_at else due + timedelta(days=1)), clock.group()
    if clock is None:
        return datetime.combine(day[0], day[1], tzinfo=sent_at.tzinfo), day[2]
    at = _clock(clock["upper"] or clock["clock"])
    return datetime.combine(day[0], at, tzinfo=sent_at.tzinfo), f"{day[2]} {clock.group()}"
