"""The views of the demo alliance, read through the queries a member would use."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from shell.bootstrap import Tracker
from shell.demo import CLIENT_EMAIL, COACH_EMAIL
from tracker import ids

COACH = ids.account_id(COACH_EMAIL)
CLIENT = ids.account_id(CLIENT_EMAIL)
STRANGER = ids.account_id("stranger@example.org")


def test_alliances_per_member(tracker: Tracker, demo: UUID) -> None:
    for member, role in ((COACH, "coach"), (CLIENT, "client")):
        (row,) = tracker.queries.alliances_for(member)
        assert row["alliance_id"] == str(demo)
        assert row["role"] == role
    assert tracker.queries.alliances_for(STRANGER) == []
    assert tracker.queries.alliance(demo, STRANGER) is None


def test_the_agreement_now_and_as_of_an_instant(tracker: Tracker, demo: UUID) -> None:
    alliance = tracker.queries.alliance(demo, COACH)
    assert alliance is not None
    now = tracker.queries.agreement(demo)
    assert sum(1 for t in now if t["category"] == "triggers") == 0, "retired in the redesign"
    before_redesign = tracker.queries.agreement(demo, as_of=datetime(2026, 7, 20, tzinfo=UTC))
    assert {t["category"] for t in before_redesign} >= {"triggers", "rhythm", "time"}
    assert len(before_redesign) == 8
    assert len(now) == 8  # one retired, one added
    by_version = tracker.queries.agreement(demo, version=alliance["agreement_version"])
    assert [t["term_id"] for t in by_version] == [t["term_id"] for t in now]
    before_anything = tracker.queries.agreement(demo, as_of=datetime(2026, 5, 1, tzinfo=UTC))
    assert before_anything == []


def test_term_history_says_who_proposed_and_accepted_and_what_changed(
    tracker: Tracker, demo: UUID
) -> None:
    time_term = next(t for t in tracker.queries.terms(demo) if t["category"] == "time")
    history = tracker.queries.term_history(demo, UUID(time_term["term_id"]))
    assert [v["version"] for v in history] == [1, 2]
    first, second = history
    assert first["proposer_name"] == "Cliff Osei"
    assert [a["name"] for a in first["accepted_by"]] == ["Cliff Osei", "Cora Lindqvist"]
    assert first["valid_to"] == second["valid_from"]
    added = " ".join(s.text for s in second["diff"] if s.op == "added")
    removed = " ".join(s.text for s in second["diff"] if s.op == "removed")
    assert "fifty minutes" in added and "an hour" in removed


def test_open_proposals_show_who_has_and_has_not_accepted(tracker: Tracker, demo: UUID) -> None:
    assert tracker.queries.open_proposals(demo) == []
    result = tracker.service.propose(
        COACH, demo, {"kind": "add", "category": "values", "text": "I value rest."}
    )
    tracker.engine.run_once()
    assert tracker.engine.position() >= result.notification_id
    (proposal,) = tracker.queries.open_proposals(demo)
    assert [m["name"] for m in proposal["accepted_by"]] == ["Cora Lindqvist"]
    assert [m["name"] for m in proposal["awaiting"]] == ["Cliff Osei"]


def test_private_notes_reach_the_timeline_of_their_author_only(
    tracker: Tracker, demo: UUID
) -> None:
    def private_rows(viewer: UUID) -> list[str]:
        rows = tracker.queries.timeline(demo, viewer, limit=10_000)
        return [r["actor_id"] for r in rows if r["private_to"] is not None]

    coach_private, client_private = private_rows(COACH), private_rows(CLIENT)
    assert coach_private and set(coach_private) == {str(COACH)}
    assert client_private and set(client_private) == {str(CLIENT)}


def test_sharing_a_private_note_shows_it_to_everyone(tracker: Tracker, demo: UUID) -> None:
    note = tracker.service.log_feedback(
        CLIENT, demo, {"text": "I am nervous", "valence": "concern", "visibility": "private"}
    )["note_id"]
    tracker.engine.run_once()
    coach_view = tracker.queries.timeline(demo, COACH, limit=5)
    assert all(r["subject_id"] != str(note) for r in coach_view)
    tracker.service.share_feedback(CLIENT, demo, note)
    tracker.engine.run_once()
    coach_view = tracker.queries.timeline(demo, COACH, limit=5)
    assert [r["event"] for r in coach_view if r["subject_id"] == str(note)] == [
        "FeedbackNote.Shared",
        "FeedbackNote.Logged",
    ]


def test_the_timeline_pages_back_by_notification_id(tracker: Tracker, demo: UUID) -> None:
    first = tracker.queries.timeline(demo, COACH, limit=20)
    second = tracker.queries.timeline(demo, COACH, before=first[-1]["notification_id"], limit=20)
    assert first[-1]["notification_id"] > second[0]["notification_id"]
    assert len(second) == 20
