"""Check-in prompts delivered by mail to a real SMTP server and by webhook to a real HTTP
receiver, both on loopback: recorded, retried with backoff, never sent twice, never losing
the check-in when sending fails."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest

from delivery import webhook
from delivery.mail import Mailer
from shell.bootstrap import Tracker
from shell.outbox import STUCK_AFTER, Outbox
from shell.scheduler import CheckInScheduler
from shell.settings import Settings
from tests.builders import SLOT, alliance_with_rhythm, deliveries, scheduler_with_mail
from tests.conftest import PASSWORDS
from tests.receivers import Hooks, Inbox
from tracker import ids, webhook_address
from tracker.clock import SettableClock
from tracker.domain import errors
from tracker.domain.delivery import BACKOFF
from tracker.service import TrackerService
from web import create_app


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The receivers of these tests listen on loopback."""
    return replace(settings, webhook_private_allowed=True)


def test_a_mail_says_its_times_in_the_member_s_own_zone(
    tracker: Tracker, clock: SettableClock, mail: tuple[Inbox, int]
) -> None:
    inbox, port = mail
    ada, _ = alliance_with_rhythm(tracker, clock)
    tracker.service.choose_time_zone(ada, {"zone": "America/New_York"})
    clock.set(SLOT + timedelta(seconds=5))
    assert len(scheduler_with_mail(tracker, port).run_due().deliveries.sent) == 1
    [message] = inbox.messages
    assert "due 12 Jan 2026, 04:00 EST" in message.get_body(("plain",)).get_content()


def test_a_prompt_is_mailed_to_each_member_who_wants_it_with_a_link_to_answer(
    tracker: Tracker, clock: SettableClock, mail: tuple[Inbox, int]
) -> None:
    inbox, port = mail
    ada, alliance = alliance_with_rhythm(tracker, clock)
    scheduler = scheduler_with_mail(tracker, port)
    clock.set(SLOT + timedelta(seconds=5))
    done = scheduler.run_due()
    assert done.prompted and done.deliveries.queued == 1 and len(done.deliveries.sent) == 1
    [message] = inbox.messages
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "Time to check in: Rhythm"
    text = message.get_body(("plain",)).get_content()
    link = f"https://tracker.example/alliances/{alliance}/checkins#checkin-"
    assert link + str(ids.checkin_id(alliance, SLOT)) in text and "12 Jan 2026, 09:00 GMT" in text
    assert "Answer the check-in" in message.get_body(("html",)).get_content()
    assert deliveries(tracker, alliance) == {"ada@example.org": ("sent", 1)}

    scheduler.run_due()  # a second pass sends nothing again
    assert len(inbox.messages) == 1

    tracker.service.choose_mail(ada, {"kind": "checkin", "enabled": False})
    clock.set(SLOT + timedelta(weeks=1, seconds=5))
    scheduler.run_due()
    assert len(inbox.messages) == 1, "Ada turned the mails off"


def test_a_prompt_from_a_plain_http_address_offers_no_one_click(
    tracker: Tracker, clock: SettableClock, mail: tuple[Inbox, int]
) -> None:
    """RFC 8058 admits the one-click POST to an HTTPS link only."""
    inbox, port = mail
    ada, alliance = alliance_with_rhythm(tracker, clock)
    scheduler = scheduler_with_mail(tracker, port, base_url="http://tracker.example")
    clock.set(SLOT + timedelta(seconds=5))
    scheduler.run_due()
    [message] = inbox.messages
    assert message["List-Unsubscribe"].startswith("<http://tracker.example/unsubscribe/")
    assert message["List-Unsubscribe-Post"] is None


def test_a_prompt_has_a_date_an_id_and_one_click_unsubscribe(
    tracker: Tracker, clock: SettableClock, mail: tuple[Inbox, int]
) -> None:
    inbox, port = mail
    ada, alliance = alliance_with_rhythm(tracker, clock)
    scheduler = scheduler_with_mail(tracker, port)
    clock.set(SLOT + timedelta(seconds=5))
    scheduler.run_due()
    [message] = inbox.messages
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None
    assert re.fullmatch(r"<[^@<>\s]+@example\.org>", message["Message-ID"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    found = re.fullmatch(
        r"<(https://tracker\.example/unsubscribe/[\w.-]+)>", message["List-Unsubscribe"]
    )
    assert found, message["List-Unsubscribe"]
    # As sent, not as parsed: RFC 2369 admits the link in angle brackets, never encoded words.
    [raw] = inbox.raw
    assert f"\r\nList-Unsubscribe: <{found.group(1)}>\r\n".encode() in raw
    assert found.group(1) in message.get_body(("plain",)).get_content()

    # The mail program's one click: a POST with no session and no form token.
    client = create_app({"TESTING": True, "SECRET_KEY": "other"}, tracker=tracker).test_client()
    path = found.group(1).removeprefix("https://tracker.example")
    looked = client.get(path)
    assert looked.status_code == 200 and "Turn check-in mails off" in looked.get_data(as_text=True)
    assert (tracker.queries.account(ada) or {}).get("checkin_mail") in (1, True), (
        "a GET changes nothing"
    )
    clicked = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert clicked.status_code == 200 and "mails are off" in clicked.get_data(as_text=True)
    tracker.engine.wait_for(tracker.app.recorder.max_notification_id() or 0)
    assert (tracker.queries.account(ada) or {}).get("checkin_mail") in (0, False)
    clock.set(SLOT + timedelta(weeks=1, seconds=5))
    scheduler.run_due()
    assert len(inbox.messages) == 1, "no more prompts by mail"
    assert client.post(path[:-3] + "xyz").status_code == 404, "a forged link does nothing"


def test_a_failing_mail_server_loses_no_check_in_and_is_retried_with_backoff(
    tracker: Tracker, clock: SettableClock, mail: tuple[Inbox, int]
) -> None:
    inbox, port = mail
    _, alliance = alliance_with_rhythm(tracker, clock)
    scheduler = scheduler_with_mail(tracker, port)
    scheduler.outbox.mailer = replace(scheduler.outbox.mailer, port=1)  # type: ignore[union-attr,type-var]
    clock.set(SLOT + timedelta(seconds=5))
    done = scheduler.run_due()
    assert done.prompted and len(done.deliveries.failed) == 1
    assert tracker.queries.checkins(alliance, ids.account_id("ada@example.org")), "prompted"
    assert deliveries(tracker, alliance) == {"ada@example.org": ("retrying", 1)}
    row = tracker.queries.deliveries(alliance)[0]
    assert "could not" in row["last_error"].lower() or "refused" in row["last_error"].lower()

    scheduler.outbox.mailer = replace(scheduler.outbox.mailer, port=port)  # type: ignore[union-attr,type-var]
    clock.set(SLOT + timedelta(seconds=5) + BACKOFF[0] - timedelta(seconds=1))
    assert scheduler.run_due().deliveries.sent == [], "not before its backoff"
    clock.set(SLOT + timedelta(seconds=5) + BACKOFF[0])
    assert len(scheduler.run_due().deliveries.sent) == 1
    assert len(inbox.messages) == 1
    assert deliveries(tracker, alliance) == {"ada@example.org": ("sent", 2)}


def test_a_send_interrupted_mid_way_is_never_sent_again(
    tracker: Tracker, clock: SettableClock, mail: tuple[Inbox, int]
) -> None:
    inbox, port = mail
    _, alliance = alliance_with_rhythm(tracker, clock)
    scheduler = scheduler_with_mail(tracker, port)
    clock.set(SLOT + timedelta(seconds=5))
    CheckInScheduler.for_tracker(tracker).run_due()  # prompted, nothing delivered yet
    tracker.engine.wait_for(tracker.app.recorder.max_notification_id() or 0)
    checkin = ids.checkin_id(alliance, SLOT)
    tracker.service.queue_checkin_deliveries(checkin)
    delivery = ids.delivery_id(checkin, "email", "ada@example.org")
    claimed = tracker.service.claim_delivery(delivery)  # ... and the scheduler stopped here
    tracker.engine.wait_for(claimed.notification_id)
    clock.set(SLOT + STUCK_AFTER + timedelta(minutes=1))
    done = scheduler.run_due()
    assert done.deliveries.uncertain == [delivery] and done.deliveries.sent == []
    assert inbox.messages == []
    assert deliveries(tracker, alliance) == {"ada@example.org": ("uncertain", 1)}


def test_the_webhook_is_called_signed_and_retried_when_it_fails(
    tracker: Tracker, clock: SettableClock, hooks: tuple[Hooks, str]
) -> None:
    receiver, url = hooks
    ada, alliance = alliance_with_rhythm(tracker, clock)
    tracker.service.set_webhook(ada, alliance, {"url": url})
    scheduler = scheduler_with_mail(tracker, None)  # no mail server: the webhook alone
    receiver.answers = [500]
    clock.set(SLOT + timedelta(seconds=5))
    done = scheduler.run_due()
    assert done.prompted and len(done.deliveries.failed) == 1
    assert deliveries(tracker, alliance) == {url: ("retrying", 1)}
    said = tracker.queries.deliveries(alliance)[0]["last_error"]
    assert said == "it answered HTTP 500", "the status alone, not what the receiver said"

    clock.set(SLOT + timedelta(seconds=5) + BACKOFF[0])
    assert len(scheduler.run_due().deliveries.sent) == 1
    headers, body = receiver.calls[-1]
    key = webhook.signing_key(tracker.settings.secret_key(), alliance, 1)
    signed = webhook.signature(key, headers["X-Tracker-Timestamp"], body)
    assert headers["X-Tracker-Signature"] == signed
    sent = receiver.json(-1)
    assert sent["text"].startswith("Time to check in: Rhythm. Due 12 Jan 2026, 09:00 GMT.")
    assert sent["checkin_id"] == str(ids.checkin_id(alliance, SLOT))
    assert deliveries(tracker, alliance) == {url: ("sent", 2)}


def test_an_unreachable_webhook_is_given_up_after_its_retries(
    tracker: Tracker, clock: SettableClock
) -> None:
    ada, alliance = alliance_with_rhythm(tracker, clock)
    nowhere = "http://127.0.0.1:1/hook"
    tracker.service.set_webhook(ada, alliance, {"url": nowhere})
    scheduler = scheduler_with_mail(tracker, None)
    when = SLOT + timedelta(seconds=5)
    clock.set(when)
    scheduler.run_due()
    for wait in BACKOFF:
        when += wait
        clock.set(when)
        scheduler.run_due()
    assert deliveries(tracker, alliance) == {nowhere: ("failed", len(BACKOFF) + 1)}
    assert "could not reach it" in tracker.queries.deliveries(alliance)[0]["last_error"]
    assert tracker.queries.checkins(alliance, ada)[0]["status"] == "open", "the prompt stands"


def test_a_webhook_to_a_private_address_is_not_called(
    tracker: Tracker, clock: SettableClock, hooks: tuple[Hooks, str]
) -> None:
    """Unless TRACKER_WEBHOOK_PRIVATE=allow, a member cannot aim the tracker at the machines
    around it: loopback, private networks, cloud metadata."""
    receiver, url = hooks
    ada, alliance = alliance_with_rhythm(tracker, clock)
    tracker.service.set_webhook(ada, alliance, {"url": url})
    scheduler_with_mail(tracker, None)
    tracker.settings = replace(tracker.settings, webhook_private_allowed=False)
    scheduler = CheckInScheduler.for_tracker(tracker, Outbox.for_tracker(tracker))
    clock.set(SLOT + timedelta(seconds=5))
    assert len(scheduler.run_due().deliveries.failed) == 1
    assert receiver.calls == []
    assert deliveries(tracker, alliance) == {url: ("failed", 1)}, "a refusal is not retried"
    said = tracker.queries.deliveries(alliance)[0]["last_error"]
    assert said == (
        "not called: its host '127.0.0.1' is at 127.0.0.1, which is on a private, loopback or "
        "reserved network"
    )
    clock.set(SLOT + timedelta(hours=3))
    scheduler.run_due()
    assert receiver.calls == [] and deliveries(tracker, alliance) == {url: ("failed", 1)}
    for address in ("http://169.254.169.254/latest", "http://10.0.0.8/x", "http://[::1]:80/"):
        addresses, refused = webhook.checked_addresses(address)
        assert refused and not addresses, address


@pytest.mark.parametrize(
    "address",
    [
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:0:10.0.0.1",  # IPv4-translated
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254, the cloud's metadata
        "64:ff9b:1::c0a8:1",  # local-use NAT64 of 192.168.0.1
        "64:ff9b:1:a00:0:100:808:808",  # local-use NAT64 /48 of 10.0.0.1, suffix bits set
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo to client 10.0.0.1
        "::127.0.0.1",  # IPv4-compatible
    ],
)
def test_an_ipv6_form_carrying_a_private_ipv4_address_is_refused(address: str) -> None:
    assert webhook_address.address_refusal(address) is not None
    assert webhook_address.written_out_refusal(f"https://[{address}]/hook") is not None


def test_public_addresses_in_either_form_may_be_called() -> None:
    for address in (
        "93.184.215.14",
        "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
        "64:ff9b::5db8:d70e",
    ):
        assert webhook_address.address_refusal(address) is None, address
    assert webhook_address.written_out_refusal("https://hooks.example/x") is None, (
        "a name: at each call"
    )


def test_a_webhook_written_out_to_a_private_address_is_refused_when_set(
    tracker: Tracker, clock: SettableClock
) -> None:
    ada, alliance = alliance_with_rhythm(tracker, clock)
    strict = TrackerService(tracker.app, clock, PASSWORDS)
    before = tracker.app.recorder.max_notification_id()
    written = ("http://127.0.0.1:9/x", "https://[::ffff:10.0.0.1]/x", "http://[64:ff9b::a00:1]/")
    # The forms of an IPv4 address a resolver reads besides the dotted quad.
    numeric = ("http://2130706433/h", "http://0x7f000001/h", "http://127.1/h")
    for url in (*written, *numeric, "http://0177.0.0.1/h", "http://10.1/h", "http://127.0.0.1./"):
        with pytest.raises(errors.InvalidInput) as refused:
            strict.set_webhook(ada, alliance, {"url": url})
        assert list(refused.value.fields) == ["url"], url
    assert tracker.app.recorder.max_notification_id() == before
    strict.set_webhook(ada, alliance, {"url": "https://hooks.example/named"})


def test_a_member_leaving_ends_the_webhook_signing_key_they_saw(
    tracker: Tracker, clock: SettableClock
) -> None:
    ada, alliance = alliance_with_rhythm(tracker, clock)
    ben = tracker.service.register_account(
        {"email": "ben@example.org", "name": "Ben", "password": "a long enough secret"}
    )["account_id"]
    tracker.service.verify_address(ben, "ben@example.org", via="mail")
    invited = tracker.service.invite_member(
        ada, alliance, {"email": "ben@example.org", "role": "x"}
    )
    tracker.service.join_alliance(
        ben, alliance, {"invitation_id": invited["invitation_id"], "agreed_version": 1}
    )
    tracker.service.set_webhook(ada, alliance, {"url": "https://hooks.example/a"})
    tracker.service.leave_alliance(ben, alliance)
    tracker.engine.run_once()
    row = tracker.queries.alliance(alliance, ada)
    assert row is not None and row["webhook_key_version"] == 2


def test_a_check_in_started_now_is_mailed_at_once_not_at_the_next_tick(
    tracker: Tracker, clock: SettableClock, mail: tuple[Inbox, int]
) -> None:
    """`tracker serve` rings the outbox at each save of its own: a check-in started from a
    page reaches the other members' mail within a moment."""
    inbox, port = mail
    ada, alliance = alliance_with_rhythm(tracker, clock)
    scheduler = scheduler_with_mail(tracker, port)
    scheduler.start(tick=timedelta(hours=1))  # one pass now, the next in an hour
    try:
        time.sleep(1)  # the first pass, whatever it sends
        seen = len(inbox.messages)
        tracker.app.on_new_events(scheduler.deliver_soon)
        tracker.service.start_checkin_now(ada, alliance)
        deadline = time.monotonic() + 10
        while len(inbox.messages) == seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(inbox.messages) == seen + 1, "mailed at the doorbell, not in an hour"
        assert inbox.messages[-1]["Subject"] == "Time to check in: Rhythm"
    finally:
        scheduler.stop()


def test_a_long_subject_in_another_language_folds_into_short_encoded_words(
    mail: tuple[Inbox, int],
) -> None:
    """Only List-Unsubscribe is written on one line; a subject folds into encoded words of a
    line's length (Python's folding makes them up to 77 characters, near RFC 2047's 75; on
    one line of 998 they grew to 440)."""
    inbox, port = mail
    mailer = Mailer.from_url(f"smtp://127.0.0.1:{port}?from=tracker@example.org")
    subject = "Zeit für den Check-in: Größere Übereinkünfte zwischen Geschäftsführerinnen " * 4
    off = "https://tracker.example/unsubscribe/" + "x" * 180
    mailer.send("ada@example.org", subject, "text", "<p>html</p>", {"List-Unsubscribe": f"<{off}>"})
    [raw] = inbox.raw
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    words = re.findall(r"=\?[^?]+\?[qQbB]\?[^?]*\?=", head)
    assert words and all(len(word) <= 78 for word in words), words
    assert f"\r\nList-Unsubscribe: <{off}>\r\n" in head + "\r\n"
    folded = [line for line in head.split("\r\n") if not line.startswith("List-Unsubscribe:")]
    assert all(len(line) <= 78 for line in folded)
    assert inbox.messages[0]["Subject"] == subject
