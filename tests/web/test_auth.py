"""Signing up, in and out; sessions, form tokens, security headers and rate limits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORDS
from tests.web.browsing import csrf_token, sign_in, sign_in_as_coach, submit
from tracker.bootstrap import Tracker
from tracker.clock import SettableClock
from tracker.demo import COACH_EMAIL, DEMO_PASSWORDS
from web import create_app
from web.auth import SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ACCOUNT_AND_ADDRESS

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
    submit(client, "/signout", {}, page="/")
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


def test_sign_in_is_rate_limited_per_account_and_address_across_workers(
    tracker: Tracker, clock: SettableClock, demo: UUID
) -> None:
    """Two apps, each with its own Tracker on the same store, stand for two workers."""
    other = Tracker.build(tracker.settings, clock, PASSWORDS)
    try:
        workers = [
            create_app({"TESTING": True, "SECRET_KEY": "test"}, tracker=t).test_client()
            for t in (tracker, other)
        ]
        limit, window = SIGN_IN_PER_ACCOUNT_AND_ADDRESS
        wrong = {"email": COACH_EMAIL, "password": "a wrong guess!"}
        for attempt in range(limit):
            assert submit(workers[attempt % 2], "/signin", wrong).status_code == 401
        refused = submit(workers[0], "/signin", {**wrong, "password": DEMO_PASSWORDS[COACH_EMAIL]})
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= window.total_seconds()
        assert "Too many attempts" in refused.get_data(as_text=True)
        clock.advance(window)
        sign_in(workers[1], COACH_EMAIL, DEMO_PASSWORDS[COACH_EMAIL])
    finally:
        other.close()


def _from(client: FlaskClient, address: str) -> FlaskClient:
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_guesser_elsewhere_does_not_lock_the_owner_out(
    client: FlaskClient, app: Flask, demo: UUID
) -> None:
    guesser = _from(app.test_client(), "203.0.113.9")
    wrong = {"email": COACH_EMAIL, "password": "a wrong guess!"}
    limit, _ = SIGN_IN_PER_ACCOUNT_AND_ADDRESS
    for _ in range(limit):
        assert submit(guesser, "/signin", wrong).status_code == 401
    assert submit(guesser, "/signin", wrong).status_code == 429, "held back where it guesses"
    sign_in(_from(client, "198.51.100.7"), COACH_EMAIL, DEMO_PASSWORDS[COACH_EMAIL])


def test_only_failures_count_and_a_success_clears_its_own(client: FlaskClient, demo: UUID) -> None:
    right = {"email": COACH_EMAIL, "password": DEMO_PASSWORDS[COACH_EMAIL]}
    wrong = {**right, "password": "a wrong guess!"}
    limit, _ = SIGN_IN_PER_ACCOUNT_AND_ADDRESS
    for _ in range(limit * 2):
        assert submit(client, "/signin", right).status_code == 302, "successes never count"
    for _ in range(3):
        for _ in range(limit - 1):
            assert submit(client, "/signin", wrong).status_code == 401
        assert submit(client, "/signin", right).status_code == 302, "and clear the count"


def test_the_window_slides(client: FlaskClient, clock: SettableClock, demo: UUID) -> None:
    wrong = {"email": COACH_EMAIL, "password": "a wrong guess!"}
    limit, window = SIGN_IN_PER_ACCOUNT_AND_ADDRESS
    half = limit // 2
    for _ in range(half):
        assert submit(client, "/signin", wrong).status_code == 401
    clock.advance(window - timedelta(minutes=1))
    for _ in range(limit - half):
        assert submit(client, "/signin", wrong).status_code == 401
    refused = submit(client, "/signin", wrong)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) <= 60, "until the oldest failure stops counting"
    clock.advance(timedelta(minutes=1, seconds=1))
    for _ in range(half):
        assert submit(client, "/signin", wrong).status_code == 401, "the first half no longer count"
    assert submit(client, "/signin", wrong).status_code == 429, "the later ones still do"


def test_the_account_s_own_ceiling_holds_against_many_addresses(app: Flask, demo: UUID) -> None:
    wrong = {"email": COACH_EMAIL, "password": "a wrong guess!"}
    ceiling, _ = SIGN_IN_PER_ACCOUNT
    per_address, _ = SIGN_IN_PER_ACCOUNT_AND_ADDRESS
    for n in range(ceiling):
        guesser = _from(app.test_client(), f"203.0.113.{n // per_address + 1}")
        assert submit(guesser, "/signin", wrong).status_code == 401
    fresh = _from(app.test_client(), "198.51.100.20")
    right = {**wrong, "password": DEMO_PASSWORDS[COACH_EMAIL]}
    assert submit(fresh, "/signin", right).status_code == 429


def test_the_form_token_survives_an_hour_left_open(
    client: FlaskClient, clock: SettableClock
) -> None:
    token = csrf_token(client)
    clock.advance(timedelta(hours=3))
    data = {"email": COACH_EMAIL, "password": DEMO_PASSWORDS[COACH_EMAIL], "csrf_token": token}
    assert client.post("/signin", data=data).status_code == 302
