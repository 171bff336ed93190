"""Rhythm schedules: RFC 5545 rules in local time, across changes to and from summer time."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tracker.domain import errors
from tracker.domain.rhythm import START_PATTERN, Rhythm, picked


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_weekly_at_nine_stays_at_nine_when_the_clocks_go_back() -> None:
    monday = Rhythm.parse("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9", "2026-10-12T09:00", "Europe/London")
    slots = monday.between(utc(2026, 10, 12), utc(2026, 11, 3))
    # 09:00 BST is 08:00 UTC; after 25 October, 09:00 GMT is 09:00 UTC.
    assert slots == [
        utc(2026, 10, 12, 8),
        utc(2026, 10, 19, 8),
        utc(2026, 10, 26, 9),
        utc(2026, 11, 2, 9),
    ]


def test_every_two_weeks_across_the_spring_change_in_new_york() -> None:
    rhythm = picked("two weeks", "TU", "18:30", "America/New_York", "2026-02-24")
    assert rhythm.rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;BYHOUR=18;BYMINUTE=30"
    # 18:30 EST is 23:30 UTC; from 8 March, 18:30 EDT is 22:30 UTC.
    assert rhythm.between(utc(2026, 2, 1), utc(2026, 4, 1)) == [
        utc(2026, 2, 24, 23, 30),
        utc(2026, 3, 10, 22, 30),
        utc(2026, 3, 24, 22, 30),
    ]


def test_monthly_after_the_28th_means_the_last_day_of_each_month() -> None:
    rhythm = picked("month", "", "09:00", "Europe/Berlin", "2026-01-31")
    slots = rhythm.between(utc(2026, 1, 1), utc(2026, 5, 1))
    assert [slot.date().isoformat() for slot in slots] == [
        "2026-01-31",
        "2026-02-28",
        "2026-03-31",
        "2026-04-30",
    ]
    assert slots[2] == utc(2026, 3, 31, 7)  # CEST from 29 March: 09:00 is 07:00 UTC
    fifteenth = picked("month", "", "09:00", "Europe/Berlin", "2026-01-15")
    assert fifteenth.rule == "FREQ=MONTHLY;BYMONTHDAY=15;BYHOUR=9;BYMINUTE=0"


def test_a_time_the_clocks_skip_or_repeat() -> None:
    skipped = Rhythm.parse("FREQ=DAILY", "2026-03-28T01:30", "Europe/London")
    # 29 March 01:30 does not exist in London: taken with the offset before, 01:30 UTC.
    assert skipped.between(utc(2026, 3, 28), utc(2026, 3, 31)) == [
        utc(2026, 3, 28, 1, 30),
        utc(2026, 3, 29, 1, 30),
        utc(2026, 3, 30, 0, 30),
    ]
    repeated = Rhythm.parse("FREQ=DAILY", "2026-10-24T01:30", "Europe/London")
    # 25 October 01:30 happens twice: the first (BST, 00:30 UTC) is meant.
    assert repeated.between(utc(2026, 10, 24), utc(2026, 10, 27)) == [
        utc(2026, 10, 24, 0, 30),
        utc(2026, 10, 25, 0, 30),
        utc(2026, 10, 26, 1, 30),
    ]


def test_latest_and_next_around_an_instant() -> None:
    monday = Rhythm.parse("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9", "2026-10-12T09:00", "Europe/London")
    assert monday.latest_at_or_before(utc(2026, 10, 26, 8, 59)) == utc(2026, 10, 19, 8)
    assert monday.latest_at_or_before(utc(2026, 10, 26, 9)) == utc(2026, 10, 26, 9)
    assert monday.next_after(utc(2026, 10, 26, 9)) == utc(2026, 11, 2, 9)
    assert monday.latest_at_or_before(utc(2026, 10, 12, 7)) is None
    ending = Rhythm.parse("FREQ=WEEKLY;COUNT=2", "2026-10-12T09:00", "UTC")
    assert ending.next_after(utc(2026, 10, 19, 9)) is None


@pytest.mark.parametrize(
    ("rule", "start", "zone", "wrong"),
    [
        ("FREQ=HOURLY", "2026-10-12T09:00", "UTC", "rule"),
        ("FREQ=WEEKLY;BYDAY=XX", "2026-10-12T09:00", "UTC", "rule"),
        ("FREQ=WEEKLY;DTSTART=20260101T000000", "2026-10-12T09:00", "UTC", "rule"),
        ("", "2026-10-12T09:00", "UTC", "rule"),
        ("FREQ=DAILY;BYHOUR=9 FREQ=MINUTELY", "2026-10-12T09:00", "UTC", "rule"),
        ("FREQ=WEEKLY;BYHOUR=9,17", "2026-10-12T09:00", "UTC", "rule"),
        ("FREQ=DAILY;BYMINUTE=0,30", "2026-10-12T09:00", "UTC", "rule"),
        ("RRULE:FREQ=DAILY\nRDATE:20261013T090000", "2026-10-12T09:00", "UTC", "rule"),
        ("FREQ=WEEKLY", "next monday", "UTC", "start"),
        ("FREQ=WEEKLY", "2026-10-12T09:00+01:00", "UTC", "start"),
        ("FREQ=WEEKLY", "2026-10-12T09:00", "Mars/Olympus", "zone"),
    ],
)
def test_a_schedule_that_cannot_be_worked_out_names_the_part(
    rule: str, start: str, zone: str, wrong: str
) -> None:
    with pytest.raises(errors.InvalidRhythm) as refused:
        Rhythm.parse(rule, start, zone)
    assert set(refused.value.fields) == {wrong}


def test_the_picker_names_what_it_cannot_use() -> None:
    with pytest.raises(errors.InvalidRhythm) as refused:
        picked("fortnight", "XX", "25:00", "Moon/Base", "soon")
    assert set(refused.value.fields) == {"every", "day", "time", "first", "zone"}


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYSETPOS=-366",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=WEEKLY;BYWEEKNO=54",
    ],
)
def test_a_rule_that_never_occurs_is_refused_in_words(rule: str) -> None:
    with pytest.raises(errors.InvalidRhythm) as refused:
        Rhythm.parse(rule, "2026-05-04T09:00", "Europe/London")
    assert refused.value.fields == {"rule": ["never occurs in the 5 years after its start"]}


def test_a_rule_is_judged_from_its_own_start() -> None:
    """It ends before it begins: judged from a fixed day of 2026, it used to pass."""
    with pytest.raises(errors.InvalidRhythm) as refused:
        Rhythm.parse("FREQ=DAILY;UNTIL=20260601T000000", "2026-12-07T09:00", "UTC")
    assert refused.value.fields == {"rule": ["never occurs in the 5 years after its start"]}
    Rhythm.parse("FREQ=DAILY;UNTIL=20260601T000000", "2026-05-04T09:00", "UTC")


@pytest.mark.parametrize("rule", ["FREQ=DAILY;BYEASTER=400", "FREQ=YEARLY;BYEASTER=-1000"])
def test_a_rule_dateutil_cannot_follow_is_refused_in_words_not_a_crash(rule: str) -> None:
    with pytest.raises(errors.InvalidRhythm) as refused:
        Rhythm.parse(rule, "2026-05-04T09:00", "UTC")
    [said] = refused.value.fields["rule"]
    assert said.startswith("is not a recurrence rule dateutil can follow")


def test_the_search_for_a_next_slot_ends_five_years_after_it_began() -> None:
    """Whatever was recorded before rules were checked for ever occurring, no search for a
    slot goes on to the year 9999: the 29th of February after 2096 is eight years away."""
    leap_day = Rhythm("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", datetime(2024, 2, 29, 9), "UTC")
    assert leap_day.next_after(utc(2024, 3, 1)) == utc(2028, 2, 29, 9)
    assert leap_day.next_after(utc(2096, 3, 1)) is None
    never = Rhythm("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", datetime(2026, 1, 1, 9), "UTC")
    assert never.next_after(utc(2026, 1, 1)) is None
    assert never.latest_at_or_before(utc(2027, 1, 1)) is None


def _a_day(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def test_the_documented_start_pattern_admits_exactly_the_days_that_exist() -> None:
    # The OpenAPI document states START_PATTERN; a start it admits must be one the server
    # takes, and one it refuses must be refused: month lengths and leap years included.
    pattern = re.compile(START_PATTERN)
    februaries = [f"{year}-02-{day}T09:00" for year in range(1000, 10000) for day in (28, 29, 30)]
    months = [
        f"{year}-{month:02d}-{day:02d}T09:00"
        for year in (2026, 2028)
        for month in range(14)
        for day in range(33)
    ]
    for text in februaries + months:
        assert bool(pattern.fullmatch(text)) == _a_day(text), text
    for time in ("24:00", "09:60", "9:00", "09:00:60", "09:00:00.5", "09:00Z"):
        assert not pattern.fullmatch(f"2026-05-04T{time}"), time
    assert pattern.fullmatch("2026-05-04T09:00:30")  # seconds are taken, and dropped
    with pytest.raises(errors.InvalidRhythm) as refused:
        Rhythm.parse("FREQ=DAILY", "2026-05-04 09:00", "Europe/London")
    assert set(refused.value.fields) == {"start"}


@pytest.mark.parametrize(
    ("rule", "start", "zone"),
    [
        ("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", "2021-01-04T09:00", "Europe/London"),
        ("FREQ=DAILY;BYHOUR=1;BYMINUTE=30", "2026-03-25T01:30", "Europe/Berlin"),  # summer time
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "2026-01-31T18:00", "America/New_York"),
        ("FREQ=WEEKLY;COUNT=4", "2026-03-02T09:00", "UTC"),  # ends before the third asked for
    ],
)
def test_the_next_few_in_one_search_are_the_next_one_asked_again_and_again(
    rule: str, start: str, zone: str
) -> None:
    rhythm = Rhythm.parse(rule, start, zone)
    for now in (datetime(2026, 3, 20, 12, tzinfo=UTC), datetime(2026, 3, 29, 0, 45, tzinfo=UTC)):
        one_by_one: list[datetime] = []
        slot: datetime | None = now
        while len(one_by_one) < 3 and slot is not None:
            slot = rhythm.next_after(slot)
            if slot is not None:
                one_by_one.append(slot)
        assert rhythm.next_ones(now, 3) == one_by_one
