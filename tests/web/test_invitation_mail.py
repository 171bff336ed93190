"""Invitations by email, through a real SMTP server listening on loopback (aiosmtpd)."""

from __future__ import annotations

import re
from pathlib import Path
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from delivery.mail import Mailer, MailerError
from shell.bootstrap import Tracker
from shell.demo import CLIENT_EMAIL, COACH_EMAIL, DEMO_PASSWORDS
from shell.settings import Settings
from tests.builders import app_with_mail
from tests.receivers import Inbox, free_port
from tests.web.browsing import sign_in_as_client, sign_up, submit

pytestmark = pytest.mark.pages


@pytest.fixture(name="settings")
def sqlite_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var", database_url=None, cipher_key=None)


def found_and_invite(app: Flask) -> tuple[str, str]:
    ada = app.test_client()
    sign_up(ada, "Ada", "ada@example.org")
    form = {"title": "Our studio", "purpose": "Calm work", "kind": "partnership", "role": "lead"}
    founded = submit(ada, "/alliances/new", form)
    alliance = founded.location.split("/")[2]
    invited = submit(
        ada,
        f"/alliances/{alliance}/invitations",
        {"form": "invite", "email": "ben@example.org", "role": "partner"},
        page=f"/alliances/{alliance}/design",
    )
    assert invited.status_code == 303
    return alliance, ada.get(f"/alliances/{alliance}/design").get_data(as_text=True)


def test_an_invitation_is_emailed_with_its_link_in_both_parts(
    tracker: Tracker, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    app = app_with_mail(tracker, port)
    alliance, design = found_and_invite(app)
    assert "Invitation emailed to ben@example.org" in design
    confirm, message = handler.messages  # Ada's address, confirmed by mail; then Ben's invitation
    assert confirm["To"] == "ada@example.org" and confirm["Subject"] == "Confirm your address"
    assert message["To"] == "ben@example.org" and message["From"] == "tracker@example.org"
    assert message["Subject"] == "Ada invites you to Our studio"
    parts = {part.get_content_type(): part.get_payload(decode=True) for part in message.walk()}
    text, html = parts["text/plain"].decode(), parts["text/html"].decode()
    link = re.search(r"http://127.0.0.1:8000/invitations/\S+", text)
    assert link and link.group(0) in html and "as partner" in text
    ben = app.test_client()
    sign_up(
        ben, "Ben", "ben@example.org", next_page=link.group(0).removeprefix("http://127.0.0.1:8000")
    )
    joined = submit(
        ben, link.group(0).removeprefix("http://127.0.0.1:8000"), {"agreed_version": "0"}
    )
    assert joined.status_code == 303 and joined.location == f"/alliances/{alliance}"
    assert len(handler.messages) == 2, "signing up through the link proved Ben's address"


def test_a_mail_server_that_is_down_loses_no_invitation(tracker: Tracker) -> None:
    app = app_with_mail(tracker, free_port())  # nothing listens there
    _, design = found_and_invite(app)
    assert "the email to ben@example.org could not be sent" in design
    assert "pass the link below on yourself" in design
    assert re.search(r"http://127.0.0.1:8000/invitations/\S+", design), "the link is still shown"


def _coach_over_the_api(tracker: Tracker, port: int) -> tuple[FlaskClient, str]:
    """The demo's coach, with a token, on an app that mails through ``port``."""
    return _member_over_the_api(tracker, port, COACH_EMAIL)


def _member_over_the_api(tracker: Tracker, port: int, email: str) -> tuple[FlaskClient, str]:
    api = app_with_mail(tracker, port).test_client()
    sign_in = {"email": email, "password": DEMO_PASSWORDS[email]}
    token: str = api.post("/api/v1/tokens", json=sign_in).get_json()["token"]
    return api, token


def test_inviting_an_address_another_member_invited_gives_neither_its_link_nor_a_mail(
    tracker: Tracker, inbox: tuple[Inbox, int], demo: UUID
) -> None:
    """Inviting again gives back the pending invitation; its link would let whoever held it
    sign up with the invitee's address and join as them, so only its inviter gets it."""
    handler, port = inbox
    coach, coach_token = _coach_over_the_api(tracker, port)
    created = coach.post(
        f"/api/v1/alliances/{demo}/invitations",
        json={"email": "vic@example.net", "role": "observer"},
        headers={"Authorization": f"Bearer {coach_token}"},
    )
    assert created.status_code == 201 and created.get_json()["url"]
    client, client_token = _member_over_the_api(tracker, port, CLIENT_EMAIL)
    again = client.post(
        f"/api/v1/alliances/{demo}/invitations",
        json={"email": "VIC@example.net", "role": "anything"},
        headers={"Authorization": f"Bearer {client_token}"},
    )
    assert again.status_code == 201 and again.get_json()["id"] == created.get_json()["id"]
    assert again.get_json()["url"] is None and again.get_json()["emailed"] is False
    assert "already invited by Cora" in again.get_json()["email_problem"]
    assert [m["To"] for m in handler.messages] == ["vic@example.net"], "not mailed again"

    page = app_with_mail(tracker, port).test_client()
    sign_in_as_client(page)
    design = submit(
        page,
        f"/alliances/{demo}/invitations",
        {"form": "invite", "email": "vic@example.net", "role": "observer"},
        page=f"/alliances/{demo}/design",
    )
    shown = page.get(design.location).get_data(as_text=True)
    assert "Vic@example.net is already invited by Cora" in shown
    token = created.get_json()["url"].rsplit("/", 1)[1]
    assert token not in shown and len(handler.messages) == 1


def test_the_api_says_whether_the_invitation_was_emailed(
    tracker: Tracker, inbox: tuple[Inbox, int], demo: UUID
) -> None:
    handler, port = inbox
    api, token = _coach_over_the_api(tracker, port)
    created = api.post(
        f"/api/v1/alliances/{demo}/invitations",
        json={"email": "dee@example.org", "role": "supervisor"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert created.status_code == 201
    assert created.get_json()["emailed"] is True and created.get_json()["email_problem"] is None
    assert [m["To"] for m in handler.messages] == ["dee@example.org"]
    assert handler.messages[0]["Date"] and handler.messages[0]["Message-ID"]

    before = tracker.app.recorder.max_notification_id()
    again = api.post(
        f"/api/v1/alliances/{demo}/invitations",
        json={"email": "Dee@Example.org", "role": "supervisor"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert again.status_code == 201 and again.get_json()["id"] == created.get_json()["id"]
    assert tracker.app.recorder.max_notification_id() == before, "no second pending invitation"
    assert [m["To"] for m in handler.messages] == ["dee@example.org"] * 2, "sent again"


@pytest.mark.parametrize(
    "url",
    ["http://mail.example.org", "smtp://mail.example.org", "smtp://?from=a@b.c"],
)
def test_a_mail_url_that_cannot_work_is_refused_at_start(url: str) -> None:
    with pytest.raises(MailerError):
        Mailer.from_url(url)


def test_a_mail_url_reads_credentials_port_and_tls() -> None:
    mailer = Mailer.from_url("smtps://me%40x.org:p%2Fw@mail.example.org?from=t@example.org")
    assert (mailer.host, mailer.port, mailer.tls) == ("mail.example.org", 465, True)
    assert (mailer.username, mailer.password, mailer.sender) == ("me@x.org", "p/w", "t@example.org")


def test_a_forged_host_never_reaches_the_mailed_link(
    tracker: Tracker, inbox: tuple[Inbox, int], demo: UUID
) -> None:
    handler, port = inbox
    api, token = _coach_over_the_api(tracker, port)
    created = api.post(
        f"/api/v1/alliances/{demo}/invitations",
        json={"email": "eve@example.org", "role": "peer"},
        headers={"Authorization": f"Bearer {token}", "Host": "evil.example"},
    )
    assert created.status_code == 201
    assert created.get_json()["url"].startswith(tracker.settings.base_url + "/invitations/")
    text = handler.messages[0].get_body(("plain",)).get_content()
    assert "evil.example" not in text and tracker.settings.base_url + "/invitations/" in text


def test_tracker_serve_links_to_where_it_listens_unless_told_otherwise() -> None:
    unset = Settings.from_env({})
    assert unset.served_at("127.0.0.1", 8123).base_url == "http://127.0.0.1:8123"
    assert unset.served_at("0.0.0.0", 80).base_url == "http://localhost:80"
    assert unset.served_at("::1", 8000).base_url == "http://[::1]:8000"
    told = Settings.from_env({"TRACKER_BASE_URL": "https://alliances.example/"})
    assert told.served_at("127.0.0.1", 8123).base_url == "https://alliances.example"
