"""Relationship health against figures worked out by hand, on SQLite and PostgreSQL.

The scenario: Ada and Ben, weeks beginning Monday 2 March 2026 (UTC, no rhythm yet).
Week of 2 March: Ada shares three appreciations and a concern and keeps two concerns
private; Ben shares two appreciations. A scheduled check-in: Ada 9/9/9/9 (36), Ben
10/10/10/8 (38), completed; and one Ada alone has answered (36), still open, so sealed
and not counted. Ben reports a conflict on Tuesday, resolved Thursday (48 hours),
and another on Friday, still open. Week of 9 March: a scheduled check-in only Ada answers
(5/5/5/5), closed as missed. Week of 16 March: nothing. Read on Friday 20 March at noon.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from shell.bootstrap import Tracker
from tests.support import rebuilt_copy, snapshot_views
from tracker.clock import SettableClock


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def ratings(relationship: int, goals: int, approach: int, overall: int) -> dict[str, Any]:
    return {
        "answers": {},
        "ratings": {
            "relationship": relationship,
            "goals": goals,
            "approach": approach,
            "overall": overall,
        },
    }


def ada_and_ben(tracker: Tracker, clock: SettableClock) -> tuple[UUID, UUID, UUID]:
    service = tracker.service
    clock.set(utc(2026, 3, 2, 9))
    ada, ben = (
        service.register_account(
            {"email": f"{name}@example.org", "name": name.title(), "password": "long enough pw"}
        )["account_id"]
        for name in ("ada", "ben")
    )
    service.verify_address(ben, "ben@example.org", via="mail")
    alliance = service.found_alliance(
        ada, {"title": "Pair", "purpose": "", "kind": "partnership", "role": "CEO"}
    )["alliance_id"]
    invitation = service.invite_member(ada, alliance, {"email": "ben@example.org", "role": "CTO"})[
        "invitation_id"
    ]
    service.join_alliance(ben, alliance, {"invitation_id": invitation, "agreed_version": 0})
    return ada, ben, alliance


def note(
    tracker: Tracker, who: UUID, alliance: UUID, valence: str, visibility: str = "shared"
) -> UUID:
    payload = {"text": "A note", "valence": valence, "visibility": visibility}
    note_id: UUID = tracker.service.log_feedback(who, alliance, payload)["note_id"]
    return note_id


def checkin(
    tracker: Tracker, clock: SettableClock, alliance: UUID, slot: datetime, answers: dict[UUID, Any]
) -> UUID:
    service = tracker.service
    clock.set(slot)
    checkin_id: UUID = service.prompt_checkin(
        alliance, {"slot": slot.isoformat(), "closes_at": (slot + timedelta(days=7)).isoformat()}
    )["checkin_id"]
    for member, answer in answers.items():
        service.respond_to_checkin(member, alliance, checkin_id, answer)
    return checkin_id


def scenario(tracker: Tracker, clock: SettableClock) -> tuple[UUID, UUID, UUID, UUID]:
    ada, ben, alliance = ada_and_ben(tracker, clock)
    service = tracker.service
    clock.set(utc(2026, 3, 2, 10))
    for valence in ("appreciation", "appreciation", "appreciation", "concern"):
        note(tracker, ada, alliance, valence)
    note(tracker, ada, alliance, "concern", "private")
    note(tracker, ada, alliance, "concern", "private")
    note(tracker, ben, alliance, "appreciation")
    note(tracker, ben, alliance, "appreciation")
    checkin(tracker, clock, alliance, utc(2026, 3, 2, 12), {ada: ratings(9, 9, 9, 9)})  # open
    first = checkin(tracker, clock, alliance, utc(2026, 3, 2, 12, 30), {})
    service.respond_to_checkin(ada, alliance, first, ratings(9, 9, 9, 9))
    service.respond_to_checkin(ben, alliance, first, ratings(10, 10, 10, 8))
    report = {"description": "Missed the call", "severity": "low"}
    clock.set(utc(2026, 3, 3, 10))
    resolved = service.report_conflict(
        ben, alliance, {**report, "occurred_at": "2026-03-03T09:00:00Z"}
    )["conflict_id"]
    clock.set(utc(2026, 3, 5, 10))
    service.resolve_conflict(
        ada, alliance, resolved, {"resolution": "Talked", "outcome": "resolved"}
    )
    clock.set(utc(2026, 3, 6, 10))
    open_one = service.report_conflict(
        ben, alliance, {**report, "occurred_at": "2026-03-06T09:00:00Z"}
    )["conflict_id"]
    second = checkin(tracker, clock, alliance, utc(2026, 3, 9, 12), {ada: ratings(5, 5, 5, 5)})
    clock.set(utc(2026, 3, 16, 12))
    service.close_checkin(alliance, second)
    clock.set(utc(2026, 3, 20, 12))
    tracker.engine.run_once()
    return ada, ben, alliance, open_one


def by_key(health: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {component["key"]: component for component in health["components"]}


def test_each_component_matches_the_figures_worked_out_by_hand(
    tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben, alliance, open_one = scenario(tracker, clock)
    health = tracker.health.now(alliance, ada, clock.now())
    c = by_key(health)

    # 36, 38 and 20 (the open check-in's sealed 36 is not counted): 94 / 3.
    assert c["ratings"]["value"] == pytest.approx(31.33, abs=0.01)
    assert c["ratings"]["status"] == "yellow"
    assert c["ratings"]["details"]["items"] == {
        "relationship": 8.0,
        "goals": 8.0,
        "approach": 8.0,
        "overall": pytest.approx(7.33, abs=0.01),
    }
    assert c["ratings"]["details"]["answers_of_concern"] == 2
    assert "Lowest item: overall" in c["ratings"]["explanation"]

    assert c["positivity"]["value"] == 5.0 and c["positivity"]["status"] == "green"
    assert c["positivity"]["details"]["private"] == {
        "appreciations": 0,
        "concerns": 2,
        "neutrals": 0,
    }
    assert "only you see" in c["positivity"]["explanation"]

    assert c["adherence"]["value"] == 0.5 and c["adherence"]["status"] == "yellow"

    # One open, 14 days and 2 hours old: the age makes it yellow; 48 hours to resolve.
    assert c["conflicts"]["value"] == 1 and c["conflicts"]["status"] == "yellow"
    assert c["conflicts"]["details"]["oldest_open_days"] == pytest.approx(14.08, abs=0.01)
    assert c["conflicts"]["details"]["median_hours_to_resolve"] == 48.0
    assert c["conflicts"]["moved_by"][0] == {
        "label": "Open since 2026-03-06",
        "page": "conflicts",
        "conflict_id": str(open_one),
    }

    # Ada: four shared notes and two answers; Ben: two notes and one answer. 3 * 2 / 9.
    assert c["participation"]["value"] == pytest.approx(0.67, abs=0.01)
    assert c["participation"]["status"] == "green"

    assert c["divergence"]["value"] == 2.0 and c["divergence"]["status"] == "green"
    assert c["freshness"]["status"] == "no_data"

    assert health["overall"]["status"] == "yellow"
    assert health["overall"]["summary"] == (
        "Worth a look: check-in ratings, rhythm adherence and conflict load."
    )


def test_another_member_sees_the_same_shared_figures_and_none_of_the_private(
    tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben, alliance, _ = scenario(tracker, clock)
    mine = tracker.health.now(alliance, ada, clock.now())
    theirs = tracker.health.now(alliance, ben, clock.now())
    assert "private" not in by_key(theirs)["positivity"]["details"]
    assert "only you see" not in by_key(theirs)["positivity"]["explanation"]
    for key, component in by_key(mine).items():
        if key != "positivity":
            assert by_key(theirs)[key] == component
    history = tracker.health.history(alliance, ben, clock.now())
    assert all("private" not in week for week in history["weeks"])
    assert "private" in tracker.health.history(alliance, ada, clock.now())["weeks"][0]


def test_the_weekly_series_holds_each_week_alone_and_carries_the_state(
    tracker: Tracker, clock: SettableClock
) -> None:
    ada, _, alliance, _ = scenario(tracker, clock)
    weeks = tracker.health.history(alliance, ada, clock.now())["weeks"]
    assert [w["week"] for w in weeks] == ["2026-03-02", "2026-03-09", "2026-03-16"]
    first, second, third = weeks
    assert first["srs_total"] == 37.0 and first["divergence"] == 2.0
    assert first["positivity"] == 5.0 and first["adherence"] == 1.0
    assert first["participation"] == 0.75  # Ada 4 notes and 1 answer, Ben 2 and 1: 3 * 2 / 8
    assert first["open_conflicts"] == 1 and first["conflicts_resolved"] == 1
    assert second["srs_total"] == 20.0 and second["adherence"] == 0.0
    assert second["positivity"] is None and second["open_conflicts"] == 1
    assert third["answers"] == 0 and third["open_conflicts"] == 1
    assert third["adherence"] is None, "a week with no check-in scheduled has no adherence"


def test_the_edges(tracker: Tracker, clock: SettableClock) -> None:
    ada, ben, alliance = ada_and_ben(tracker, clock)
    tracker.engine.run_once()
    empty = by_key(tracker.health.now(alliance, ada, clock.now()))
    assert {key: c["status"] for key, c in empty.items()} == {
        "ratings": "no_data",
        "positivity": "no_data",
        "adherence": "no_data",
        "conflicts": "green",
        "participation": "no_data",
        "divergence": "no_data",
        "freshness": "no_data",
    }

    clock.set(utc(2026, 3, 3, 9))
    for _ in range(4):
        note(tracker, ada, alliance, "appreciation")
    checkin(
        tracker,
        clock,
        alliance,
        utc(2026, 3, 3, 12),
        {ada: ratings(10, 10, 10, 10), ben: ratings(10, 10, 10, 10)},
    )
    clock.set(utc(2026, 3, 4, 9))
    tracker.engine.run_once()
    c = by_key(tracker.health.now(alliance, ada, clock.now()))
    # No concern at all: no finite ratio, said in words, and green.
    assert c["positivity"]["value"] is None and c["positivity"]["display"] == "4 : 0"
    assert c["positivity"]["status"] == "green"
    assert c["divergence"]["value"] == 0.0 and c["ratings"]["value"] == 40.0
    # Ben shared nothing but answered once: Ada 5, Ben 1; 1 * 2 / 6.
    assert c["participation"]["value"] == pytest.approx(0.33, abs=0.01)
    assert c["adherence"]["value"] == 1.0

    started = tracker.service.start_checkin_now(ada, alliance)["checkin_id"]
    tracker.service.respond_to_checkin(ada, alliance, started, ratings(10, 10, 10, 10))
    tracker.service.respond_to_checkin(ben, alliance, started, ratings(10, 10, 10, 10))
    tracker.engine.run_once()
    c = by_key(tracker.health.now(alliance, ada, clock.now()))
    assert c["ratings"]["details"]["answers"] == 4, "a check-in a member started is rated"
    assert c["adherence"]["details"]["scheduled_closed"] == 1, "but is not the rhythm's"

    for _ in range(4):
        note(tracker, ada, alliance, "concern")
    tracker.engine.run_once()
    silent = by_key(tracker.health.now(alliance, ada, clock.now()))
    assert silent["positivity"]["value"] == 1.0 and silent["positivity"]["status"] == "yellow"


def test_ben_silent_is_red_and_named(tracker: Tracker, clock: SettableClock) -> None:
    ada, _, alliance = ada_and_ben(tracker, clock)
    for _ in range(4):
        note(tracker, ada, alliance, "appreciation")
    tracker.engine.run_once()
    participation = by_key(tracker.health.now(alliance, ada, clock.now()))["participation"]
    assert participation["value"] == 0.0 and participation["status"] == "red"
    assert "Ben gave none" in participation["explanation"]


def test_sharing_and_retracting_move_a_note_between_the_figures(
    tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben, alliance = ada_and_ben(tracker, clock)
    kept = [note(tracker, ada, alliance, "appreciation", "private") for _ in range(3)]
    tracker.engine.run_once()
    assert by_key(tracker.health.now(alliance, ben, clock.now()))["positivity"]["details"] == {
        "appreciations": 0,
        "concerns": 0,
        "neutrals": 0,
    }
    for note_id in kept:
        tracker.service.share_feedback(ada, alliance, note_id)
    tracker.service.retract_feedback(ada, alliance, kept[0])
    tracker.engine.run_once()
    for viewer in (ada, ben):
        details = by_key(tracker.health.now(alliance, viewer, clock.now()))["positivity"]
        assert details["details"] == {"appreciations": 2, "concerns": 0, "neutrals": 0}


def test_review_cadence_makes_freshness_green_then_red(
    tracker: Tracker, clock: SettableClock
) -> None:
    ada, _, alliance = ada_and_ben(tracker, clock)
    tracker.service.set_review_cadence(ada, alliance, {"every_months": 1})
    tracker.engine.run_once()
    fresh = by_key(tracker.health.now(alliance, ada, clock.now()))["freshness"]
    assert fresh["status"] == "green" and "next review is due in 31 days" in fresh["explanation"]
    later = utc(2026, 5, 10, 9)  # due 2 April: 38 days overdue
    stale = by_key(tracker.health.now(alliance, ada, later))["freshness"]
    assert stale["status"] == "red" and "due for 38 days" in stale["explanation"]
    assert stale["value"] == 69


def test_a_rebuild_equals_the_live_view(tracker: Tracker, clock: SettableClock) -> None:
    scenario(tracker, clock)
    live = snapshot_views(tracker.store)
    assert rebuilt_copy(tracker) == live
    assert any(live["v_health_weeks"])


def test_a_rhythm_moving_the_weeks_west_keeps_the_state_in_the_latest_week(
    tracker: Tracker, clock: SettableClock
) -> None:
    """Monday 16 March 01:00 UTC is still Sunday in New York: once the rhythm moves the
    alliance's weeks there, a later report falls in the week before. Both reports stay open
    in the week the state was last written to."""
    ada, ben, alliance = ada_and_ben(tracker, clock)
    clock.set(utc(2026, 3, 16, 1))
    report = {"description": "A clash", "severity": "low", "occurred_at": "2026-03-16T00:00:00Z"}
    tracker.service.report_conflict(ada, alliance, report)
    schedule = {"rule": "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", "start": "2026-03-16T09:00"}
    rhythm = {"kind": "add", "category": "rhythm", "text": "Weekly", "schedule": schedule}
    rhythm["schedule"] = {**schedule, "zone": "America/New_York"}
    proposal = tracker.service.propose(ada, alliance, rhythm)["proposal_id"]
    tracker.service.accept_proposal(ben, alliance, proposal)
    tracker.service.report_conflict(ben, alliance, report)
    tracker.engine.run_once()
    clock.set(utc(2026, 3, 18, 12))
    assert by_key(tracker.health.now(alliance, ada, clock.now()))["conflicts"]["value"] == 2
