"""Feedback over the API: logging, the thread, sharing and retraction, filters and paging,
and private notes absent from every answer another member gets."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask.testing import FlaskClient

from shell.bootstrap import Tracker
from tests.builders import V1, ok, pair, problem, propose
from tests.web.browsing import sign_in
from tracker.clock import SettableClock


def page_as(api: FlaskClient, email: str, password: str, path: str) -> str:
    """The page as its member sees it in a browser, signed in with a session."""
    sign_in(api, email, password)
    response = api.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def log(api: FlaskClient, who: dict[str, str], alliance: str, **fields: Any) -> Any:
    note = {"valence": "appreciation", **fields}
    return ok(api.post(f"{V1}/alliances/{alliance}/feedback", json=note, headers=who), 201)


def test_a_private_note_reaches_nobody_but_its_author_until_shared(
    api: FlaskClient, clock: SettableClock
) -> None:
    ada, ben, alliance = pair(api)
    base = f"{V1}/alliances/{alliance}"
    shared = log(api, ada, alliance, text="Thank you for Monday")
    clock.advance(timedelta(minutes=1))  # newest first: the private note comes first
    secret = log(api, ada, alliance, text="I felt unheard", valence="concern", visibility="private")
    assert [n["text"] for n in ok(api.get(f"{base}/feedback", headers=ada))["notes"]] == [
        "I felt unheard",
        "Thank you for Monday",
    ]
    seen_by_ben = api.get(f"{base}/feedback", headers=ben).get_data(as_text=True)
    assert "I felt unheard" not in seen_by_ben and secret["id"] not in seen_by_ben
    assert len(ok(api.get(f"{base}/feedback", headers=ben))["notes"]) == 1
    problem(api.get(f"{base}/feedback/{secret['id']}", headers=ben), 404)
    problem(
        api.post(f"{base}/feedback/{secret['id']}/replies", json={"text": "?"}, headers=ben), 404
    )
    problem(api.post(f"{base}/feedback/{secret['id']}/sharing", headers=ben), 404)
    timeline = api.get(f"{base}/timeline?limit=200", headers=ben).get_data(as_text=True)
    assert "I felt unheard" not in timeline and secret["id"] not in timeline
    alliance_whole = api.get(base, headers=ben).get_data(as_text=True)
    assert "I felt unheard" not in alliance_whole

    replied = ok(
        api.post(f"{base}/feedback/{shared['id']}/replies", json={"text": "Glad!"}, headers=ben),
        201,
    )
    assert [(r["member_name"], r["text"]) for r in replied["replies"]] == [("Ben", "Glad!")]

    now_shared = ok(api.post(f"{base}/feedback/{secret['id']}/sharing", headers=ada))
    assert now_shared["visibility"] == "shared" and now_shared["shared_at"]
    assert ok(api.get(f"{base}/feedback/{secret['id']}", headers=ben))["text"] == "I felt unheard"
    problem(api.post(f"{base}/feedback/{secret['id']}/retraction", headers=ben), 409)
    assert api.post(f"{base}/feedback/{secret['id']}/retraction", headers=ada).status_code == 204
    problem(api.get(f"{base}/feedback/{secret['id']}", headers=ada), 404)
    timeline = ok(api.get(f"{base}/timeline?limit=200", headers=ben))["entries"]
    assert any("retracted" in entry["summary"] for entry in timeline)
    assert "I felt unheard" not in str(timeline), "the timeline keeps the fact, not the text"


def test_a_note_cites_the_term_version_in_force_when_it_was_logged(api: FlaskClient) -> None:
    ada, ben, alliance = pair(api)
    base = f"{V1}/alliances/{alliance}"
    term = propose(api, ada, alliance, kind="add", category="feel", text="I want calm")
    ok(api.post(f"{base}/proposals/{term['id']}/acceptance", headers=ben))
    note = log(api, ben, alliance, text="Calm today", term_id=term["term_id"])
    assert note["term_version"] == 1
    unknown_term = {"text": "x", "valence": "neutral", "term_id": str(UUID(int=4))}
    problem(api.post(f"{base}/feedback", json=unknown_term, headers=ben), 404)


def test_filters_and_pages_cover_every_note_once(api: FlaskClient, clock: SettableClock) -> None:
    ada, ben, alliance = pair(api)
    base = f"{V1}/alliances/{alliance}"
    start = clock.now()
    for number in range(7):
        clock.advance(timedelta(minutes=1))
        who = ada if number % 2 == 0 else ben
        log(
            api,
            who,
            alliance,
            text=f"note {number}",
            valence="concern" if number < 3 else "neutral",
        )
    pages, cursor = [], None
    while True:
        url = f"{base}/feedback?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = ok(api.get(url, headers=ada))
        pages.append([n["text"] for n in page["notes"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [len(p) for p in pages] == [3, 3, 1]
    assert sorted(t for p in pages for t in p) == [f"note {n}" for n in range(7)]
    concerns = ok(api.get(f"{base}/feedback?valence=concern", headers=ada))["notes"]
    assert sorted(n["text"] for n in concerns) == ["note 0", "note 1", "note 2"]
    me = ok(api.get(f"{V1}/me", headers=ben))["id"]
    by_ben = ok(api.get(f"{base}/feedback?author={me}", headers=ada))["notes"]
    assert sorted(n["text"] for n in by_ben) == ["note 1", "note 3", "note 5"]
    later = start.isoformat().replace("+00:00", "Z")
    assert len(ok(api.get(f"{base}/feedback?since={later}", headers=ada))["notes"]) == 7
    assert ok(api.get(f"{base}/feedback?until={later}", headers=ada))["notes"] == []
    assert (
        "cursor" in problem(api.get(f"{base}/feedback?cursor=nonsense", headers=ada), 422)["errors"]
    )
    assert (
        "valence" in problem(api.get(f"{base}/feedback?valence=angry", headers=ada), 422)["errors"]
    )


def test_an_overlong_note_is_refused_naming_the_field_and_stores_nothing(
    api: FlaskClient, tracker: Tracker
) -> None:
    ada, _, alliance = pair(api)
    before = tracker.app.recorder.max_notification_id()
    refused = api.post(
        f"{V1}/alliances/{alliance}/feedback",
        json={"text": "x" * 4001, "valence": "neutral"},
        headers=ada,
    )
    assert "text" in problem(refused, 422)["errors"]
    assert tracker.app.recorder.max_notification_id() == before


def test_a_conflict_cites_the_wording_in_force_and_runs_its_course(api: FlaskClient) -> None:
    ada, ben, alliance = pair(api)
    base = f"{V1}/alliances/{alliance}"
    term = propose(api, ada, alliance, kind="add", category="time", text="I answer within a day")
    ok(api.post(f"{base}/proposals/{term['id']}/acceptance", headers=ben))
    report = {
        "description": "Three days without an answer",
        "occurred_at": "2026-11-20T10:00:00Z",
        "severity": "medium",
        "term_id": term["term_id"],
    }
    created = api.post(f"{base}/conflicts", json=report, headers=ben)
    conflict = ok(created, 201)
    assert created.headers["Location"].endswith(conflict["id"])
    assert (conflict["term_version"], conflict["term_text"]) == (1, "I answer within a day")
    amend = propose(
        api,
        ada,
        alliance,
        kind="amend",
        term_id=term["term_id"],
        based_on_version=1,
        text="I answer within two days",
    )
    ok(api.post(f"{base}/proposals/{amend['id']}/acceptance", headers=ben))
    cited = ok(api.get(f"{base}/conflicts/{conflict['id']}", headers=ada))
    assert cited["term_text"] == "I answer within a day", "the wording it cites, not today's"

    problem(
        api.post(f"{base}/conflicts/{conflict['id']}/acknowledgement", json={}, headers=ben), 409
    )
    acknowledged = ok(
        api.post(f"{base}/conflicts/{conflict['id']}/acknowledgement", json={}, headers=ada)
    )
    assert acknowledged["status"] == "acknowledged"
    assert [c["id"] for c in ok(api.get(f"{base}/conflicts?status=acknowledged", headers=ben))] == [
        conflict["id"]
    ]
    open_ones = ok(api.get(f"{base}/conflicts?status=open", headers=ben))
    assert [c["id"] for c in open_ones] == [conflict["id"]], "open: every one not resolved"
    resolution = {"resolution": "We agreed on two days", "outcome": "resolved"}
    resolved = ok(
        api.post(f"{base}/conflicts/{conflict['id']}/resolution", json=resolution, headers=ada)
    )
    assert resolved["status"] == "resolved" and resolved["outcome"] == "resolved"
    assert ok(api.get(f"{base}/conflicts?status=open", headers=ben)) == []
    reopened = ok(
        api.post(
            f"{base}/conflicts/{conflict['id']}/reopening", json={"reason": "again"}, headers=ben
        )
    )
    assert reopened["status"] == "reported" and reopened["reopen_reason"] == "again"
    to_redesign = {"resolution": "The term needs rethinking", "outcome": "redesign"}
    redesigned = ok(
        api.post(f"{base}/conflicts/{conflict['id']}/resolution", json=to_redesign, headers=ben)
    )
    assert redesigned["redesign_id"] == ok(api.get(base, headers=ada))["open_redesign"]["id"]
    assert "status" in problem(api.get(f"{base}/conflicts?status=lost", headers=ada), 422)["errors"]
    problem(api.get(f"{base}/conflicts/{UUID(int=2)}", headers=ada), 404)
