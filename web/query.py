"""Reading the query string, for the pages and the API alike: each parameter is either
absent (None) or what it must be, and anything else is refused with a 422 naming it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TypeVar
from uuid import UUID

from flask import request

from projections.attention.place import NEEDS
from projections.attention.queue import Narrowed, read_queue_cursor
from tracker.domain.errors import InvalidInput
from tracker.domain.vocabulary import ALLIANCE_KINDS
from tracker.fields import Instant
from web.errors import API_PREFIX

# Query parameters as the API's document states them: what instant() and day() take.
INSTANT_PARAMETER = {
    "type": "string",
    "format": "date-time",
    "pattern": Instant.PATTERN,
    "description": "an ISO 8601 instant with its offset, from 1900 to 2199",
}
DAY_PARAMETER = {
    "type": "string",
    "format": "date",
    "pattern": "^(19|20|21)[0-9][0-9]-",
    "description": "a day from 1900 to 2199",
}
T = TypeVar("T")

WHOLE_NUMBER_MAX = 2**53  # whole_number's ceiling: what every store holds


def _given(name: str) -> str | None:
    """The parameter as sent. A page's filter form sends a field left empty as "", which
    means absent there; the API's document admits no empty value, so there it is refused."""
    raw = request.args.get(name)
    if raw == "" and not request.path.startswith(API_PREFIX):
        return None
    return raw


def whole_number(name: str, *, minimum: int = 0, maximum: int = WHOLE_NUMBER_MAX) -> int | None:
    raw = _given(name)
    if raw is None:
        return None
    if not re.fullmatch(r"[0-9]{1,17}", raw) or not minimum <= int(raw) <= maximum:
        raise InvalidInput({name: [f"must be a whole number from {minimum} to {maximum}"]})
    return int(raw)


def uuid(name: str) -> UUID | None:
    raw = _given(name)
    if raw is None:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise InvalidInput({name: ["must be a UUID"]}) from None


def choice(name: str, options: tuple[str, ...]) -> str | None:
    raw = _given(name)
    if raw is not None and raw not in options:
        raise InvalidInput({name: [f"must be one of {', '.join(options)}"]})
    return raw


def instant(name: str) -> datetime | None:
    raw = _given(name)
    if raw is None:
        return None
    try:
        found: datetime | None = datetime.fromisoformat(raw)
        if found is not None and found.tzinfo is not None:
            found.astimezone(UTC)  # year 1 at +01:00 has no UTC form
    except (ValueError, OverflowError):
        found = None
    if found is None or found.tzinfo is None:
        raise InvalidInput(
            {name: ["must be an ISO-8601 instant with its offset, like 2026-05-01T09:00:00Z"]}
        )
    refused = Instant.year_refusal(raw)
    if refused is not None:
        raise InvalidInput({name: [refused]})
    return found


def day_from(raw: str) -> date | None:
    """A calendar day typed as YYYY-MM-DD within the years instants may take, or None."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
        return None
    try:
        found = date.fromisoformat(raw)
    except ValueError:
        return None
    return found if 1900 <= found.year < 2200 else None


def day(name: str) -> date | None:
    """A calendar day, as YYYY-MM-DD, within the years instants may take."""
    raw = _given(name)
    if raw is None:
        return None
    found = day_from(raw)
    if found is None:
        raise InvalidInput({name: ["must be a day from 1900 to 2199, like 2026-05-01"]})
    return found


def day_or_instant(name: str, *, end_of_day: bool = True) -> datetime | None:
    """What a page's date picker sends: a day, meaning the end of that day in UTC (or its
    start, for a "since"); a full instant is taken as is, and one without offset is UTC."""
    raw = _given(name)
    if raw is None:
        return None
    try:
        if len(raw) == 10:
            picked = datetime.fromisoformat(raw).replace(tzinfo=UTC)
            return picked.replace(hour=23, minute=59, second=59) if end_of_day else picked
        parsed = datetime.fromisoformat(raw)
        parsed.astimezone(UTC)  # year 1 at +01:00 has no UTC form
    except (ValueError, OverflowError):
        raise InvalidInput(
            {name: [f"must be a date (YYYY-MM-DD) or an ISO-8601 instant, not {raw[:40]!r}"]}
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def cursor(read: Callable[[str], T | None], name: str = "cursor") -> T | None:
    """A place in a list's order, as a page's or the API's own link gave it: ``read`` says
    what the cursor stands for, or None when it is not of the list's form."""
    raw = _given(name)
    if raw is None:
        return None
    after = read(raw)
    if after is None:
        raise InvalidInput({name: ["must be a cursor as a page link or next_cursor gives it"]})
    return after


def queue_narrowed(page: int, page_max: int) -> Narrowed:
    """The attention queue's filters and page."""
    limit = whole_number("limit", minimum=1) or page
    if limit > page_max:
        raise InvalidInput({"limit": [f"must be at most {page_max}"]})
    return Narrowed(
        kind=choice("kind", ALLIANCE_KINDS),
        need=choice("need", NEEDS),
        limit=limit,
        after=cursor(read_queue_cursor),
    )
