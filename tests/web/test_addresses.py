"""An address is proven before it is trusted: nobody can take the place of the person an
invitation was sent to. Mail goes to a real SMTP server on loopback."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest
from flask import Flask
from flask.testing import FlaskClient

from shell.bootstrap import Tracker
from tests.builders import app_with_mail
from tests.receivers import Inbox, free_port
from tests.web.browsing import password_of, sign_in, sign_up, submit
from tracker import ids
from web import create_app

pytestmark = pytest.mark.pages

BASE = "http://127.0.0.1:8000"


def _link(message: EmailMessage, path: str) -> str:
    text = message.get_body(("plain",)).get_content()
    found = re.search(rf"{re.escape(BASE)}(/{path}/\S+)", text)
    assert found, text
    return found.group(1)


def _mail_to(handler: Inbox, address: str) -> EmailMessage:
    return [m for m in handler.messages if m["To"] == address][-1]


def _invite(app: Flask, email: str) -> tuple[FlaskClient, str]:
    ada = app.test_client()
    sign_up(ada, "Ada", "ada@example.org")
    form = {"title": "Our studio", "purpose": "Calm", "kind": "partnership", "role": "lead"}
    alliance = submit(ada, "/alliances/new", form).location.split("/")[2]
    invited = submit(
        ada,
        f"/alliances/{alliance}/invitations",
        {"form": "invite", "email": email, "role": "partner"},
        page=f"/alliances/{alliance}/design",
    )
    assert invited.status_code == 303
    return ada, alliance


def test_a_squatter_cannot_accept_and_the_invitee_takes_the_address_back_through_the_link(
    tracker: Tracker, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    app = app_with_mail(tracker, port)
    eve = app.test_client()
    sign_up(eve, "Not Ben", "ben@example.org")  # before Ben: anyone can type an address
    _, alliance = _invite(app, "ben@example.org")
    link = _link(_mail_to(handler, "ben@example.org"), "invitations")

    refused = submit(eve, link, {"agreed_version": "0"})  # had she the link, still no
    assert refused.status_code == 409 and "is yours first" in refused.get_data(as_text=True)
    assert eve.get(f"/alliances/{alliance}").status_code == 404

    ben = app.test_client()  # the real Ben opens his mail and signs up through the link
    sign_up(ben, "Ben", "ben@example.org", next_page=link)
    joined = submit(ben, link, {"agreed_version": "0"})
    assert joined.status_code == 303 and joined.location == f"/alliances/{alliance}"
    assert "Signed in as Ben" in ben.get("/").get_data(as_text=True)
    assert "Sign in" in eve.get("/").get_data(as_text=True), "the squatter is signed out"
    wrong = submit(
        app.test_client(),
        "/signin",
        {"email": "ben@example.org", "password": password_of("ben@example.org") + "?"},
    )
    assert wrong.status_code == 401


def test_without_the_link_the_owner_is_mailed_a_way_to_take_the_account_back(
    tracker: Tracker, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    app = app_with_mail(tracker, port)
    eve = app.test_client()
    sign_up(eve, "Not Ben", "ben@example.org")
    eve_token = eve.post(
        "/api/v1/tokens",
        json={"email": "ben@example.org", "password": password_of("ben@example.org")},
    ).get_json()["token"]
    ben = app.test_client()
    tried = submit(
        ben,
        "/signup",
        {"name": "Ben", "email": "ben@example.org", "password": "ben's own passphrase"},
    )
    assert tried.status_code == 409 and "emailed it a link" in tried.get_data(as_text=True)
    back = _link(_mail_to(handler, "ben@example.org"), "reclaim")
    assert "Take back your account" in ben.get(back).get_data(as_text=True)
    taken = submit(ben, back, {"name": "Ben", "password": "ben's own passphrase"}, page=back)
    assert taken.status_code == 302
    assert "Signed in as Ben" in ben.get("/").get_data(as_text=True)
    assert "Sign in" in eve.get("/").get_data(as_text=True)
    me = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {eve_token}"})
    assert me.status_code == 401, "and her tokens end too"
    assert (
        submit(
            ben, back, {"name": "Eve", "password": "eve tries again later"}, page=back
        ).status_code
        == 409
    )


def test_the_link_mailed_at_sign_up_proves_the_address(
    tracker: Tracker, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    app = app_with_mail(tracker, port)
    _, alliance = _invite(app, "ben@example.org")
    invitation = _link(_mail_to(handler, "ben@example.org"), "invitations")
    ben = app.test_client()
    sign_up(ben, "Ben", "ben@example.org")  # not through the link
    assert submit(ben, invitation, {"agreed_version": "0"}).status_code == 409
    confirm = _link(_mail_to(handler, "ben@example.org"), "confirm")
    scanner = app.test_client().get(confirm)  # a mail scanner opens every link it is sent
    assert scanner.status_code == 200 and "Yes, confirm" in scanner.get_data(as_text=True)
    assert submit(ben, invitation, {"agreed_version": "0"}).status_code == 409, "GET is no proof"
    browser = app.test_client()  # whichever browser the mail opens in
    confirmed = submit(browser, confirm, {})
    assert confirmed.status_code == 200 and "Address confirmed" in confirmed.get_data(as_text=True)
    assert submit(ben, invitation, {"agreed_version": "0"}).status_code == 303
    assert app.test_client().get(confirm[:-4] + "abcd").status_code == 404


def test_the_owner_of_an_address_takes_it_back_from_the_mail_a_squatter_caused(
    tracker: Tracker, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    app = app_with_mail(tracker, port)
    eve = app.test_client()
    sign_up(eve, "Not Ben", "ben@example.org")
    back = _link(_mail_to(handler, "ben@example.org"), "reclaim")
    ben = app.test_client()
    taken = submit(ben, back, {"name": "Ben", "password": "ben keeps his own address"})
    assert taken.status_code == 302
    assert "Signed in as Ben" in ben.get("/").get_data(as_text=True)
    assert "Sign in" in eve.get("/").get_data(as_text=True)


def test_a_confirming_mail_that_cannot_be_sent_is_said_and_can_be_asked_for_again(
    tracker: Tracker, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    down = app_with_mail(tracker, free_port())  # nothing listens there
    ben = down.test_client()
    signed_up = sign_up(ben, "Ben", "ben@example.org")
    home = ben.get(signed_up.location).get_data(as_text=True)
    assert "The email to ben@example.org could not be sent" in home
    assert "ask for the link again from your account page" in home

    squatter = down.test_client().post(
        "/api/v1/accounts",
        json={"email": "ben@example.org", "name": "Eve", "password": "eve wants his place"},
    )
    assert squatter.status_code == 409
    said = squatter.get_json()["detail"]
    assert "could not be sent" in said and "we have emailed" not in said

    up = app_with_mail(tracker, port).test_client()
    sign_in(up, "ben@example.org", password_of("ben@example.org"))
    account = up.get("/account").get_data(as_text=True)
    assert "Your address is not confirmed yet" in account
    again = submit(up, "/account/confirmation", {}, page="/account")
    assert again.status_code == 303
    assert "A new link is on its way" in up.get(again.location).get_data(as_text=True)
    confirmed = submit(up, _link(_mail_to(handler, "ben@example.org"), "confirm"), {})
    assert confirmed.status_code == 200
    assert "Your address is confirmed" in up.get("/account").get_data(as_text=True)


def test_only_the_inviter_sees_an_invitation_s_link(
    tracker: Tracker, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    app = app_with_mail(tracker, port)
    ada, alliance = _invite(app, "ben@example.org")
    link = _link(_mail_to(handler, "ben@example.org"), "invitations")
    ben = app.test_client()
    sign_up(ben, "Ben", "ben@example.org", next_page=link)
    assert submit(ben, link, {"agreed_version": "0"}).status_code == 303
    submit(
        ada,
        f"/alliances/{alliance}/invitations",
        {"form": "invite", "email": "cy@example.org", "role": "peer"},
        page=f"/alliances/{alliance}/design",
    )
    # The link's signature carries the second it was made: the page's may be a second later
    # than the mail's, so what is compared is the invitation the link is for.
    cy_invitation = _link(_mail_to(handler, "cy@example.org"), "invitations").rsplit(".", 2)[0]
    assert cy_invitation in ada.get(f"/alliances/{alliance}/design").get_data(as_text=True)
    seen_by_ben = ben.get(f"/alliances/{alliance}/design").get_data(as_text=True)
    assert "cy@example.org" in seen_by_ben and cy_invitation not in seen_by_ben
    assert "Only the member who invited them sees their link" in seen_by_ben
    token = ben.post(
        "/api/v1/tokens",
        json={"email": "ben@example.org", "password": password_of("ben@example.org")},
    ).get_json()["token"]
    listed = ben.get(
        f"/api/v1/alliances/{alliance}/invitations", headers={"Authorization": f"Bearer {token}"}
    )
    assert [i["url"] for i in listed.get_json()] == [None]


def test_without_mail_an_invitee_proves_the_address_through_the_link(tracker: Tracker) -> None:
    """The embedded default: no mail server, the inviter passes the link on by hand."""
    tracker.project_in_background(poll_interval=0.05)
    app = create_app({"TESTING": True, "SECRET_KEY": "test"}, tracker=tracker)
    ada, alliance = _invite(app, "ben@example.org")
    page = ada.get(f"/alliances/{alliance}/design").get_data(as_text=True)
    found = re.search(rf"{re.escape(BASE)}(/invitations/[^<\s]+)", page)
    assert found
    ben = app.test_client()
    sign_up(ben, "Ben", "ben@example.org", next_page=found.group(1))
    assert submit(ben, found.group(1), {"agreed_version": "0"}).status_code == 303
    account = tracker.app.repository.get(ids.account_id("ben@example.org"))
    assert account.email_verified
    sign_in(app.test_client(), "ben@example.org", password_of("ben@example.org"))


def test_a_forged_host_reaches_no_mailed_or_answered_link(
    tracker: Tracker, inbox: tuple[Inbox, int]
) -> None:
    """Links are built from the one base URL, never from the request's Host header."""
    handler, port = inbox
    app = app_with_mail(tracker, port)
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    eve = app.test_client()
    new = {"email": "ben@example.org", "name": "Eve", "password": "eve types his address"}
    assert eve.post("/api/v1/accounts", json=new, headers=forged).status_code == 201
    ben = app.test_client()
    assert ben.post("/api/v1/accounts", json=new, headers=forged).status_code == 409  # reclaim
    token = eve.post(
        "/api/v1/tokens", json={k: new[k] for k in ("email", "password")}, headers=forged
    ).get_json()["token"]
    founded = {"title": "Ours", "purpose": "", "kind": "team", "role": "lead"}
    me = {"Authorization": f"Bearer {token}", **forged}
    alliance = eve.post("/api/v1/alliances", json=founded, headers=me).get_json()["id"]
    feed = eve.get(f"/api/v1/alliances/{alliance}/calendar-feed", headers=me).get_json()
    assert feed["url"].startswith(BASE + "/calendar/"), feed
    sent = [m.get_body(("plain",)).get_content() for m in handler.messages]
    assert {m["Subject"] for m in handler.messages} == {
        "Confirm your address",
        "Take back your account",
    }
    assert all("evil" not in text and BASE in text for text in sent)


def test_the_confirming_link_is_mailed_again_within_a_limit_and_only_while_unproven(
    tracker: Tracker, inbox: tuple[Inbox, int]
) -> None:
    """Whoever registered someone else's address could otherwise mail its owner for ever."""
    handler, port = inbox
    api = app_with_mail(tracker, port).test_client()
    new = {"email": "ben@example.org", "name": "Eve", "password": "eve types his address"}
    assert api.post("/api/v1/accounts", json=new).status_code == 201
    token = api.post("/api/v1/tokens", json={k: new[k] for k in ("email", "password")}).get_json()[
        "token"
    ]
    eve = {"Authorization": f"Bearer {token}"}
    statuses = [api.post("/api/v1/me/confirmation", headers=eve).status_code for _ in range(5)]
    assert statuses == [202, 202, 202, 429, 429]
    assert len([m for m in handler.messages if m["To"] == "ben@example.org"]) == 1 + 3

    tracker.service.verify_address(ids.account_id("ben@example.org"), "ben@example.org", via="mail")
    tracker.engine.run_once()
    proven = api.post("/api/v1/me/confirmation", headers=eve)
    assert proven.status_code == 409 and "confirmed already" in proven.get_json()["detail"]
