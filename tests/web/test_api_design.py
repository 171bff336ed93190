"""Designing an alliance over the API: every step the pages offer, the refusals in the problem
shape, and the authorization matrix of every alliance endpoint."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

import web.api.agreement
import web.api.checkins
import web.api.conflicts
import web.api.feedback
import web.api.invitations  # noqa: F401  (their operations join OPERATIONS)
from shell.bootstrap import Tracker
from shell.demo import CLIENT_EMAIL, DEMO_PASSWORDS
from tests.builders import V1, account, ok, pair, problem, propose
from web import create_app
from web.api.operations import OPERATIONS


@pytest.fixture
def app(tracker: Tracker, demo: UUID) -> Iterator[Flask]:
    tracker.project_in_background(poll_interval=0.05)
    yield create_app({"TESTING": True, "SECRET_KEY": "test"}, tracker=tracker)


def test_two_people_design_amend_and_redesign_over_the_api(api: FlaskClient) -> None:
    ada, ben, alliance = pair(api)
    base = f"{V1}/alliances/{alliance}"
    staked = api.put(
        f"{base}/design-conversation", json={"at": "2026-12-01T18:00:00+01:00"}, headers=ada
    )
    assert ok(staked)["design_conversation_at"].startswith("2026-12-01T17:00")

    feel = propose(api, ada, alliance, kind="add", category="feel", text="I want calm")
    assert feel["status"] == "open" and [p["name"] for p in feel["awaiting"]] == ["Ben"]
    adopted = ok(api.post(f"{base}/proposals/{feel['id']}/acceptance", headers=ben))
    assert adopted["status"] == "adopted" and adopted["agreement_version"] == 1
    rhythm = propose(api, ben, alliance, kind="add", category="rhythm", text="I need Mondays")
    problem(api.post(f"{base}/proposals/{rhythm['id']}/withdrawal", headers=ada), 409)
    problem(api.post(f"{base}/proposals/{rhythm['id']}/decline", json={}, headers=ben), 409)
    ok(api.post(f"{base}/proposals/{rhythm['id']}/acceptance", headers=ada))

    agreement = ok(api.get(f"{base}/agreement", headers=ben))
    assert agreement["version"] == 2 and len(agreement["terms"]) == 2
    term = next(t for t in agreement["terms"] if t["category"] == "feel")
    amend = propose(
        api,
        ada,
        alliance,
        kind="amend",
        term_id=term["id"],
        based_on_version=1,
        text="I want calm and warmth",
        rationale="warmer",
    )
    stale = api.post(
        f"{base}/proposals",
        json={"kind": "retire", "term_id": term["id"], "based_on_version": 2},
        headers=ben,
    )
    assert "not 2" in problem(stale, 409)["detail"]
    ok(api.post(f"{base}/proposals/{amend['id']}/acceptance", headers=ben))

    diff = ok(api.get(f"{base}/agreement/diff?from=2&to=3", headers=ben))
    (change,) = diff["changes"]
    assert change["change"] == "amended" and {"op": "added", "text": "and warmth"} in change["diff"]
    assert (
        ok(api.get(f"{base}/agreement?version=1", headers=ben))["terms"][0]["text"] == "I want calm"
    )
    history = ok(api.get(f"{base}/terms/{term['id']}/history", headers=ben))
    assert [v["version"] for v in history["versions"]] == [1, 2]
    assert [p["name"] for p in history["versions"][1]["accepted_by"]] == ["Ada", "Ben"]

    signal = ok(api.post(f"{base}/tending", json={"message": "we drifted"}, headers=ben), 201)
    assert ok(api.get(base, headers=ada))["tending"][0]["message"] == "we drifted"
    redesign = ok(api.post(f"{base}/redesigns", json={"reason": "we drifted"}, headers=ada), 201)
    assert ok(api.get(base, headers=ada))["tending"] == []
    problem(api.post(f"{base}/tending/{signal['id']}/reply", json={"reply": "x"}, headers=ada), 409)
    retire = propose(
        api, ben, alliance, kind="retire", term_id=term["id"], based_on_version=2, rationale="old"
    )
    assert retire["redesign_id"] == redesign["id"]
    conclusion = f"{base}/redesigns/{redesign['id']}/conclusion"
    problem(api.post(conclusion, json={}, headers=ada), 409)
    ok(api.post(f"{base}/proposals/{retire['id']}/acceptance", headers=ada))
    concluded = ok(api.post(conclusion, json={"summary": "lighter"}, headers=ada))
    assert concluded["baseline_version"] == 3 and concluded["final_version"] == 4
    assert [c["change"] for c in concluded["changes"]] == ["retired"]

    timeline = ok(api.get(f"{base}/timeline?limit=5", headers=ben))
    assert len(timeline["entries"]) == 5 and timeline["next_before"]
    older = ok(api.get(f"{base}/timeline?before={timeline['next_before']}&limit=200", headers=ben))
    assert older["next_before"] is None
    assert older["entries"][-1]["summary"].startswith("founded the alliance")
    prompts = ok(api.get(f"{V1}/prompts"))
    assert prompts[0] == {
        "category": "feel",
        "prompt": "How do you want this relationship to feel?",
    }


def test_refusals_name_what_is_wrong_and_record_nothing(api: FlaskClient, tracker: Tracker) -> None:
    ada, _, alliance = pair(api)
    base = f"{V1}/alliances/{alliance}"
    before = tracker.app.recorder.max_notification_id()
    missing = problem(api.post(f"{base}/proposals", json={"kind": "add"}, headers=ada), 422)
    assert set(missing["errors"]) == {"category", "text"}
    unknown = api.post(
        f"{base}/proposals",
        json={"kind": "add", "category": "feel", "text": "x", "mood": 1},
        headers=ada,
    )
    assert "mood" in problem(unknown, 422)["errors"]
    assert "version" in problem(api.get(f"{base}/agreement?version=x", headers=ada), 422)["errors"]
    assert (
        "as_of"
        in problem(api.get(f"{base}/agreement?as_of=2026-01-01", headers=ada), 422)["errors"]
    )
    both = api.get(f"{base}/agreement?version=0&as_of=2026-01-01T00:00:00Z", headers=ada)
    assert problem(both, 422)["errors"] == {"version": ["give only one of as_of, version"]}
    # The document states as_of and version as one query object that holds nothing else.
    other = api.get(f"{base}/agreement?version=0&mood=1", headers=ada)
    assert problem(other, 422)["errors"] == {
        "mood": ["is not a parameter here; give as_of, version"]
    }
    # A version not made yet is not there, like any other id (the document cannot know it).
    assert (
        "version 99" in problem(api.get(f"{base}/agreement?version=99", headers=ada), 404)["detail"]
    )
    problem(api.get(f"{base}/agreement/diff?to=99", headers=ada), 404)
    assert "limit" in problem(api.get(f"{base}/timeline?limit=1000", headers=ada), 422)["errors"]
    too_far = api.get(f"{base}/timeline?before={2**63}", headers=ada)  # found by schemathesis
    assert "before" in problem(too_far, 422)["errors"]
    problem(
        api.post(f"{base}/tending", data="{", headers=ada, content_type="application/json"), 400
    )
    problem(api.post(f"{base}/tending", data="hi", headers=ada), 415)
    huge = {"message": "x" * (2 * 1024 * 1024)}
    problem(api.post(f"{base}/tending", json=huge, headers=ada), 413)
    problem(api.get(f"{V1}/invitations/not-a-real-link", headers=ada), 404)
    late = api.post(
        f"{base}/redesigns/{UUID(int=3)}/conclusion", json={"summary": "x"}, headers=ada
    )
    problem(late, 409)
    assert tracker.app.recorder.max_notification_id() == before


def test_an_invitation_is_for_its_addressee_and_the_version_they_read(api: FlaskClient) -> None:
    ada, eve = account(api, "Ada"), account(api, "Eve")
    founded = {"title": "Team", "purpose": "", "kind": "team", "role": "lead"}
    alliance = ok(api.post(f"{V1}/alliances", json=founded, headers=ada), 201)["id"]
    invitation = api.post(
        f"{V1}/alliances/{alliance}/invitations",
        json={"email": "ben@example.org", "role": "member"},
        headers=ada,
    )
    token = ok(invitation, 201)["url"].rsplit("/", 1)[1]
    refused = api.post(f"{V1}/invitations/{token}/acceptance", headers=eve)
    assert "another address" in problem(refused, 409)["detail"]
    propose(api, ada, alliance, kind="add", category="values", text="I value candour")
    ben = account(api, "Ben", invitation=token)
    stale = api.post(
        f"{V1}/invitations/{token}/acceptance", json={"agreed_version": 0}, headers=ben
    )
    assert "read it again" in problem(stale, 409)["detail"]
    joined = ok(
        api.post(f"{V1}/invitations/{token}/acceptance", json={"agreed_version": 1}, headers=ben)
    )
    assert joined["members"][-1]["agreed_version"] == 1
    problem(api.post(f"{V1}/invitations/{token}/acceptance", headers=ben), 409)
    problem(api.post(f"{V1}/invitations/{token}/acceptance"), 401)


ALLIANCE_OPERATIONS = [op for op in OPERATIONS if "<uuid:alliance_id>" in op.rule]


def test_every_alliance_endpoint_refuses_strangers_as_if_it_did_not_exist(
    api: FlaskClient, tracker: Tracker, demo: UUID
) -> None:
    # One alliance for all of them: what is checked of each operation is its own answer.
    stranger = account(api, "Eve")
    member_email = CLIENT_EMAIL
    member = api.post(
        f"{V1}/tokens", json={"email": member_email, "password": DEMO_PASSWORDS[member_email]}
    ).get_json()["token"]

    def call(op: Any, alliance: UUID, headers: dict[str, str] | None) -> TestResponse:
        path = op.rule.replace("<uuid:alliance_id>", str(alliance))
        path = re.sub(r"<uuid:[a-z_]+>", str(UUID(int=5)), path)  # ids that exist nowhere
        body = {"reason": "x", "text": "x", "kind": "add", "category": "feel"}
        headers = headers or {}
        return api.open(
            V1 + path, method=op.method, json=body if op.body else None, headers=headers
        )

    assert len(ALLIANCE_OPERATIONS) > 30
    for op in ALLIANCE_OPERATIONS:
        named = f"{op.method} {op.path}"
        before = tracker.app.recorder.max_notification_id()
        problem(call(op, demo, None), 401)
        as_stranger = call(op, demo, {"Authorization": f"Bearer {stranger['Authorization'][7:]}"})
        nowhere = call(op, UUID(int=9), stranger)
        refused = (problem(as_stranger, 404), problem(nowhere, 404))
        assert refused[0]["detail"] == refused[1]["detail"], f"{named}: a stranger learns more"
        assert tracker.app.recorder.max_notification_id() == before, named
        as_member = call(op, demo, {"Authorization": f"Bearer {member}"})
        assert as_member.status_code not in (401, 500), (named, as_member.get_data(as_text=True))


def test_one_call_accepts_every_proposal_by_others_each_as_its_own_acceptance(
    api: FlaskClient, tracker: Tracker
) -> None:
    ada, ben, alliance = pair(api)
    for text in ("I want calm weeks", "I value candour"):
        propose(api, ada, alliance, kind="add", category="values", text=text)
    mine = propose(api, ben, alliance, kind="add", category="feel", text="I want it light")
    url = f"{V1}/alliances/{alliance}/proposals/acceptance"
    before = tracker.app.recorder.max_notification_id()
    accepted = ok(api.post(url, headers=ben))
    assert [p["text"] for p in accepted] == ["I want calm weeks", "I value candour"]
    assert {p["status"] for p in accepted} == {"adopted"}
    records = tracker.app.recorder.select_notifications(start=before + 1, limit=100)
    assert [r.topic.rsplit(".", 1)[1] for r in records].count("ProposalAccepted") == 2
    assert "no open proposal awaits" in problem(api.post(url, headers=ben), 409)["detail"]
    still = ok(api.get(f"{V1}/alliances/{alliance}/proposals/{mine['id']}", headers=ben))
    assert still["status"] == "open", "one's own proposal is not accepted for one"
