"""Where the application gets the time, so tests and the demo can set it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from threading import Lock
from typing import Protocol
from zoneinfo import ZoneInfo


def readable(moment: str | datetime, zone: str = "UTC") -> str:
    """A time as people read it, in ``zone`` and naming it: "12 Jan 2026, 09:00 GMT" (the
    zone's full name where its abbreviation is only an offset). Stored times are UTC."""
    instant = moment if isinstance(moment, datetime) else datetime.fromisoformat(moment)
    local = instant.astimezone(ZoneInfo(zone))
    short = local.strftime("%Z")
    return f"{local.strftime('%-d %b %Y, %H:%M')} {short if short.isalpha() else zone}"


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class SettableClock:
    """A clock that only moves when told to; always timezone-aware UTC."""

    def __init__(self, start: datetime) -> None:
        self._now = _as_utc(start)
        self._lock = Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = _as_utc(when)

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now += delta
            return self._now


def _as_utc(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("clock times must be timezone-aware")
    return when.astimezone(UTC)
