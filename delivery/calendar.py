"""Each member's calendar feed of an alliance (iCalendar, RFC 5545, made with the icalendar
package): its agreed check-in rhythms as recurring events in their own time zone, with the
rule they were agreed with, and the design conversation.

A feed's address carries a key derived from the server's secret, the alliance, the member
and the key's version, so nothing secret is stored; a new version (rotation) ends the old
address. The feed says nothing anyone else's answers could reveal: titles and times only.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur, vText

from tracker.clean_text import NOT_ONE_LINE, NOT_TEXT

CHECKIN_LENGTH = timedelta(minutes=30)


def feed_key(secret: str, alliance_id: UUID | str, member_id: UUID | str, version: int) -> str:
    message = f"calendar:{alliance_id}:{member_id}:{version}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:40]


def key_matches(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _line(text: str) -> vText:
    """A title as one line of text: whatever was recorded before titles were checked at the
    door, a line break must neither end the property nor stop the feed."""
    return vText(NOT_ONE_LINE.sub(" ", text))


def _text(text: str) -> vText:
    return vText(NOT_TEXT.sub(" ", text.replace("\r\n", "\n")))


def feed(
    alliance: dict[str, Any], rhythms: list[dict[str, Any]], link: str, stamp: datetime
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//alliance-tracker//check-ins//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _line(f"{alliance['title']}: check-ins"))
    for term in rhythms:
        schedule = term["schedule"]
        zone = ZoneInfo(schedule["zone"])
        start = datetime.fromisoformat(schedule["start"]).replace(tzinfo=zone)
        event = Event()
        event.add("uid", f"rhythm-{term['term_id']}-v{term['version']}@alliance-tracker")
        event.add("summary", _line(f"Check-in: {alliance['title']}"))
        event.add("description", _text(f"{term['text']}\n\nAnswer here: {link}"))
        event.add("dtstart", start)
        event.add("dtend", start + CHECKIN_LENGTH)
        event.add("rrule", vRecur.from_ical(schedule["rule"]))
        event.add("url", link)
        event.add("dtstamp", stamp)
        calendar.add_component(event)
    if alliance.get("design_conversation_at"):
        at = datetime.fromisoformat(alliance["design_conversation_at"].replace("Z", "+00:00"))
        event = Event()
        event.add("uid", f"design-{alliance['alliance_id']}@alliance-tracker")
        event.add("summary", _line(f"Design conversation: {alliance['title']}"))
        event.add("dtstart", at)
        event.add("dtend", at + timedelta(hours=1))
        event.add("dtstamp", stamp)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data
