"""The schedule a rhythm term carries: an RFC 5545 recurrence rule, its local start and an
IANA time zone, as in "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9" from 2026-05-04T09:00 Europe/London.

Occurrences are worked out in local wall-clock time and only then placed in the zone, so
"Monday at 09:00" stays 09:00 on both sides of a change to or from summer time. On the day
the clocks go forward a local time inside the skipped hour does not exist: it is taken with
the offset before the change, which lands it an hour later by the new clock (01:30 in
London becomes 02:30 BST). In the hour repeated when the clocks go back, the first of the
two is meant.
"""

from __future__ import annotations

import contextvars
import datetime as datetime_module
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo, available_timezones

import dateutil.rrule
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

from tracker.clean_text import server_check
from tracker.domain import errors

# A check-in more often than daily would be noise, and the scheduler's tick is a minute.
FREQUENCIES = {"DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY}
RULE_MAX = 300


@dataclass(frozen=True)
class Rhythm:
    rule: str  # the RRULE value, without "RRULE:"
    start: datetime  # local wall-clock time, without a zone
    zone: str

    @classmethod
    def parse(cls, rule: str, start: str | datetime, zone: str) -> Rhythm:
        """A valid rhythm, or InvalidRhythm naming the part that is wrong."""
        problems = _zone_problems(zone)
        local = start
        if isinstance(start, str):
            if _START.fullmatch(start):
                local = datetime.fromisoformat(start)
            else:
                problems["start"] = "must be a local date and time, like 2026-05-04T09:00"
        rule = rule.removeprefix("RRULE:")
        # Whether a rule occurs depends on where it starts (UNTIL); a start that cannot be
        # read, or is centuries off (refused for itself, as too far from today), leaves the
        # rule to be judged from an ordinary one.
        judged_from = _ANY_START
        if isinstance(local, datetime) and _ANY_START.year - 100 < local.year < 2199:
            judged_from = local
        problem = _rule_problem(rule, judged_from)
        if problem:
            problems["rule"] = problem
        if problems:
            raise errors.InvalidRhythm(problems)
        assert isinstance(local, datetime)
        return cls(rule, local.replace(second=0, microsecond=0), zone)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Rhythm:
        return cls(record["rule"], datetime.fromisoformat(record["start"]), record["zone"])

    def record(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "start": self.start.isoformat(timespec="minutes"),
            "zone": self.zone,
        }

    def _recurrence(self) -> rrule:
        return _bounded(rrulestr(self.rule, dtstart=self.start))

    def _instant(self, local: datetime) -> datetime:
        return local.replace(tzinfo=ZoneInfo(self.zone), fold=0).astimezone(UTC)

    def _local(self, instant: datetime) -> datetime:
        return instant.astimezone(ZoneInfo(self.zone)).replace(tzinfo=None)

    def next_after(self, instant: datetime) -> datetime | None:
        """The first occurrence strictly after ``instant`` (UTC), or None once the rule ends."""
        # A day's margin either side of the local time covers any offset change; the exact
        # comparison is then made in UTC.
        local = self._local(instant) - timedelta(days=1)
        recurrence = self._recurrence()
        while True:
            with _searching_from(local):
                found = recurrence.after(local)
            if found is None:
                return None
            slot = self._instant(found)
            if slot > instant:
                return slot
            local = found

    def next_ones(self, instant: datetime, count: int) -> list[datetime]:
        """The next ``count`` occurrences strictly after ``instant`` (UTC), fewer once the rule
        ends: one search of the rule, where ``count`` calls of next_after make ``count``."""
        local = self._local(instant) - timedelta(days=1)  # the margin next_after keeps
        slots: list[datetime] = []
        with _searching_from(local):
            for found in self._recurrence().xafter(local, count=count + 3):
                slot = self._instant(found)
                if slot > instant:
                    slots.append(slot)
                if len(slots) == count:
                    break
        return slots

    def latest_at_or_before(self, instant: datetime) -> datetime | None:
        """The last occurrence at or before ``instant`` (UTC), or None if there is none yet."""
        local = self._local(instant) + timedelta(days=1)
        recurrence = self._recurrence()
        while True:
            with _searching_from(local):
                found = recurrence.before(local)
            if found is None:
                return None
            slot = self._instant(found)
            if slot <= instant:
                return slot
            local = found

    def between(self, after: datetime, until: datetime) -> list[datetime]:
        """Occurrences in (after, until], in UTC."""
        slots = []
        slot = self.next_after(after)
        while slot is not None and slot <= until:
            slots.append(slot)
            slot = self.next_after(slot)
        return slots


# --- the grammar, as the OpenAPI document states it too ---------------------------------

# The zones this machine's time zone database holds, by their IANA names.
ZONES: Final = frozenset(available_timezones())

# A local date and time to the minute (seconds allowed, and dropped), of a day that exists:
# the months' lengths and the leap years are in the pattern, so the document admits exactly
# the starts the server takes. (Years 1000 to 9999; how near today is the server's rule.)
_DAY = (
    "(?:[1-9][0-9]{3}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    "|(?:[1-9][0-9](?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)"
)
_TIME = "T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?"
START_PATTERN = f"^{_DAY}{_TIME}$"
# The rule's text: NAME=VALUE pairs of letters, digits and signs, joined by ";" (what each
# name and value means is the server's to check, and its refusal says which).
_RULE_PARTS = "[A-Za-z0-9=;,+-]+"
RULE_PATTERN = f"^(?:RRULE:)?{_RULE_PARTS}$"
_START = server_check(START_PATTERN)
RULE_TEXT = server_check(_RULE_PARTS)


def _zone_problems(zone: str) -> dict[str, str]:
    if zone not in ZONES:
        shown = zone if len(zone) <= 64 else zone[:64] + "…"
        return {"zone": f"{shown!r} is not an IANA time zone (like Europe/London)"}
    return {}


# Occurrences closer than this are more often than daily (a day less a clock change).
LEAST_APART = timedelta(hours=23)


_ANY_START = datetime(2026, 1, 1)


def _rule_problem(rule: str, start: datetime) -> str | None:
    if not rule or len(rule) > RULE_MAX:
        return f"must be an RFC 5545 recurrence rule of at most {RULE_MAX} characters"
    if not RULE_TEXT.fullmatch(rule):
        # dateutil would read whitespace as the start of a second rule, and ":" as a property.
        return "must be one rule: NAME=VALUE pairs joined by ';', no spaces"
    parts = dict(part.partition("=")[::2] for part in rule.upper().split(";"))
    if parts.get("FREQ") not in FREQUENCIES:
        return f"FREQ must be one of {', '.join(FREQUENCIES)} (at most daily)"
    if "DTSTART" in parts:
        return "give the start apart from the rule"
    start = start.replace(second=0, microsecond=0)
    try:
        recurrence = rrulestr(rule, dtstart=start)
    except (ValueError, TypeError, OverflowError) as error:
        return f"is not a recurrence rule RFC 5545 accepts: {error}"
    if not isinstance(recurrence, rrule):
        return "must be one rule"
    try:
        with _searching_from(start):
            slots = list(_bounded(recurrence).xafter(start, count=50, inc=True))
    except (ValueError, IndexError, OverflowError) as error:  # BYEASTER far from Easter
        return f"is not a recurrence rule dateutil can follow: {error or type(error).__name__}"
    if not slots:
        return f"never occurs in the {SEARCH_YEARS} years after its start"
    if any(later - earlier < LEAST_APART for earlier, later in zip(slots, slots[1:], strict=False)):
        return "comes round more often than daily (check BYHOUR, BYMINUTE and the like)"
    return None


# --- a search with an end -------------------------------------------------------------
# dateutil looks for a rule's next occurrence until the year 9999: a rule that never occurs
# ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30") took seconds to refuse (docs/speed.md), and as
# long in the views for every slot they worked out. Its search is made to end SEARCH_YEARS
# after it began, by running dateutil's own iteration with the last year it checks for set
# to that.

SEARCH_YEARS = 5  # a rhythm on the 29th of February comes round within four
_LAST_YEAR: contextvars.ContextVar[int] = contextvars.ContextVar(
    "last year searched", default=datetime_module.MAXYEAR
)


class _Calendar(types.SimpleNamespace):
    """The datetime module as the bounded iteration sees it: its last year is the search's."""

    @property
    def MAXYEAR(self) -> int:  # noqa: N802 (the module's own name)
        return min(_LAST_YEAR.get(), datetime_module.MAXYEAR)


_CALENDAR = _Calendar(**{k: v for k, v in vars(datetime_module).items() if k != "MAXYEAR"})


_ITER: Any = vars(rrule)["_iter"]


class _BoundedRule(rrule):
    _iter = types.FunctionType(
        _ITER.__code__,
        {**vars(dateutil.rrule), "datetime": _CALENDAR},
        "_iter",
        _ITER.__defaults__,
        _ITER.__closure__,
    )


def _bounded(recurrence: Any) -> rrule:
    if not isinstance(recurrence, rrule):
        raise errors.InvalidRhythm({"rule": "must be one rule"})
    recurrence.__class__ = _BoundedRule  # the same rule, searched with an end
    return recurrence


@contextmanager
def _searching_from(local: datetime) -> Iterator[None]:
    token = _LAST_YEAR.set(local.year + SEARCH_YEARS)
    try:
        yield
    finally:
        _LAST_YEAR.reset(token)


# A start this far from when the rhythm is proposed is a typing slip, and working out its
# occurrences would cost the scheduler more with every year in between.
START_WITHIN = timedelta(days=2 * 366)


def start_problem(rhythm: Rhythm, proposed_at: datetime) -> str | None:
    local = proposed_at.astimezone(ZoneInfo(rhythm.zone)).replace(tzinfo=None)
    if abs(rhythm.start - local) > START_WITHIN:
        return "must be within two years of today"
    return None


# --- the simple picker ----------------------------------------------------------------

PICKER_EVERY = {
    "week": "FREQ=WEEKLY",
    "two weeks": "FREQ=WEEKLY;INTERVAL=2",
    "month": "FREQ=MONTHLY",
}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def picked(every: str, day: str, time: str, zone: str, first: str) -> Rhythm:
    """The rule a person means by "every two weeks, on Monday, at 09:00", from the date of
    the first one. Monthly rhythms keep the first one's day of the month; a day after the
    28th means the last day of each month, so that no month is skipped."""
    problems = _zone_problems(zone)
    if every not in PICKER_EVERY:
        problems["every"] = f"must be one of: {', '.join(PICKER_EVERY)}"
    if every != "month" and day not in WEEKDAYS:
        problems["day"] = f"must be one of {', '.join(WEEKDAYS)}"
    try:
        hour, minute = (int(part) for part in time.split(":"))
        if not (0 <= hour < 24 and 0 <= minute < 60):
            raise ValueError(time)
    except ValueError:
        problems["time"] = "must be a time of day, like 09:00"
        hour = minute = 0
    try:
        first_day = datetime.fromisoformat(first).date()
    except ValueError:
        problems["first"] = "must be a date, like 2026-05-04"
    if problems:
        raise errors.InvalidRhythm(problems)
    rule = PICKER_EVERY[every]
    if every != "month":
        rule += f";BYDAY={day}"
    else:
        rule += f";BYMONTHDAY={first_day.day if first_day.day <= 28 else -1}"
    rule += f";BYHOUR={hour};BYMINUTE={minute}"
    start = datetime.combine(first_day, datetime.min.time()).replace(hour=hour, minute=minute)
    return Rhythm.parse(rule, start, zone)
