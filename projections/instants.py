"""One way to write a time in the views, and to read it back: UTC with a fixed width, so text
comparison orders times on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache


# Every view writes the same event's time; caching the text form spares each view
# formatting them again, which is a measurable share of a rebuild.
@lru_cache(maxsize=4096)
def iso(when: datetime) -> str:
    """UTC with a fixed width, so text comparison orders times on SQLite and PostgreSQL alike."""
    if when.utcoffset() != _ZERO:
        when = when.astimezone(UTC)
    return when.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


_ZERO = timedelta(0)


@lru_cache(maxsize=4096)
def instant(text: str) -> datetime:
    """A time as ``iso`` wrote it, read back (timezone-aware, UTC)."""
    return datetime.fromisoformat(text)
