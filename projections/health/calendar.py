"""Weeks in an alliance's time zone, one reckoning for the view that counts them and the
reader that reads them back: a week runs from Monday 00:00 to the next, on the alliance's
clock (the zone of its agreed rhythm, UTC until it has one)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from projections.instants import iso


@lru_cache(maxsize=64)
def zone_of(name: str) -> ZoneInfo:
    """The zone by its IANA name; a name this machine does not know counts as UTC."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def week_of(when: datetime, zone: str) -> tuple[str, str]:
    """The week holding an instant: its Monday in the zone, and when that Monday begins (UTC)."""
    monday = monday_of(when.astimezone(zone_of(zone)).date())
    return monday.isoformat(), week_start(monday, zone)


@lru_cache(maxsize=65536)
def week_start(monday: date, zone: str) -> str:
    """When a week's Monday begins in the zone, as a UTC instant."""
    return iso(datetime.combine(monday, time(0), tzinfo=zone_of(zone)).astimezone(UTC))


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())
