from datetime import UTC, datetime, timedelta, timezone

import pytest

from goodwill.analysis.commitments.due import add_business_days, resolve_due

WEDNESDAY = datetime(2024, 6, 5, 10, 15, tzinfo=UTC)
FRIDAY_EVENING = datetime(2024, 6, 7, 16, 40, tzinfo=UTC)


@pytest.mark.parametrize(
    ("words", "due"),
    [
        ("tomorrow", "2024-06-06 17:00"),
        ("by Friday", "2024-06-07 17:00"),
        ("within 48 hours", "2024-06-07 10:15"),
        ("next week", "2024-06-14 17:00"),
        ("by end of day", "2024-06-05 17:00"),
        ("in 3 business days", "2024-06-10 17:00"),
        ("within the hour", "2024-06-05 11:15"),
        ("tomorrow at 10am", "2024-06-06 10:00"),
        ("by 5pm tomorrow", "2024-06-06 17:00"),
        ("first thing tomorrow", "2024-06-06 12:00"),
        ("this evening", "2024-06-05 20:00"),
        ("within 5 to 7 business days", "2024-06-14 17:00"),
        ("early next week", "2024-06-11 17:00"),
        ("by the end of the month", "2024-06-30 17:00"),
        ("next month", "2024-07-31 17:00"),
        ("on June 20", "2024-06-20 17:00"),
        ("on 3 July", "2024-07-03 17:00"),
        ("on the 10th", "2024-06-10 17:00"),
        ("on the 2nd", "2024-07-02 17:00"),
        ("within two weeks", "2024-06-19 17:00"),
        ("by 9am", "2024-06-06 09:00"),
        ("by 3pm", "2024-06-05 15:00"),
        ("between 9am and 1pm tomorrow", "2024-06-06 13:00"),
    ],
)
def test_due_time_resolves_against_the_message_time(words: str, due: str) -> None:
    resolved, _ = resolve_due(f"I will send it {words}", WEDNESDAY)
    assert resolved == datetime.fromisoformat(due).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "words", ["soon", "as soon as possible", "within 10 days of the inspection", "right away"]
)
def test_vague_or_event_relative_times_have_no_due_time(words: str) -> None:
    assert resolve_due(f"We will refund you {words}", WEDNESDAY)[0] is None


def test_a_weekday_named_on_that_weekday_is_next_week() -> None:
    resolved, words = resolve_due("I'll call you on Friday", FRIDAY_EVENING)
    assert resolved == datetime(2024, 6, 14, 17, 0, tzinfo=UTC)
    assert words == "Friday"


def test_tomorrow_over_a_weekend_and_business_days_skip_it() -> None:
    assert resolve_due("tomorrow", FRIDAY_EVENING)[0] == datetime(2024, 6, 8, 17, tzinfo=UTC)
    assert add_business_days(FRIDAY_EVENING.date(), 1).isoformat() == "2024-06-10"


def test_the_message_offset_is_kept() -> None:
    tz = timezone(timedelta(hours=-5))
    resolved, _ = resolve_due("by tomorrow", datetime(2024, 11, 25, 13, 20, tzinfo=tz))
    assert resolved == datetime(2024, 11, 26, 17, 0, tzinfo=tz)


def test_a_date_already_past_this_year_is_next_year() -> None:
    resolved, _ = resolve_due("on January 3", datetime(2024, 12, 30, 11, tzinfo=UTC))
    assert resolved == datetime(2025, 1, 3, 17, 0, tzinfo=UTC)
