"""Signing up, in and out; sessions, form tokens and security headers (the sign-in limits,
kept in the store, are in test_sign_in_limits)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from shell.bootstrap import Tracker
from shell.demo import COACH_EMAIL, DEMO_PASSWORDS
from tests.web.browsing import csrf_token, sign_in_as_coach, submit
from tracker.clock import SettableClock
from web import create_app

pytestmark = pytest.mark.pages

NEW = {"name": "Nadia Noor", "email": "nadia@example.org", "password": "nadia keeps time"}


@pytest.fixture
def app(tracker: Tracker, demo: UUID) -> Iterator[Flask]:
    tracker.project_in_background(poll_interval=0.05)  # as `tracker serve` does
    yield create_app({"TESTING": True, "SECRET_KEY": "test"}, tracker=tracker)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_signing_up_signs_in_and_lands_on_an_empty_list(client: FlaskClient) -> None:
    response = submit(client, "/signup", NEW)
    assert response.status_code == 302 and response.location == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Signed in as Nadia Noor" in page
    assert "You are not a member of any alliance yet" in page


def test_a_weak_password_is_refused_next_to_the_field_keeping_what_was_typed(
    client: FlaskClient, tracker: Tracker
) -> None:
    before = tracker.app.recorder.max_notification_id()
    response = submit(client, "/signup", {**NEW, "password": "password12"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="password-problem"' in page and "Choose a stronger password" in page
    assert 'value="nadia@example.org"' in page and 'value="Nadia Noor"' in page
    assert "nadia keeps time" not in page and 'value="password12"' not in page
    assert tracker.app.recorder.max_notification_id() == before


def test_an_email_already_registered_is_refused_with_a_way_forward(client: FlaskClient) -> None:
    response = submit(client, "/signup", {**NEW, "email": COACH_EMAIL.upper()})
    assert response.status_code == 409
    assert "sign in instead" in response.get_data(as_text=True)


def test_a_wrong_password_is_refused_and_the_email_kept(client: FlaskClient) -> None:
    response = submit(client, "/signin", {"email": COACH_EMAIL, "password": "not her password"})
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "The email or the password is not right" in page
    assert f'value="{COACH_EMAIL}"' in page


def test_signing_in_starts_a_new_session_and_signing_out_ends_it_on_the_server(
    app: Flask, client: FlaskClient, demo: UUID
) -> None:
    client.get("/signin")
    before = session_cookie(client)
    sign_in_as_coach(client)
    copied = session_cookie(client)
    assert copied != before
    assert client.get(f"/alliances/{demo}").status_code == 200
    submit(client, "/signout", {}, page="/account")
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get(f"/alliances/{demo}")
    assert response.status_code == 302 and response.location.startswith("/signin")


def test_a_session_expires(client: FlaskClient, clock: SettableClock, demo: UUID) -> None:
    sign_in_as_coach(client)
    clock.advance(timedelta(days=15))
    assert client.get(f"/alliances/{demo}").status_code == 302


def test_a_page_for_members_sends_a_visitor_to_sign_in_and_back(
    client: FlaskClient, demo: UUID
) -> None:
    response = client.get(f"/alliances/{demo}/history")
    assert response.status_code == 302
    assert response.location == f"/signin?next=/alliances/{demo}/history"
    signed = submit(
        client,
        "/signin",
        {
            "email": COACH_EMAIL,
            "password": DEMO_PASSWORDS[COACH_EMAIL],
            "next": f"/alliances/{demo}/history",
        },
    )
    assert signed.location == f"/alliances/{demo}/history"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_signing_in_never_sends_a_person_to_another_site(client: FlaskClient, target: str) -> None:
    data = {"email": COACH_EMAIL, "password": DEMO_PASSWORDS[COACH_EMAIL], "next": target}
    assert submit(client, "/signin", data).location == "/"


def test_a_form_without_its_token_is_refused(client: FlaskClient) -> None:
    data = {"email": COACH_EMAIL, "password": DEMO_PASSWORDS[COACH_EMAIL]}
    response = client.post("/signin", data=data)
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)
    assert client.post("/signin", data={**data, "csrf_token": "forged"}).status_code == 400


@pytest.mark.parametrize("path", ["/", "/signin", "/no-such-page", "/static/style.css"])
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    response.close()
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_the_session_cookie_is_secure_over_https_and_never_readable_by_scripts(
    client: FlaskClient,
) -> None:
    plain = client.get("/signin").headers["Set-Cookie"]
    assert "HttpOnly" in plain and "SameSite=Lax" in plain and "Secure" not in plain
    secure = client.get("/signin", base_url="https://tracker.example").headers["Set-Cookie"]
    assert "Secure" in secure and "HttpOnly" in secure


def test_the_form_token_survives_an_hour_left_open(
    client: FlaskClient, clock: SettableClock
) -> None:
    token = csrf_token(client)
    clock.advance(timedelta(hours=3))
    data = {"email": COACH_EMAIL, "password": DEMO_PASSWORDS[COACH_EMAIL], "csrf_token": token}
    assert client.post("/signin", data=data).status_code == 302
