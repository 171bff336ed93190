"""Commitments over the API: recorded from a check-in, a resolved conflict or the open
redesign; answered for by their owner at a later check-in; due ones in the owner's inbox."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask.testing import FlaskClient

from shell.bootstrap import Tracker
from tests.builders import V1, account, ok, pair, problem, propose
from tracker.clock import SettableClock

RATINGS = {"relationship": 9, "goals": 8, "approach": 9, "overall": 8}


def started(api: FlaskClient, who: dict[str, str], alliance: str) -> str:
    checkin: str = ok(api.post(f"{V1}/alliances/{alliance}/checkins", headers=who), 201)["id"]
    return checkin


def closed(api: FlaskClient, alliance: str, checkin: str, *members: dict[str, str]) -> None:
    for member in members:
        answer = {"answers": {}, "ratings": RATINGS}
        ok(
            api.post(
                f"{V1}/alliances/{alliance}/checkins/{checkin}/responses",
                json=answer,
                headers=member,
            ),
            201,
        )


def test_a_commitment_made_at_a_check_in_is_answered_for_at_the_next(
    api: FlaskClient, tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben, alliance = pair(api)
    ben_id = ok(api.get(f"{V1}/me", headers=ben))["id"]
    term = propose(api, ada, alliance, kind="add", category="time", text="An hour a week")
    ok(api.post(f"{V1}/alliances/{alliance}/proposals/{term['id']}/acceptance", headers=ben))
    term_id = ok(api.get(f"{V1}/alliances/{alliance}/agreement", headers=ada))["terms"][0]["id"]
    first = started(api, ada, alliance)
    due = (clock.now() + timedelta(days=3)).date().isoformat()
    made = {
        "what": "Block Friday mornings for the roadmap",
        "owner_id": ben_id,
        "due_on": due,
        "term_id": term_id,
        "source": "checkin",
        "source_id": first,
    }
    answer = api.post(f"{V1}/alliances/{alliance}/commitments", json=made, headers=ada)
    commitment = ok(answer, 201)
    assert answer.headers["Location"].endswith(f"/commitments/{commitment['id']}")
    assert (commitment["owner_name"], commitment["made_by_name"]) == ("Ben", "Ada")
    assert (commitment["status"], commitment["due_on"], commitment["reviews"]) == ("open", due, [])
    path = f"{V1}/alliances/{alliance}/commitments/{commitment['id']}"
    review = {"checkin_id": first, "outcome": "done"}
    here = api.post(f"{path}/review", json=review, headers=ben)
    assert "opened after it was made" in problem(here, 409)["detail"]

    closed(api, alliance, first, ada, ben)
    clock.advance(timedelta(days=1))
    second = started(api, ada, alliance)
    # Every member answers: the check-in is complete, and open for commitments until it closes.
    closed(api, alliance, second, ada, ben)
    review = {"checkin_id": second, "outcome": "done"}
    assert (
        "only its owner"
        in problem(api.post(f"{path}/review", json=review, headers=ada), 409)["detail"]
    )
    carried = {"checkin_id": second, "outcome": "carried_over"}
    assert problem(api.post(f"{path}/review", json=carried, headers=ben), 422)["errors"] == {
        "carried_to": ["a new date is needed to carry it over"]
    }
    later = (clock.now() + timedelta(days=10)).date().isoformat()
    moved = ok(api.post(f"{path}/review", json={**carried, "carried_to": later}, headers=ben))
    assert (moved["status"], moved["due_on"]) == ("open", later)
    assert [r["outcome"] for r in moved["reviews"]] == ["carried_over"]
    twice = api.post(f"{path}/review", json=review, headers=ben)
    assert "in this check-in already" in problem(twice, 409)["detail"]

    clock.advance(timedelta(days=1))
    third = started(api, ada, alliance)
    done = ok(
        api.post(f"{path}/review", json={"checkin_id": third, "outcome": "done"}, headers=ben)
    )
    assert done["status"] == "done" and done["closed_at"]
    again = api.post(
        f"{path}/review", json={"checkin_id": third, "outcome": "not_done"}, headers=ben
    )
    assert "already done" in problem(again, 409)["detail"]
    assert [
        c["id"]
        for c in ok(api.get(f"{V1}/alliances/{alliance}/commitments?status=done", headers=ada))
    ] == [commitment["id"]]
    assert ok(api.get(f"{V1}/alliances/{alliance}/commitments?status=open", headers=ada)) == []

    # Once a check-in's window has passed, or the alliance has ended, nothing is answered.
    later_one = {**made, "source_id": third, "term_id": None}
    other = ok(api.post(f"{V1}/alliances/{alliance}/commitments", json=later_one, headers=ada), 201)
    clock.advance(timedelta(days=1))
    fourth = started(api, ada, alliance)
    clock.advance(timedelta(days=8))
    late = {"checkin_id": fourth, "outcome": "done"}
    other_path = f"{V1}/alliances/{alliance}/commitments/{other['id']}"
    assert (
        "while it is open"
        in problem(api.post(f"{other_path}/review", json=late, headers=ben), 409)["detail"]
    )
    fifth = started(api, ada, alliance)
    ada_id = UUID(ok(api.get(f"{V1}/me", headers=ada))["id"])
    tracker.service.end_alliance(ada_id, UUID(alliance), {"reason": "The work is done"})
    ended = {"checkin_id": fifth, "outcome": "done"}
    assert (
        "has ended"
        in problem(api.post(f"{other_path}/review", json=ended, headers=ben), 409)["detail"]
    )
    history = ok(api.get(f"{V1}/alliances/{alliance}/terms/{term_id}/history", headers=ada))
    assert [c["what"] for c in history["commitments"]] == [made["what"]]
    timeline = ok(api.get(f"{V1}/alliances/{alliance}/timeline", headers=ada))
    said = [entry["summary"] for entry in timeline["entries"]]
    assert f"recorded a commitment, due {due}: “{made['what']}”" in said
    assert f"carried their commitment over to {later}" in said
    assert "marked their commitment done" in said


def test_a_commitment_is_refused_where_it_cannot_stand(
    api: FlaskClient, clock: SettableClock
) -> None:
    ada, ben, alliance = pair(api)
    ada_id = ok(api.get(f"{V1}/me", headers=ada))["id"]
    checkin = started(api, ada, alliance)
    today = clock.now().date()
    base: dict[str, Any] = {
        "what": "Send the notes",
        "owner_id": ada_id,
        "due_on": today.isoformat(),
        "source": "checkin",
        "source_id": checkin,
    }
    path = f"{V1}/alliances/{alliance}/commitments"

    def refused(status: int, **changed: Any) -> dict[str, Any]:
        return problem(api.post(path, json={**base, **changed}, headers=ada), status)

    assert refused(422, owner_id=alliance)["errors"] == {
        "owner_id": ["must be a member of this alliance"]
    }
    far = (today + timedelta(days=800)).isoformat()
    assert refused(422, due_on=far)["errors"] == {
        "due_on": ["must be from today to two years ahead"]
    }
    past = (today - timedelta(days=3)).isoformat()
    assert refused(422, due_on=past)["errors"] == {
        "due_on": ["must be from today to two years ahead"]
    }
    assert "due_on" in refused(422, due_on="next Friday")["errors"]
    for odd in ("20260110", "2026-W02-5", "2026-1-9"):
        assert refused(422, due_on=odd)["errors"] == {"due_on": ["give a day as YYYY-MM-DD"]}
    term = propose(api, ada, alliance, kind="add", category="time", text="An hour a week")
    ok(api.post(f"{V1}/alliances/{alliance}/proposals/{term['id']}/acceptance", headers=ben))
    term_id = ok(api.get(f"{V1}/alliances/{alliance}/agreement", headers=ada))["terms"][0]["id"]
    retiring = propose(
        api, ada, alliance, kind="retire", term_id=term_id, based_on_version=1, text="Done"
    )
    ok(api.post(f"{V1}/alliances/{alliance}/proposals/{retiring['id']}/acceptance", headers=ben))
    assert "a term in force" in refused(409, term_id=term_id)["detail"]
    assert "what" in refused(422, what="   ")["errors"]
    assert "what" in refused(422, what="two\nlines")["errors"]
    refused(404, source_id=alliance)  # no such check-in here
    refused(404, term_id=alliance)
    conflict = ok(
        api.post(
            f"{V1}/alliances/{alliance}/conflicts",
            json={
                "description": "Late again",
                "occurred_at": clock.now().isoformat(),
                "severity": "low",
            },
            headers=ben,
        ),
        201,
    )
    assert "resolve it first" in refused(409, source="conflict", source_id=conflict["id"])["detail"]
    assert "open one" in refused(409, source="redesign", source_id=conflict["id"])["detail"]
    resolution = {"resolution": "We agreed a buffer", "outcome": "resolved"}
    ok(
        api.post(
            f"{V1}/alliances/{alliance}/conflicts/{conflict['id']}/resolution",
            json=resolution,
            headers=ada,
        )
    )
    ok(
        api.post(
            path, json={**base, "source": "conflict", "source_id": conflict["id"]}, headers=ada
        ),
        201,
    )
    redesign = ok(
        api.post(f"{V1}/alliances/{alliance}/redesigns", json={"reason": "New roles"}, headers=ada),
        201,
    )
    ok(
        api.post(
            path, json={**base, "source": "redesign", "source_id": redesign["id"]}, headers=ben
        ),
        201,
    )
    cy = account(api, "Cy")
    problem(api.get(path, headers=cy), 404)
    problem(api.post(path, json=base, headers=cy), 404)
    assert len(ok(api.get(path, headers=ben))) == 2


def test_a_due_commitment_waits_in_its_owner_s_inbox_alone(
    api: FlaskClient, tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben, alliance = pair(api)
    ben_id = ok(api.get(f"{V1}/me", headers=ben))["id"]
    checkin = started(api, ada, alliance)
    tomorrow = (clock.now() + timedelta(days=1)).date().isoformat()
    made = {
        "what": "Draft the budget",
        "owner_id": ben_id,
        "due_on": tomorrow,
        "source": "checkin",
        "source_id": checkin,
    }
    ok(api.post(f"{V1}/alliances/{alliance}/commitments", json=made, headers=ada), 201)
    assert ok(api.get(f"{V1}/inbox", headers=ben))["commitments"] == [], "not due yet"
    clock.advance(timedelta(days=1))
    (due,) = ok(api.get(f"{V1}/inbox", headers=ben))["commitments"]
    assert (due["what"], due["title"], due["overdue"]) == ("Draft the budget", "Co-founders", False)
    clock.advance(timedelta(days=1))
    assert ok(api.get(f"{V1}/inbox", headers=ben))["commitments"][0]["overdue"] is True
    assert ok(api.get(f"{V1}/inbox", headers=ada))["commitments"] == [], "the owner's alone"
    ada_id = UUID(ok(api.get(f"{V1}/me", headers=ada))["id"])
    ended = tracker.service.end_alliance(ada_id, UUID(alliance), {"reason": "The work is done"})
    tracker.engine.wait_for(ended.notification_id)
    assert ok(api.get(f"{V1}/inbox", headers=ben))["commitments"] == [], "no check-in will come"
