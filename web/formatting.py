"""How times read on a page: in the viewer's own zone (their account's choice, else the
alliance's, else UTC), with the zone named; and the zones a person may choose among."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, g, request

from projections.instants import iso
from tracker.clock import readable
from tracker.domain.rhythm import ZONES, Rhythm
from tracker.domain.vocabulary import with_article
from web import parts
from web.auth import signed_in_account

# The zones offered in a choice: each region's cities, and UTC (the database's older aliases,
# like US/Pacific or Etc/GMT+5, are still taken, but not offered).
REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia",
           "Europe", "Indian", "Pacific")  # fmt: skip
CHOOSABLE_ZONES = ("UTC", *sorted(z for z in ZONES if z.split("/")[0] in REGIONS))


def as_sentence(said: str) -> str:
    """A problem's words, which begin in lower case, as a sentence's start: the first letter
    raised and the rest as written (str.capitalize would lower an address typed in capitals)."""
    return said[:1].upper() + said[1:]


def viewer_zone() -> tuple[str, str]:
    """The zone this request's times are shown in, and whose choice it is."""
    if "viewer_zone" not in g:
        account = signed_in_account()
        alliance_id = (request.view_args or {}).get("alliance_id")
        if account and account.get("time_zone"):
            g.viewer_zone = (account["time_zone"], "yours")
        elif alliance_id is not None:
            g.viewer_zone = (parts.health().zone(alliance_id), "the alliance's")
        else:
            g.viewer_zone = ("UTC", "the default")
    zone: tuple[str, str] = g.viewer_zone
    return zone


def when(value: str | datetime | None) -> str:
    """An instant as the viewer reads it, in their zone, named."""
    return readable(value, viewer_zone()[0]) if value else ""


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
    slots = rhythm.next_ones(parts.now(), count)
    return [slot.astimezone(zone).strftime("%a %-d %b %Y, %H:%M") for slot in slots]


def week_start(value: str, zone: str) -> str:
    """The Monday a span of weeks begins, on the alliance's clock: "Monday 2 November"."""
    return datetime.fromisoformat(value).astimezone(ZoneInfo(zone)).strftime("%A %-d %B")


def now_iso() -> str:
    """Now as the views store instants, to compare one with on a page."""
    return iso(parts.now())


def viewer_today() -> date:
    """Today's date on the viewer's calendar: what a commitment's day is read against."""
    return parts.now().astimezone(ZoneInfo(viewer_zone()[0])).date()


def day(value: str) -> str:
    """A calendar day (an ISO date) as a page says it: Fri 4 Dec 2026."""
    return date.fromisoformat(value).strftime("%a %-d %b %Y")


def init_app(app: Flask) -> None:
    app.add_template_global(now_iso)
    app.add_template_global(viewer_zone)
    app.add_template_global(viewer_today)
    app.jinja_env.globals["zones"] = CHOOSABLE_ZONES
    app.add_template_filter(week_start)
    app.add_template_filter(with_article)
    app.add_template_filter(when)
    app.add_template_filter(day)
    app.add_template_filter(rhythm_words)
    app.add_template_filter(next_dates)
