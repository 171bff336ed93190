"""The weekly digest, mailed to a real SMTP server on loopback: on Monday morning in the
reader's own zone, to those who chose it alone, exactly once a week across passes and two
schedulers, saying which alliances need the reader and why, the neediest first."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from uuid import UUID

from shell.bootstrap import Tracker
from shell.digest import week_due
from shell.outbox import Outbox
from shell.scheduler import CheckInScheduler
from tests.builders import scheduler_with_mail
from tests.receivers import Inbox
from tracker.clock import SettableClock

LOW = {"relationship": 5, "goals": 6, "approach": 5, "overall": 6}  # 22 of 40
# Monday 12 January 2026, 08:00 in New York (EST, five hours behind UTC).
NEW_YORK_MONDAY_EIGHT = datetime(2026, 1, 12, 13, tzinfo=UTC)


def person(tracker: Tracker, name: str) -> UUID:
    email = f"{name.lower()}@example.org"
    account = {"email": email, "name": name, "password": "a long enough secret"}
    made: UUID = tracker.service.register_account(account)["account_id"]
    tracker.service.verify_address(made, email, via="mail")
    return made


def coached(tracker: Tracker, coach: UUID, client: UUID, name: str) -> UUID:
    service = tracker.service
    founded = {"title": f"{name}'s coaching", "purpose": "", "kind": "coaching", "role": "coach"}
    alliance: UUID = service.found_alliance(coach, founded)["alliance_id"]
    email = f"{name.lower()}@example.org"
    invited = service.invite_member(coach, alliance, {"email": email, "role": "client"})
    service.join_alliance(
        client, alliance, {"invitation_id": invited["invitation_id"], "agreed_version": 0}
    )
    return alliance


def digests(inbox: Inbox) -> list[EmailMessage]:
    return [m for m in inbox.messages if str(m["Subject"]).startswith("This week: ")]


def passed(tracker: Tracker, scheduler: CheckInScheduler) -> None:
    tracker.engine.wait_for(tracker.app.recorder.max_notification_id() or 0)
    scheduler.run_due()


def test_a_digest_is_due_from_monday_eight_until_tuesday_eight_in_its_zone() -> None:
    assert week_due(NEW_YORK_MONDAY_EIGHT - timedelta(seconds=1), "America/New_York") is None
    assert week_due(NEW_YORK_MONDAY_EIGHT, "America/New_York") == datetime(2026, 1, 12).date()
    tuesday = NEW_YORK_MONDAY_EIGHT + timedelta(days=1)
    assert week_due(tuesday - timedelta(seconds=1), "America/New_York") is not None
    assert week_due(tuesday, "America/New_York") is None
    # Auckland's Monday 08:00 is Sunday 19:00 UTC in its summer.
    assert week_due(datetime(2026, 1, 11, 19, tzinfo=UTC), "Pacific/Auckland") == (
        datetime(2026, 1, 12).date()
    )


def test_the_digest_goes_once_a_week_on_monday_morning_to_those_who_chose_it(
    tracker: Tracker, clock: SettableClock, mail: tuple[Inbox, int]
) -> None:
    inbox, port = mail
    cora, maya, tom, lee = (person(tracker, n) for n in ("Cora", "Maya", "Tom", "Lee"))
    service = tracker.service
    service.choose_time_zone(cora, {"zone": "America/New_York"})
    service.choose_mail(cora, {"kind": "digest", "enabled": True})
    low = coached(tracker, cora, maya, "Maya")
    coached(tracker, cora, tom, "Tom")
    coached(tracker, cora, lee, "Lee")
    checkin = service.start_checkin_now(cora, low)["checkin_id"]
    for member in (cora, maya):
        service.respond_to_checkin(member, low, checkin, {"answers": {}, "ratings": LOW})
    one = scheduler_with_mail(tracker, port)
    two = CheckInScheduler.for_tracker(tracker, Outbox.for_tracker(tracker))
    passed(tracker, one)  # the alerts of the low check-in are raised

    clock.set(NEW_YORK_MONDAY_EIGHT - timedelta(minutes=1))
    passed(tracker, one)
    assert digests(inbox) == [], "Monday 07:59 in New York"
    clock.set(NEW_YORK_MONDAY_EIGHT)
    for scheduler in (one, two, one):
        passed(tracker, scheduler)
    (sent,) = digests(inbox)
    assert sent["To"] == "cora@example.org"
    assert sent["Subject"] == "This week: 1 of your 3 alliances needs you"
    text = sent.get_body(("plain",)).get_content()
    assert "1. Maya's coaching: needs attention" in text
    assert "Waiting since 5 Jan 2026, 04:00 EST: an alert was raised then" in text, "her zone"
    assert "Alert: Low session rating: Maya rated the check-in of " in text
    assert "Tom's coaching" not in text, "too early to judge is not a need"
    assert re.search(r"https://tracker\.example/alliances/[0-9a-f-]{36}\r?\n", text)
    off = re.fullmatch(r"<https://tracker\.example/unsubscribe/digest/\S+>",
                       sent["List-Unsubscribe"])  # fmt: skip
    assert off and sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    clock.set(NEW_YORK_MONDAY_EIGHT + timedelta(days=1, minutes=-1))
    passed(tracker, two)
    assert len(digests(inbox)) == 1, "once that week"
    clock.set(NEW_YORK_MONDAY_EIGHT + timedelta(weeks=1))
    passed(tracker, two)
    passed(tracker, one)
    assert len(digests(inbox)) == 2, "and once the next"
    service.choose_mail(cora, {"kind": "digest", "enabled": False})
    clock.set(NEW_YORK_MONDAY_EIGHT + timedelta(weeks=2))
    passed(tracker, one)
    assert len(digests(inbox)) == 2, "turned off"
    assert {m["To"] for m in digests(inbox)} == {"cora@example.org"}, "the others never chose it"
