"""The JSON API: tokens, problem details, membership, and answers that match the document."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from uuid import UUID, uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient

from shell.bootstrap import Tracker
from shell.demo import CLIENT_EMAIL, COACH_EMAIL, DEMO_PASSWORDS
from tests.builders import problem, token_for
from tracker.domain.vocabulary import SRS_ITEMS
from web import create_app
from web.auth import SIGN_IN_PER_ACCOUNT_AND_ADDRESS

NADIA = {"email": "nadia@example.org", "name": "Nadia Noor", "password": "nadia keeps time"}
ALLIANCE = {"title": "Founders", "purpose": "Build it kindly", "kind": "partnership", "role": "CEO"}


@pytest.fixture
def app(tracker: Tracker, demo: UUID) -> Iterator[Flask]:
    tracker.project_in_background(poll_interval=0.05)
    yield create_app({"TESTING": True, "SECRET_KEY": "test"}, tracker=tracker)


@pytest.fixture
def document(api: FlaskClient) -> dict[str, Any]:
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.get_json()
    return body


@pytest.fixture
def coach(api: FlaskClient) -> dict[str, str]:
    return token_for(api, COACH_EMAIL, DEMO_PASSWORDS[COACH_EMAIL])


def documented(document: dict[str, Any], method: str, path: str, status: int) -> None:
    """The answer's status is one the document promises for this operation."""
    responses = document["paths"][path][method.lower()]["responses"]
    assert str(status) in responses, f"{method} {path} answered {status}, not documented"


def test_signing_up_then_getting_a_token_then_asking_who_i_am(
    api: FlaskClient, document: dict[str, Any]
) -> None:
    created = api.post("/api/v1/accounts", json=NADIA)
    documented(document, "POST", "/accounts", created.status_code)
    assert created.status_code == 201 and created.headers["Location"] == "/api/v1/me"
    assert created.get_json()["email"] == NADIA["email"]
    assert "password" not in created.get_json()
    headers = token_for(api, NADIA["email"], NADIA["password"])
    assert headers["Authorization"].startswith("Bearer atk_")
    me = api.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.get_json()["name"] == "Nadia Noor"
    assert me.get_json()["time_zone"] is None, "each alliance's own zone, until chosen"
    chose = api.put("/api/v1/me/time-zone", json={"zone": "Asia/Kolkata"}, headers=headers)
    documented(document, "PUT", "/me/time-zone", chose.status_code)
    assert chose.status_code == 200 and chose.get_json()["time_zone"] == "Asia/Kolkata"
    wrong = api.put("/api/v1/me/time-zone", json={"zone": "Asia/Atlantis"}, headers=headers)
    assert wrong.status_code == 422 and "zone" in wrong.get_json()["errors"]
    assert api.get("/api/v1/me", headers=headers).get_json()["time_zone"] == "Asia/Kolkata"
    assert me.get_json()["mail"] == {"checkin": True, "alert": True, "digest": False}
    digest = api.put("/api/v1/me/mail", json={"kind": "digest", "enabled": True}, headers=headers)
    documented(document, "PUT", "/me/mail", digest.status_code)
    assert digest.get_json()["mail"] == {"checkin": True, "alert": True, "digest": True}
    unknown = api.put("/api/v1/me/mail", json={"kind": "spam", "enabled": True}, headers=headers)
    assert unknown.status_code == 422 and "kind" in unknown.get_json()["errors"]
    for not_a_flag in (0, 1, "yes"):  # 0 == False to Python, not to JSON
        sent = {"kind": "alert", "enabled": not_a_flag}
        refused = api.put("/api/v1/me/mail", json=sent, headers=headers)
        assert refused.status_code == 422 and "enabled" in refused.get_json()["errors"]


def test_a_revoked_token_stops_working(api: FlaskClient, coach: dict[str, str]) -> None:
    assert api.get("/api/v1/me", headers=coach).status_code == 200
    assert api.delete("/api/v1/tokens/current", headers=coach).status_code == 204
    refused = api.get("/api/v1/me", headers=coach)
    assert problem(refused, 401)["detail"] == "this token is unknown, revoked or expired"
    assert refused.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer x"},
    ],
)
def test_without_a_valid_bearer_token_the_answer_is_401(
    api: FlaskClient, headers: dict[str, str]
) -> None:
    problem(api.get("/api/v1/alliances", headers=headers), 401)


def test_wrong_credentials_get_401_and_say_nothing_about_the_account(api: FlaskClient) -> None:
    wrong = api.post("/api/v1/tokens", json={"email": COACH_EMAIL, "password": "not it at all"})
    unknown = api.post("/api/v1/tokens", json={"email": "x@y.org", "password": "not it at all"})
    assert problem(wrong, 401)["detail"] == problem(unknown, 401)["detail"]


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({**NADIA, "password": "short"}, {"password"}),
        ({**NADIA, "colour": "red"}, {"colour"}),
        ({"email": "not-an-email"}, {"email", "name", "password"}),
    ],
)
def test_invalid_fields_get_422_naming_each_and_nothing_is_stored(
    api: FlaskClient, tracker: Tracker, payload: dict[str, str], fields: set[str]
) -> None:
    before = tracker.app.recorder.max_notification_id()
    body = problem(api.post("/api/v1/accounts", json=payload), 422)
    assert set(body["errors"]) == fields
    assert tracker.app.recorder.max_notification_id() == before


def test_malformed_bodies_get_clear_refusals(api: FlaskClient, coach: dict[str, str]) -> None:
    url = "/api/v1/alliances"
    json_type = {**coach, "Content-Type": "application/json"}
    assert "not valid JSON" in problem(api.post(url, data="{", headers=json_type), 400)["detail"]
    assert "JSON object" in problem(api.post(url, json=[1, 2], headers=coach), 400)["detail"]
    problem(api.post(url, data="title=x", headers=coach), 415)
    huge = {**ALLIANCE, "purpose": "x" * (2 * 1024 * 1024)}
    problem(api.post(url, json=huge, headers=coach), 413)


def test_an_email_already_registered_gets_409(api: FlaskClient) -> None:
    problem(api.post("/api/v1/accounts", json={**NADIA, "email": COACH_EMAIL}), 409)


def test_founding_an_alliance_answers_201_with_where_it_is(
    api: FlaskClient, coach: dict[str, str], document: dict[str, Any]
) -> None:
    founded = api.post("/api/v1/alliances", json=ALLIANCE, headers=coach)
    documented(document, "POST", "/alliances", founded.status_code)
    assert founded.status_code == 201
    body = founded.get_json()
    assert founded.headers["Location"] == f"/api/v1/alliances/{body['id']}"
    assert body["members"][0]["role"] == "CEO" and body["agreement_version"] == 0
    again = api.get(founded.headers["Location"], headers=coach)
    assert again.status_code == 200 and again.get_json() == body
    listed = api.get("/api/v1/alliances", headers=coach).get_json()
    assert listed[0]["id"] == body["id"] and listed[0]["role"] == "CEO"


def test_an_alliance_whole(api: FlaskClient, coach: dict[str, str], demo: UUID) -> None:
    body = api.get(f"/api/v1/alliances/{demo}", headers=coach).get_json()
    assert {m["name"] for m in body["members"]} == {"Cora Lindqvist", "Cliff Osei"}
    assert body["agreement_version"] >= 1 and body["terms"]
    assert all(term["version"] >= 1 for term in body["terms"])
    assert isinstance(body["tending_open"], bool)


def test_the_authorization_matrix_of_an_alliance(
    api: FlaskClient, coach: dict[str, str], demo: UUID
) -> None:
    client = token_for(api, CLIENT_EMAIL, DEMO_PASSWORDS[CLIENT_EMAIL])
    api.post("/api/v1/accounts", json=NADIA)
    stranger = token_for(api, NADIA["email"], NADIA["password"])
    url = f"/api/v1/alliances/{demo}"
    assert api.get(url, headers=coach).status_code == 200
    assert api.get(url, headers=client).status_code == 200
    hidden = problem(api.get(url, headers=stranger), 404)
    missing = problem(api.get(f"/api/v1/alliances/{uuid4()}", headers=stranger), 404)
    assert hidden == missing
    assert problem(api.get(f"/api/v1/alliances/{uuid4()}", headers=coach), 404)["status"] == 404
    problem(api.get(url), 401)


def test_unknown_routes_and_methods_answer_in_the_api_shape(api: FlaskClient) -> None:
    problem(api.get("/api/v1/nothing-here"), 404)
    not_allowed = problem(api.put("/api/v1/me"), 405)
    assert not_allowed["title"] == "Method Not Allowed"


def test_the_document_describes_every_route_the_api_serves(
    app: Flask, document: dict[str, Any]
) -> None:
    served = {
        (method, re.sub(r"<(?:uuid:)?([a-z_]+)>", r"{\1}", rule.rule.removeprefix("/api/v1")))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    described = {
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    }
    assert served == described
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_token_requests_are_rate_limited_per_account(api: FlaskClient) -> None:
    limit, _ = SIGN_IN_PER_ACCOUNT_AND_ADDRESS
    wrong = {"email": COACH_EMAIL, "password": "a wrong guess!"}
    for _ in range(limit):
        problem(api.post("/api/v1/tokens", json=wrong), 401)
    right = {"email": COACH_EMAIL, "password": DEMO_PASSWORDS[COACH_EMAIL]}
    refused = api.post("/api/v1/tokens", json=right)
    assert "Too many attempts" in problem(refused, 429)["detail"].capitalize()
    assert int(refused.headers["Retry-After"]) > 0


def test_the_document_states_the_limits_the_server_enforces(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    note = schemas["LogFeedbackRequest"]["properties"]["text"]
    assert note["maxLength"] == 4000 and re.fullmatch(note["pattern"].strip("^$"), "a\nb")
    assert not re.match(note["pattern"], "a\x00b") and not re.match(note["pattern"], "   ")
    title = schemas["FoundAllianceRequest"]["properties"]["title"]
    assert not re.match(title["pattern"], "a\u2028b"), "one line"
    at = schemas["ReportConflictRequest"]["properties"]["occurred_at"]
    assert at["format"] == "date-time" and not re.match(at["pattern"], "0444-12-12T06:47:02Z")
    ratings = schemas["RespondToCheckInRequest"]["properties"]["ratings"]
    rated = schemas[ratings["$ref"].rsplit("/", 1)[1]] if "$ref" in ratings else ratings
    assert sorted(rated["required"]) == sorted(SRS_ITEMS)
    assert all(rated["properties"][item]["maximum"] == 10 for item in SRS_ITEMS)
    url = schemas["SetWebhookRequest"]["properties"]["url"]
    assert url["format"] == "uri" and url["maxLength"] == 2000
    needs = {
        rule["if"]["properties"]["kind"]["const"]: sorted(rule["then"]["required"])
        for rule in schemas["ProposeRequest"]["allOf"]
    }
    assert needs["add"] == ["category", "text"]
    versions = schemas["AcceptInvitationRequest"]["properties"]["agreed_version"]
    assert versions["type"] == ["integer", "null"] and versions["maximum"] == 2**31 - 1
