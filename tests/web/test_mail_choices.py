"""The account page's mail choices: each kind on or off for every alliance, the digest off
until chosen, and a kind the page does not offer refused by name."""

from __future__ import annotations

import pytest
from flask import Flask

from shell.bootstrap import Tracker
from tests.web.browsing import person, submit
from tracker import ids

pytestmark = pytest.mark.pages


def test_each_kind_of_mail_is_turned_on_and_off_on_the_account_page(
    app: Flask, tracker: Tracker
) -> None:
    ada = person(app, "Ada")
    shown = ada.get("/account").get_data(as_text=True)
    assert "Check-in prompts: a mail when a check-in is due: <strong>on</strong>" in shown
    assert "Alerts: a mail when an alert is raised in one of your alliances: <strong>on" in shown
    assert "The weekly digest: on Monday morning" in shown and "why: <strong>off" in shown

    for kind, enabled in (("digest", "yes"), ("alert", "no")):
        done = submit(ada, "/account/mail", {"kind": kind, "enabled": enabled}, "/account")
        assert done.status_code == 303 and done.location.endswith("/account#mail")
    shown = ada.get("/account").get_data(as_text=True)
    assert "Alerts: off." in shown, "the page says what changed"
    assert "why: <strong>on" in shown and "your alliances: <strong>off" in shown
    account = tracker.queries.account(ids.account_id("ada@example.org")) or {}
    assert (account["checkin_mail"], account["alert_mail"], account["digest_mail"]) == (1, 0, 1)

    before = tracker.app.recorder.max_notification_id()
    again = submit(ada, "/account/mail", {"kind": "digest", "enabled": "yes"}, "/account")
    assert again.status_code == 303
    assert tracker.app.recorder.max_notification_id() == before, "what holds already: nothing"
    wrong = submit(ada, "/account/mail", {"kind": "spam", "enabled": "yes"}, "/account")
    assert wrong.status_code == 400
    assert "no kind of mail &#39;spam&#39;" in wrong.get_data(as_text=True)
