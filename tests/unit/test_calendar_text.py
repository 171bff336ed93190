"""A calendar feed escapes every text value: a title recorded with line breaks (before titles
were checked at the door) can neither add an event nor stop the feed."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from delivery.calendar import feed

RHYTHM = {
    "term_id": "t1",
    "version": 1,
    "text": "I check in on Mondays;\r\nwith coffee\x00",
    "schedule": {"zone": "Europe/London", "start": "2026-05-04T09:00", "rule": "FREQ=WEEKLY"},
}


def test_a_title_with_line_breaks_cannot_inject_an_event() -> None:
    title = "Team\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:forged\u2028\x85, and; more"
    alliance = {"title": title, "alliance_id": "a1", "design_conversation_at": None}
    data = feed(
        alliance, [RHYTHM], "https://tracker.example/checkins", datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert data.split(b"\r\n").count(b"BEGIN:VEVENT") == 1
    calendar = Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    assert "\n" not in str(event["summary"]) and "\r" not in str(event["summary"])
    assert str(event["summary"]).startswith("Check-in: Team  END:VEVENT")
    assert str(calendar["x-wr-calname"]).endswith("\\, and\\; more: check-ins"), "escaped"
    assert str(event["description"]).startswith("I check in on Mondays;\nwith coffee ")


def test_long_lines_fold_at_75_octets_and_never_split_a_character() -> None:
    """RFC 5545 folds a content line at 75 octets; a fold inside a multibyte character would
    leave both halves invalid UTF-8."""
    title = "Équipe ✓ 日本語のチーム, avec des mots; et \\ encore " * 3
    alliance = {"title": title, "alliance_id": "a1", "design_conversation_at": None}
    data = feed(
        alliance, [RHYTHM], "https://tracker.example/checkins", datetime(2026, 1, 1, tzinfo=UTC)
    )
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # each folded piece is whole characters
    assert b"\n" not in data.replace(b"\r\n", b"")
    name = str(Calendar.from_ical(data)["x-wr-calname"])  # unfolded, as a reader joins it
    assert name.startswith("Équipe ✓ 日本語のチーム\\, avec") and name.endswith(": check-ins")
