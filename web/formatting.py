"""How times read on a page."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask

from tracker.clock import readable
from tracker.domain.rhythm import Rhythm
from web import parts


def when(value: str | datetime | None) -> str:
    return readable(value) if value else ""


DAYS = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
        "SA": "Saturday", "SU": "Sunday"}  # fmt: skip
EVERY = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


def rhythm_words(schedule: dict[str, str] | None) -> str:
    """A schedule as people say it: "every two weeks on Monday at 09:00, Europe/London".
    A rule beyond what the picker writes is shown as the rule itself."""
    if not schedule:
        return ""
    parts = dict(part.partition("=")[::2] for part in schedule["rule"].upper().split(";"))
    known = {"FREQ", "INTERVAL", "BYDAY", "BYHOUR", "BYMINUTE", "BYMONTHDAY"}
    numbers = ("INTERVAL", "BYHOUR", "BYMINUTE", "BYMONTHDAY")
    single = all(re.fullmatch(r"-?[0-9]{1,3}", parts[name]) for name in numbers if name in parts)
    single = single and "," not in parts.get("BYDAY", "")
    if parts.get("FREQ") not in EVERY or set(parts) - known or not single:
        return f"{schedule['rule']} from {schedule['start']}, {schedule['zone']}"
    start = datetime.fromisoformat(schedule["start"])
    interval = int(parts.get("INTERVAL", "1") or 1)
    every = EVERY[parts["FREQ"]]
    said = f"every {every}" if interval == 1 else f"every {interval} {every}s"
    if "BYDAY" in parts:
        said += f" on {DAYS.get(parts['BYDAY'][-2:], parts['BYDAY'])}"
    if parts.get("BYMONTHDAY") == "-1":
        said += " on its last day"
    elif "BYMONTHDAY" in parts:
        said += f" on day {parts['BYMONTHDAY']}"
    hour = int(parts.get("BYHOUR", start.hour) or 0)
    minute = int(parts.get("BYMINUTE", start.minute) or 0)
    return f"{said} at {hour:02d}:{minute:02d}, {schedule['zone']}"


def next_dates(schedule: dict[str, str] | None, count: int = 3) -> list[str]:
    """The rhythm's next check-ins after now, on the rhythm's own clock ("Mon 7 Dec 2026,
    09:00"): what a member agrees to is shown as dates, not only as a rule."""
    if not schedule:
        return []
    rhythm = Rhythm.from_record(schedule)
    zone = ZoneInfo(schedule["zone"])
    dates: list[str] = []
    slot: datetime | None = parts.now()
    while len(dates) < count and slot is not None:
        slot = rhythm.next_after(slot)
        if slot is not None:
            dates.append(slot.astimezone(zone).strftime("%a %-d %b %Y, %H:%M"))
    return dates


def week_start(value: str, zone: str) -> str:
    """The Monday a span of weeks begins, on the alliance's clock: "Monday 2 November"."""
    return datetime.fromisoformat(value).astimezone(ZoneInfo(zone)).strftime("%A %-d %B")


def init_app(app: Flask) -> None:
    app.add_template_filter(week_start)
    app.add_template_filter(when)
    app.add_template_filter(rhythm_words)
    app.add_template_filter(next_dates)
