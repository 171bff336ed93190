"""The server-rendered pages of the core, through Flask's test client on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID, uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient

from projections import quarantine
from shell.bootstrap import Tracker
from shell.demo import CLIENT_EMAIL, COACH_EMAIL
from tests.web.browsing import sign_in, sign_in_as_client, sign_in_as_coach
from tracker import ids
from web import create_app

pytestmark = pytest.mark.pages

COACH = ids.account_id(COACH_EMAIL)
CLIENT = ids.account_id(CLIENT_EMAIL)


@pytest.fixture
def app(tracker: Tracker, demo: UUID) -> Iterator[Flask]:
    yield create_app({"TESTING": True, "SECRET_KEY": "test"}, tracker=tracker)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_front_page_lists_the_members_alliances(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "Sign in" in page and "Cora &amp; Cliff" not in page
    sign_in_as_coach(client)
    page = client.get("/").get_data(as_text=True)
    assert "Cora &amp; Cliff: leadership coaching" in page
    assert "you are coach" in page
    assert "Signed in as Cora Lindqvist" in page


def test_agreement_page_now_and_as_of_a_date(client: FlaskClient, demo: UUID) -> None:
    sign_in_as_client(client)
    now = client.get(f"/alliances/{demo}").get_data(as_text=True)
    assert "I ask &#39;do you want my view?&#39; before I offer advice." in now
    assert "I get defensive when judged" not in now
    then = client.get(f"/alliances/{demo}?as_of=2026-07-20").get_data(as_text=True)
    assert "The agreement as of 20 July 2026" in then
    assert "I get defensive when judged" in then
    bad = client.get(f"/alliances/{demo}?as_of=soon")
    assert bad.status_code == 422
    assert "as_of" in bad.get_data(as_text=True)


def test_history_and_term_pages_show_versions_and_the_diff(
    client: FlaskClient, tracker: Tracker, demo: UUID
) -> None:
    sign_in_as_coach(client)
    history = client.get(f"/alliances/{demo}/history").get_data(as_text=True)
    assert "Agreement versions" in history
    time_term = next(t for t in tracker.queries.terms(demo) if t["category"] == "time")
    page = client.get(f"/alliances/{demo}/terms/{time_term['term_id']}").get_data(as_text=True)
    assert "Version 2" in page and "<ins>" in page and "<del>" in page
    assert client.get(f"/alliances/{demo}/terms/{uuid4()}").status_code == 404


def test_timeline_hides_other_members_private_notes(
    client: FlaskClient, tracker: Tracker, demo: UUID
) -> None:
    journal = {"text": "Just for me", "valence": "concern", "visibility": "private"}
    tracker.service.log_feedback(CLIENT, demo, journal)
    tracker.service.log_feedback(COACH, demo, {"text": "Shared", "valence": "neutral"})
    tracker.engine.run_once()
    sign_in_as_coach(client)
    coach_page = client.get(f"/alliances/{demo}/timeline").get_data(as_text=True)
    sign_in_as_client(client)
    client_page = client.get(f"/alliances/{demo}/timeline").get_data(as_text=True)
    assert "Cliff Osei logged private feedback" in client_page
    assert "only you see this" in client_page
    assert "Cora Lindqvist logged shared feedback" in coach_page
    assert "Cliff Osei logged private feedback" not in coach_page


def test_a_stranger_and_a_missing_alliance_get_the_same_404(
    client: FlaskClient, tracker: Tracker, demo: UUID
) -> None:
    stranger = tracker.service.register_account(
        {"email": "s@example.org", "name": "Stan", "password": "stan-has-a-key"}
    )
    tracker.engine.run_once()
    assert stranger["account_id"]
    sign_in(client, "s@example.org", "stan-has-a-key")
    for path in ("", "/history", "/timeline", "/health", "/health.csv", "/health.json"):
        member_only = client.get(f"/alliances/{demo}{path}")
        missing = client.get(f"/alliances/{uuid4()}{path}")
        assert member_only.status_code == missing.status_code == 404
        assert member_only.get_data() == missing.get_data()


def test_health_says_only_whether_the_service_is_well(
    client: FlaskClient, tracker: Tracker
) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}
    with tracker.store.transaction() as cur:
        quarantine.hold(cur, "views", "records", 1, "a:B", ValueError("cannot"), None)
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.get_json() == {
        "status": "degraded",
        "reason": "some events are held in quarantine",
    }
