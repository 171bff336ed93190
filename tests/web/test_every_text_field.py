"""Any text a client sends, in any string field of any command the API document describes,
gets an answer that is no server error, and the views keep moving: another alliance's new
note is readable right after. The fields are read from the document itself, so a field added
later is sent arbitrary text too, once it has a valid body below."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shell.bootstrap import Tracker
from tests.builders import V1, ok, pair

RATINGS = {"relationship": 9, "goals": 8, "approach": 9, "overall": 8}
SCHEDULE = {"start": "2026-01-05T09:00", "rule": "FREQ=WEEKLY;BYDAY=MO", "zone": "UTC"}
ACCOUNT = {"email": "new@example.org", "name": "New", "password": "new person, new words"}

# A body each command takes, by (method, path as the document writes it). Ids in braces are
# filled from the world below; "who" is the member who sends it ("" for nobody signed in).
BODIES: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {
    ("POST", "/accounts"): ("", {**ACCOUNT, "invitation": None}),
    ("POST", "/tokens"): ("", {"email": "ada@example.org", "password": "Ada designs alliances"}),
    ("PUT", "/me/time-zone"): ("ada", {"zone": "UTC"}),
    ("PUT", "/me/mail"): ("ada", {"kind": "digest", "enabled": True}),
    ("POST", "/alliances"): (
        "ada",
        {"title": "T", "purpose": "", "kind": "team", "role": "lead"},
    ),
    ("POST", "/alliances/{alliance_id}/invitations"): (
        "ada",
        {"email": "cy@example.org", "role": "peer"},
    ),
    ("POST", "/alliances/{alliance_id}/proposals"): (
        "ada",
        {
            "kind": "add",
            "category": "rhythm",
            "text": "Mondays",
            "rationale": "",
            "schedule": SCHEDULE,
            "term_id": None,
        },
    ),
    ("POST", "/alliances/{alliance_id}/proposals/{proposal_id}/decline"): ("ben", {"reason": "no"}),
    ("POST", "/alliances/{alliance_id}/feedback"): (
        "ada",
        {"text": "t", "valence": "concern", "visibility": "shared", "term_id": None},
    ),
    ("POST", "/alliances/{alliance_id}/feedback/{note_id}/replies"): ("ben", {"text": "t"}),
    ("POST", "/alliances/{alliance_id}/conflicts"): (
        "ada",
        {
            "description": "d",
            "occurred_at": "2026-01-05T08:00:00Z",
            "severity": "low",
            "term_id": None,
        },
    ),
    ("POST", "/alliances/{alliance_id}/conflicts/{conflict_id}/acknowledgement"): (
        "ben",
        {"note": "n"},
    ),
    ("POST", "/alliances/{alliance_id}/conflicts/{conflict_id}/resolution"): (
        "ada",
        {"outcome": "resolved", "resolution": "r"},
    ),
    ("POST", "/alliances/{alliance_id}/conflicts/{conflict_id}/reopening"): (
        "ben",
        {"reason": "r"},
    ),
    ("PUT", "/alliances/{alliance_id}/design-conversation"): (
        "ada",
        {"at": "2026-02-02T09:00:00Z"},
    ),
    ("POST", "/alliances/{alliance_id}/checkins/{checkin_id}/responses"): (
        "ada",
        {"answers": {"feel": "f"}, "ratings": RATINGS},
    ),
    ("POST", "/alliances/{alliance_id}/redesigns"): ("ada", {"reason": "r"}),
    ("POST", "/alliances/{alliance_id}/redesigns/{redesign_id}/conclusion"): (
        "ada",
        {"summary": "s"},
    ),
    ("POST", "/alliances/{alliance_id}/tending"): ("ada", {"message": "m"}),
    ("POST", "/alliances/{alliance_id}/tending/{signal_id}/reply"): ("ben", {"reply": "r"}),
    ("PUT", "/alliances/{alliance_id}/webhook"): ("ada", {"url": "https://hooks.example/x"}),
    ("POST", "/alliances/{alliance_id}/commitments"): (
        "ada",
        {
            "what": "w",
            "owner_id": "{ada_id}",
            "due_on": "2026-01-09",
            "term_id": None,
            "source": "checkin",
            "source_id": "{checkin_id}",
        },
    ),
    ("POST", "/alliances/{alliance_id}/commitments/{commitment_id}/review"): (
        "ada",
        {"checkin_id": "{checkin_id}", "outcome": "carried_over", "carried_to": "2026-01-09"},
    ),
    ("POST", "/alliances/{alliance_id}/alerts/{alert_id}/snooze"): ("ben", {"until": "{tomorrow}"}),
    ("POST", "/alliances/{alliance_id}/alerts/{alert_id}/resolution"): ("ada", {"note": "n"}),
}


def _filled(body: dict[str, Any], world: dict[str, Any]) -> dict[str, Any]:
    """The body with the ids it names ("{checkin_id}") made in ``world``."""
    return {
        name: value.format(**world) if isinstance(value, str) and "{" in value else value
        for name, value in body.items()
    }


def _string_fields(doc: dict[str, Any], schema: dict[str, Any], prefix: str) -> Iterator[str]:
    """Each string in a body, as a dotted path; a map's values as "name.*"."""
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    for combined in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(combined, []):
            yield from _string_fields(doc, part, prefix)
    kinds = schema.get("type")
    if kinds == "string" or (isinstance(kinds, list) and "string" in kinds):
        yield prefix
    for name, inner in schema.get("properties", {}).items():
        yield from _string_fields(doc, inner, f"{prefix}.{name}" if prefix else name)
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _string_fields(doc, schema["additionalProperties"], f"{prefix}.*")


_DOCUMENTED: list[tuple[str, str, str]] = []  # the same for every app: read once a run


def documented_text_fields(api: FlaskClient) -> list[tuple[str, str, str]]:
    if not _DOCUMENTED:
        _DOCUMENTED.extend(sorted(_read_text_fields(api)))
    return _DOCUMENTED


def _read_text_fields(api: FlaskClient) -> set[tuple[str, str, str]]:
    doc = ok(api.get(f"{V1}/openapi.json"))
    found = set()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                schema = content["application/json"]["schema"]
                for field in set(_string_fields(doc, schema, "")):
                    found.add((method.upper(), path, field))
    return found


def test_every_documented_text_field_has_a_body_to_send_it_in(api: FlaskClient) -> None:
    missing = {(m, p) for m, p, _ in documented_text_fields(api)} - set(BODIES)
    assert missing == set(), "a command with text fields needs a valid body in BODIES"


def _put(body: dict[str, Any], field: str, text: str) -> dict[str, Any]:
    """The body with ``text`` at the dotted ``field`` ("answers.*": the map's only value)."""
    sent = dict(body)
    name, _, rest = field.partition(".")
    if rest == "*":
        sent[name] = {key: text for key in sent[name]}
    elif rest:
        sent[name] = _put(sent[name], rest, text)
    else:
        sent[name] = text
    return sent


@pytest.fixture
def world(api: FlaskClient, tracker: Tracker) -> dict[str, Any]:
    """Two members with one of everything a command acts on, and another alliance."""
    ada, ben, alliance = pair(api)
    base = f"{V1}/alliances/{alliance}"
    rhythm = {"kind": "add", "category": "rhythm", "text": "Mondays", "schedule": SCHEDULE}
    proposed = ok(api.post(f"{base}/proposals", json=rhythm, headers=ada), 201)
    ok(api.post(f"{base}/proposals/{proposed['id']}/acceptance", json={}, headers=ben))
    open_one = {"kind": "add", "category": "values", "text": "Candour"}
    founded = {"title": "Another", "purpose": "", "kind": "team", "role": "lead"}
    made = {
        "alliance_id": alliance,
        "proposal_id": ok(api.post(f"{base}/proposals", json=open_one, headers=ada), 201)["id"],
        "note_id": ok(
            api.post(f"{base}/feedback", json={"text": "n", "valence": "concern"}, headers=ada),
            201,
        )["id"],
        "conflict_id": ok(
            api.post(
                f"{base}/conflicts",
                json={"description": "d", "occurred_at": "2026-01-05T08:00:00Z", "severity": "low"},
                headers=ada,
            ),
            201,
        )["id"],
        "checkin_id": ok(api.post(f"{base}/checkins", json={}, headers=ada), 201)["id"],
        "redesign_id": ok(api.post(f"{base}/redesigns", json={"reason": "r"}, headers=ada), 201)[
            "id"
        ],
        "signal_id": ok(api.post(f"{base}/tending", json={}, headers=ben), 201)["id"],
        "other": ok(api.post(f"{V1}/alliances", json=founded, headers=ada), 201)["id"],
        "ada_id": ok(api.get(f"{V1}/me", headers=ada))["id"],
    }
    commitment = {
        "what": "c",
        "owner_id": made["ada_id"],
        "due_on": "2026-01-09",
        "source": "checkin",
        "source_id": made["checkin_id"],
    }
    made["commitment_id"] = ok(api.post(f"{base}/commitments", json=commitment, headers=ada), 201)[
        "id"
    ]
    # Alerts are the scheduler's to raise: one raised as it would, on a made-up cause.
    made["alert_id"] = tracker.service.raise_alert(
        UUID(alliance),
        rule="srs_low",
        cause="a check-in of the world",
        threshold=36,
        numbers={"total": 20},
        evidence=[],
        summary="Ben rated the check-in 20 of 40.",
    ).ids["alert_id"]
    made["tomorrow"] = (tracker.service.clock.now() + timedelta(days=1)).date().isoformat()
    return {"ada": ada, "ben": ben, "": {}, **made}


def test_each_body_as_it_stands_reaches_its_command(
    api: FlaskClient, world: dict[str, Any]
) -> None:
    """So that the text sent in its fields is judged by the command, not refused before."""
    refused = {}
    for (method, path), (who, body) in BODIES.items():
        answer = api.open(
            V1 + path.format(**world), method=method, json=_filled(body, world), headers=world[who]
        )
        if answer.status_code not in (200, 201, 202, 204, 409):
            refused[(method, path)] = answer.get_data(as_text=True)[:200]
    assert refused == {}


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.data(),
    text=st.text(st.characters(codec=None), max_size=40)
    | st.text(st.characters(min_codepoint=0, max_codepoint=0x3000), max_size=8),
)
def test_no_text_in_any_field_makes_a_server_error_or_stops_the_views(
    api: FlaskClient, tracker: Tracker, world: dict[str, Any], data: Any, text: str
) -> None:
    method, path, field = data.draw(st.sampled_from(documented_text_fields(api)))
    who, body = BODIES[(method, path)]
    url = V1 + path.format(**world)
    sent = _put(_filled(body, world), field, text)
    answer = api.open(url, method=method, json=sent, headers=world[who])
    assert answer.status_code < 500, (method, path, field, answer.get_data(as_text=True))
    # The views keep moving: another alliance's new note is readable right after.
    note = ok(
        api.post(
            f"{V1}/alliances/{world['other']}/feedback",
            json={"text": "still here", "valence": "neutral"},
            headers=world["ada"],
        ),
        201,
    )
    ok(api.get(f"{V1}/alliances/{world['other']}/feedback/{note['id']}", headers=world["ada"]))
    assert tracker.engine.held() == []
