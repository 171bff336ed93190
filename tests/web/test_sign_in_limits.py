"""Sign-in limits: failures are counted in the store, so the limits hold across workers;
on each store, since the counting is SQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from shell.bootstrap import Tracker
from shell.demo import COACH_EMAIL, DEMO_PASSWORDS
from tests.conftest import PASSWORDS
from tests.web.browsing import sign_in, submit
from tracker.clock import SettableClock
from web import create_app
from web.auth import SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ACCOUNT_AND_ADDRESS


@pytest.fixture
def app(tracker: Tracker, demo: UUID) -> Iterator[Flask]:
    tracker.project_in_background(poll_interval=0.05)  # as `tracker serve` does
    yield create_app({"TESTING": True, "SECRET_KEY": "test"}, tracker=tracker)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


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


def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(
    tracker: Tracker, demo: UUID
) -> None:
    """TRACKER_PROXY_HOPS=1: the last X-Forwarded-For entry is the client; what the client
    wrote before it is no disguise, and another client behind the same proxy is not locked
    out."""
    tracker.settings = replace(tracker.settings, proxy_hops=1)
    api = create_app({"TESTING": True, "SECRET_KEY": "test"}, tracker=tracker).test_client()
    wrong = {"email": COACH_EMAIL, "password": "a wrong guess!"}
    right = {**wrong, "password": DEMO_PASSWORDS[COACH_EMAIL]}
    limit, _ = SIGN_IN_PER_ACCOUNT_AND_ADDRESS

    def via_proxy(forwarded_for: str) -> dict[str, str]:
        return {"X-Forwarded-For": forwarded_for}

    for attempt in range(limit):
        spoofed = f"198.51.100.{attempt}, 203.0.113.5"  # a new first entry every time
        answer = api.post("/api/v1/tokens", json=wrong, headers=via_proxy(spoofed))
        assert answer.status_code == 401
    guesser = api.post("/api/v1/tokens", json=right, headers=via_proxy("9.9.9.9, 203.0.113.5"))
    assert guesser.status_code == 429
    owner = api.post("/api/v1/tokens", json=right, headers=via_proxy("203.0.113.6"))
    assert owner.status_code == 201
