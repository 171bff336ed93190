"""Builders shared by the tests: accounts, tokens and alliances made through the API, a
one-member alliance with a rhythm, the scheduler with its channels on loopback, the app
with mail, and what a refusal must look like."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from shell.bootstrap import Tracker
from shell.outbox import Outbox
from shell.scheduler import CheckInScheduler
from tracker.clock import SettableClock
from web import create_app

V1 = "/api/v1"


MONDAYS_AT_NINE = {"rule": "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", "zone": "Europe/London"}
# A Monday: the first slot of alliance_with_rhythm's rhythm after T0.
SLOT = datetime(2026, 1, 12, 9, tzinfo=UTC)


def token_for(api: FlaskClient, email: str, password: str) -> dict[str, str]:
    response = api.post("/api/v1/tokens", json={"email": email, "password": password})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def problem(response: TestResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def ok(response: TestResponse, status: int = 200) -> Any:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def account(api: FlaskClient, name: str, invitation: str | None = None) -> dict[str, str]:
    """Signed up (through ``invitation``'s link, if given) and holding a token."""
    email = f"{name.lower()}@example.org"
    password = f"{name} designs alliances"
    new = {"email": email, "name": name, "password": password}
    if invitation is not None:
        new["invitation"] = invitation
    created = api.post(f"{V1}/accounts", json=new)
    assert created.status_code == 201, created.get_json()
    token = api.post(f"{V1}/tokens", json={"email": email, "password": password})
    return {"Authorization": f"Bearer {token.get_json()['token']}"}


def pair(api: FlaskClient) -> tuple[dict[str, str], dict[str, str], str]:
    """Ada founds an alliance and Ben signs up and joins through his invitation link."""
    ada = account(api, "Ada")
    founded = {"title": "Co-founders", "purpose": "Calm", "kind": "partnership", "role": "CEO"}
    alliance = ok(api.post(f"{V1}/alliances", json=founded, headers=ada), 201)["id"]
    invited = api.post(
        f"{V1}/alliances/{alliance}/invitations",
        json={"email": "ben@example.org", "role": "CTO"},
        headers=ada,
    )
    url = ok(invited, 201)["url"]
    token = url.rsplit("/", 1)[1]
    ben = account(api, "Ben", invitation=token)
    seen = ok(api.get(f"{V1}/invitations/{token}", headers=ben))
    assert seen["title"] == "Co-founders" and seen["agreement_version"] == 0
    joined = ok(api.post(f"{V1}/invitations/{token}/acceptance", json={}, headers=ben))
    assert [m["name"] for m in joined["members"]] == ["Ada", "Ben"]
    assert joined["members"][1]["agreed_version"] == 0
    return ada, ben, alliance


def propose(api: FlaskClient, who: dict[str, str], alliance: str, **fields: Any) -> Any:
    return ok(api.post(f"{V1}/alliances/{alliance}/proposals", json=fields, headers=who), 201)


def app_with_mail(tracker: Tracker, port: int) -> Flask:
    tracker.project_in_background(poll_interval=0.05)
    url = f"smtp://127.0.0.1:{port}?from=tracker@example.org"
    return create_app(
        {"TESTING": True, "SECRET_KEY": "test", "TRACKER_SMTP_URL": url}, tracker=tracker
    )


def alliance_with_rhythm(
    tracker: Tracker,
    clock: SettableClock,
    email: str = "ada@example.org",
    title: str = "Rhythm",
    **schedule: str,
) -> tuple[UUID, UUID]:
    """A one-member alliance (its proposals are adopted at once) with a scheduled rhythm."""
    service = tracker.service
    ada = service.register_account(
        {"email": email, "name": "Ada", "password": "a long enough secret"}
    )["account_id"]
    alliance = service.found_alliance(
        ada, {"title": title, "purpose": "", "kind": "team", "role": "lead"}
    )["alliance_id"]
    proposal = {
        "kind": "add",
        "category": "rhythm",
        "text": "We check in every Monday at nine",
        "schedule": {"start": "2026-01-05T09:00", **MONDAYS_AT_NINE, **schedule},
    }
    service.propose(ada, alliance, proposal)
    tracker.engine.run_once()
    return ada, alliance


def scheduler_with_mail(
    tracker: Tracker, port: int | None, base_url: str = "https://tracker.example"
) -> CheckInScheduler:
    """The scheduler as `tracker scheduler` builds it, its mail server on loopback."""
    url = f"smtp://127.0.0.1:{port}?from=tracker@example.org" if port else None
    tracker.settings = replace(
        tracker.settings,
        smtp_url=url,
        base_url=base_url,
        webhook_private_allowed=True,  # the receivers of these tests listen on loopback
    )
    tracker.project_in_background(poll_interval=0.05)
    return CheckInScheduler.for_tracker(tracker, Outbox.for_tracker(tracker))


def deliveries(tracker: Tracker, alliance: UUID) -> dict[str, tuple[str, int]]:
    tracker.engine.wait_for(tracker.app.recorder.max_notification_id() or 0)
    return {
        row["recipient"]: (row["status"], row["attempts"])
        for row in tracker.queries.deliveries(alliance)
    }
