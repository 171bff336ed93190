"""Alerts delivered as each member chose: by mail to a real SMTP server and by the alliance's
webhook to a real HTTP receiver, both on loopback; once, with a link to the alert, a one-click
way to stop alert mails alone, and nothing sent for an alert resolved meanwhile."""

from __future__ import annotations

import re
from dataclasses import replace
from email.message import EmailMessage
from uuid import UUID

import pytest

from shell.bootstrap import Tracker
from shell.scheduler import CheckInScheduler, Pass
from shell.settings import Settings
from tests.builders import deliveries, scheduler_with_mail
from tests.receivers import Hooks, Inbox
from tracker.clock import SettableClock
from web import create_app

HIGH = {"relationship": 10, "goals": 9, "approach": 10, "overall": 9}  # 38 of 40
LOW = {"relationship": 5, "goals": 6, "approach": 5, "overall": 6}  # 22 of 40
# Markup of both chat tools in a member's name, which an alert's words carry.
NAME = "Ben <!channel> *now* [here](https://elsewhere.example)"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, webhook_private_allowed=True)  # the receivers are on loopback


def two_members(tracker: Tracker) -> tuple[UUID, UUID, UUID]:
    """Ada founds an alliance, Ben joins it; only the low-rating rule is on, so that one
    check-in raises one alert."""
    service = tracker.service
    people = []
    for name, email in (("Ada", "ada@example.org"), (NAME, "ben@example.org")):
        account = {"email": email, "name": name, "password": "a long enough secret"}
        people.append(service.register_account(account)["account_id"])
        service.verify_address(people[-1], email, via="mail")
    ada, ben = people
    founded = {"title": "Co-founders", "purpose": "", "kind": "partnership", "role": "CEO"}
    alliance = service.found_alliance(ada, founded)["alliance_id"]
    invited = service.invite_member(ada, alliance, {"email": "ben@example.org", "role": "CTO"})
    joined = {"invitation_id": invited["invitation_id"], "agreed_version": 0}
    service.join_alliance(ben, alliance, joined)
    for rule in ("divergence", "srs_drop"):
        service.set_alert_rule(ada, alliance, rule, {"enabled": False, "threshold": 8})
    return ada, ben, alliance


def passed(tracker: Tracker, scheduler: CheckInScheduler) -> Pass:
    """A pass over views that hold everything recorded, as the scheduler's tick makes it."""
    tracker.engine.wait_for(tracker.app.recorder.max_notification_id() or 0)
    return scheduler.run_due()


def alert_mails(inbox: Inbox) -> list[EmailMessage]:
    return [m for m in inbox.messages if str(m["Subject"]).startswith("Alert: ")]


def rated_low(tracker: Tracker, ada: UUID, ben: UUID, alliance: UUID) -> UUID:
    checkin = tracker.service.start_checkin_now(ada, alliance)["checkin_id"]
    for member, ratings in ((ada, HIGH), (ben, LOW)):
        answer = {"answers": {}, "ratings": ratings}
        tracker.service.respond_to_checkin(member, alliance, checkin, answer)
    return checkin


def test_an_alert_is_mailed_once_to_each_member_who_wants_alert_mails(
    tracker: Tracker, clock: SettableClock, mail: tuple[Inbox, int]
) -> None:
    inbox, port = mail
    ada, ben, alliance = two_members(tracker)
    tracker.service.choose_mail(ben, {"kind": "alert", "enabled": False})
    scheduler = scheduler_with_mail(tracker, port)
    rated_low(tracker, ada, ben, alliance)
    done = passed(tracker, scheduler)
    assert len(done.alerts) == 1
    [message] = alert_mails(inbox)
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "Alert: Low session rating in Co-founders"
    text = message.get_body(("plain",)).get_content()
    assert f"{NAME} rated the check-in of " in text and "22 of 40, at or under 36." in text
    link = re.search(r"https://tracker\.example/alliances/[0-9a-f-]{36}/alerts#alert-\S+", text)
    assert link and str(alliance) in link[0]
    assert "See what made it fire" in message.get_body(("html",)).get_content()
    passed(tracker, scheduler)
    assert len(alert_mails(inbox)) == 1, "a second pass sends nothing again"

    # One click stops alert mails, and alert mails alone.
    off = re.fullmatch(r"<https://tracker\.example(/unsubscribe/alert/\S+)>",
                       message["List-Unsubscribe"])  # fmt: skip
    assert off and message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    client = create_app({"TESTING": True, "SECRET_KEY": "other"}, tracker=tracker).test_client()
    assert "Turn alert mails off" in client.get(off[1]).get_data(as_text=True)
    clicked = client.post(off[1], data={"List-Unsubscribe": "One-Click"})
    assert clicked.status_code == 200 and "Alert mails are off" in clicked.get_data(as_text=True)
    tracker.engine.wait_for(tracker.app.recorder.max_notification_id() or 0)
    mine = tracker.queries.account(ada) or {}
    assert (mine["alert_mail"], mine["checkin_mail"]) == (0, 1)
    checkin_link = off[1].replace("/unsubscribe/alert/", "/unsubscribe/")
    assert client.get(checkin_link).status_code == 404, "an alert link is not a check-in link"


def test_an_alert_resolved_before_its_mail_goes_is_not_sent(
    tracker: Tracker, clock: SettableClock, mail: tuple[Inbox, int]
) -> None:
    inbox, port = mail
    ada, ben, alliance = two_members(tracker)
    checkin = rated_low(tracker, ada, ben, alliance)
    raised = tracker.service.raise_alert(
        alliance,
        rule="srs_low",
        cause=f"{checkin}:{ben}",
        threshold=36,
        numbers={"total": 22},
        evidence=[str(checkin)],
        summary="Ben rated the check-in 22 of 40.",
    )["alert_id"]
    tracker.service.queue_alert_deliveries(raised)
    tracker.service.resolve_alert(ada, alliance, raised, {"note": "Talked on the phone"})
    passed(tracker, scheduler_with_mail(tracker, port))
    assert alert_mails(inbox) == []
    tracker.engine.wait_for(tracker.app.recorder.max_notification_id() or 0)
    given_up = {r["recipient"]: r["last_error"] for r in tracker.queries.deliveries(alliance)
                if r["subject"] == "alert"}  # fmt: skip
    assert given_up == {
        "ada@example.org": "the alert was resolved before it could be sent",
        "ben@example.org": "the alert was resolved before it could be sent",
    }


@pytest.mark.parametrize("fmt", ["slack", "teams", "json"])
def test_an_alert_reaches_the_webhook_once_in_its_format_with_names_as_written(
    tracker: Tracker, clock: SettableClock, hooks: tuple[Hooks, str], fmt: str
) -> None:
    receiver, url = hooks
    receiver.shape = None if fmt == "json" else fmt  # a receiver standing for that tool
    ada, ben, alliance = two_members(tracker)
    scheduler = scheduler_with_mail(tracker, None)
    rated_low(tracker, ada, ben, alliance)  # before the webhook: its prompt goes nowhere
    tracker.service.set_webhook(ada, alliance, {"url": url, "format": fmt})
    passed(tracker, scheduler)
    passed(tracker, scheduler)
    assert receiver.refused == [] and len(receiver.calls) == 1, "once, and as the tool takes it"
    assert deliveries(tracker, alliance) == {url: ("sent", 1)}
    body = receiver.json(-1)
    if fmt == "slack":
        header, section, _ = body["blocks"]
        assert header["text"]["text"] == "Low session rating: Co-founders"
        assert section["text"]["type"] == "plain_text" and NAME in section["text"]["text"]
        assert "<!channel>" not in body["text"] and "&lt;!channel&gt;" in body["text"]
    elif fmt == "teams":
        card = body["attachments"][0]["content"]
        runs = [run["text"] for block in card["body"] for run in block["inlines"]]
        assert runs[0] == "Low session rating: Co-founders" and NAME in runs[1]
        assert {block["type"] for block in card["body"]} == {"RichTextBlock"}
    else:
        assert body["event"] == "alert.raised" and body["rule"] == "srs_low"
        assert body["url"].endswith(f"/alerts#alert-{body['alert_id']}")
        assert NAME in body["summary"]
