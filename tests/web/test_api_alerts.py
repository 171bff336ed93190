"""Alerts: each rule against figures worked out by hand, with its edges; raised once per cause
across passes, schedulers and a rebuild; answered by any member; rules set per alliance."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from shell.bootstrap import Tracker
from shell.scheduler import CheckInScheduler
from tests.builders import V1, ok, pair, problem
from tracker.clock import SettableClock
from tracker.domain import errors

HIGH = {"relationship": 10, "goals": 9, "approach": 10, "overall": 9}  # 38
LOW = {"relationship": 5, "goals": 6, "approach": 5, "overall": 6}  # 22
SAME_BUT_ONE = {"relationship": 10, "goals": 8, "approach": 10, "overall": 9}  # 37: goals -1


def checked_in(
    api: FlaskClient, clock: SettableClock, alliance: str, answers: list[tuple[Any, Any]]
) -> str:
    clock.advance(timedelta(days=1))
    who = answers[0][0]
    checkin: str = ok(api.post(f"{V1}/alliances/{alliance}/checkins", headers=who), 201)["id"]
    for member, ratings in answers:
        path = f"{V1}/alliances/{alliance}/checkins/{checkin}/responses"
        ok(api.post(path, json={"answers": {}, "ratings": ratings}, headers=member), 201)
    return checkin


def passed(tracker: Tracker, scheduler: CheckInScheduler | None = None) -> list[Any]:
    """One scheduler pass over views that hold everything recorded; the alerts it raised."""
    tracker.engine.wait_for(tracker.app.recorder.max_notification_id() or 0)
    scheduler = scheduler or CheckInScheduler.for_tracker(tracker)
    raised = scheduler.run_due().alerts
    tracker.engine.wait_for(tracker.app.recorder.max_notification_id() or 0)
    return raised


def alerts(api: FlaskClient, who: Any, alliance: str, **narrowed: str) -> list[Any]:
    path = f"{V1}/alliances/{alliance}/alerts"
    found: list[Any] = ok(api.get(path, query_string=narrowed, headers=who))["alerts"]
    return found


def by_rule(found: list[Any]) -> dict[str, Any]:
    return {alert["rule"]: alert for alert in found}


def test_a_drop_a_low_total_and_a_gap_each_raise_one_alert_with_their_numbers(
    api: FlaskClient, tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben, alliance = pair(api)
    first = checked_in(api, clock, alliance, [(ada, HIGH), (ben, HIGH)])
    assert passed(tracker) == [], "a first check-in has nothing to drop from; 38 is fine"
    second = checked_in(api, clock, alliance, [(ada, HIGH), (ben, LOW)])
    assert len(passed(tracker)) == 3
    found = by_rule(alerts(api, ada, alliance))
    assert set(found) == {"srs_low", "srs_drop", "divergence"}
    low = found["srs_low"]
    assert (low["numbers"]["total"], low["threshold"], low["evidence"]) == (22, 36, [second])
    assert low["summary"].startswith("Ben rated the check-in of ") and "22 of 40" in low["summary"]
    drop = found["srs_drop"]
    assert drop["numbers"]["dropped"] == {
        "relationship": [10, 5],
        "goals": [9, 6],
        "approach": [10, 5],
        "overall": [9, 6],
    }
    assert drop["evidence"] == [first, second]
    gap = found["divergence"]
    assert (gap["numbers"]["gap"], gap["threshold"]) == (16, 8)
    assert alerts(api, ben, alliance) == alerts(api, ada, alliance), "every member sees them"


def test_one_point_down_on_one_item_is_a_drop_and_equal_ratings_are_not(
    api: FlaskClient, tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben, alliance = pair(api)
    checked_in(api, clock, alliance, [(ada, HIGH), (ben, HIGH)])
    checked_in(api, clock, alliance, [(ada, HIGH), (ben, HIGH)])
    assert passed(tracker) == [], "equal ratings: no drop, no gap, nothing low"
    checked_in(api, clock, alliance, [(ada, HIGH), (ben, SAME_BUT_ONE)])
    ((_, rule, _),) = passed(tracker)
    assert rule == "srs_drop"
    (drop,) = alerts(api, ada, alliance)
    assert drop["numbers"]["dropped"] == {"goals": [9, 8]}
    assert "goals 9 to 8" in drop["summary"]


def test_a_silent_member_is_not_apart_and_a_sealed_answer_is_not_read(
    api: FlaskClient, tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben, alliance = pair(api)
    clock.advance(timedelta(days=1))
    checkin = ok(api.post(f"{V1}/alliances/{alliance}/checkins", headers=ada), 201)["id"]
    path = f"{V1}/alliances/{alliance}/checkins/{checkin}/responses"
    ok(api.post(path, json={"answers": {}, "ratings": LOW}, headers=ada), 201)
    assert passed(tracker) == [], "Ada's 22 is sealed while Ben has yet to answer"
    clock.advance(timedelta(days=8))  # the window closes: her answer is revealed, his never came
    # The pass that closes it, or the next once the views show it closed, raises it; once.
    assert [rule for _, rule, _ in passed(tracker) + passed(tracker)] == ["srs_low"]


def test_each_cause_raises_once_across_passes_schedulers_and_a_rebuild(
    api: FlaskClient, tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben, alliance = pair(api)
    checked_in(api, clock, alliance, [(ada, HIGH), (ben, HIGH)])
    checked_in(api, clock, alliance, [(ada, HIGH), (ben, LOW)])
    one, two = CheckInScheduler.for_tracker(tracker), CheckInScheduler.for_tracker(tracker)
    assert len(passed(tracker, one)) == 3
    assert passed(tracker, one) == [] and passed(tracker, two) == []
    tracker.engine.rebuild()
    assert passed(tracker, CheckInScheduler.for_tracker(tracker)) == []
    assert len(alerts(api, ada, alliance)) == 3
    # A second scheduler that read the views before the first raised: the store refuses it.
    late = CheckInScheduler.for_tracker(tracker)
    assert late.alerts is not None
    assert len(late.alerts.causes(clock.now())) == 3, "still met"
    assert late.alerts.unraised(clock.now()) == [], "and held by the views: not asked again"
    cause = late.alerts.causes(clock.now())[0]
    with pytest.raises(errors.AlreadyRaised):
        tracker.service.raise_alert(UUID(cause.alliance_id), **cause.recorded())
    assert len(alerts(api, ada, alliance)) == 3


def test_only_shared_feedback_counts_towards_few_appreciations(
    api: FlaskClient, tracker: Tracker
) -> None:
    ada, ben, alliance = pair(api)

    def note(who: Any, valence: str, visibility: str) -> None:
        logged = {"text": "How it went", "valence": valence, "visibility": visibility}
        ok(api.post(f"{V1}/alliances/{alliance}/feedback", json=logged, headers=who), 201)

    for _ in range(6):
        note(ben, "concern", "private")
    note(ada, "concern", "shared")
    note(ada, "concern", "shared")
    assert passed(tracker) == [], "two shared concerns are too few; private ones never count"
    note(ben, "appreciation", "shared")
    note(ben, "concern", "shared")
    ((_, rule, _),) = passed(tracker)
    assert rule == "positivity"
    (few,) = alerts(api, ben, alliance)
    assert few["numbers"] == {"appreciations": 1, "concerns": 3}
    assert "1 appreciations for 3 concerns" in few["summary"]


def test_a_conflict_left_open_and_a_commitment_past_its_day_raise_alerts(
    api: FlaskClient, tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben, alliance = pair(api)
    ben_id = ok(api.get(f"{V1}/me", headers=ben))["id"]
    reported = {
        "description": "The sessions keep moving",
        "severity": "medium",
        "occurred_at": clock.now().isoformat(),
    }
    conflict = ok(api.post(f"{V1}/alliances/{alliance}/conflicts", json=reported, headers=ben), 201)
    checkin = ok(api.post(f"{V1}/alliances/{alliance}/checkins", headers=ada), 201)["id"]
    made = {
        "what": "Send the plan",
        "owner_id": ben_id,
        "due_on": clock.now().date().isoformat(),
        "source": "checkin",
        "source_id": checkin,
    }
    ok(api.post(f"{V1}/alliances/{alliance}/commitments", json=made, headers=ada), 201)
    clock.advance(timedelta(days=13, hours=23))
    assert [rule for _, rule, _ in passed(tracker)] == ["commitment_overdue"], "13 days open"
    clock.advance(timedelta(hours=1))
    assert [rule for _, rule, _ in passed(tracker)] == ["conflict_open"]
    found = by_rule(alerts(api, ada, alliance))
    assert found["conflict_open"]["numbers"] == {"days_open": 14, "severity": "medium"}
    assert found["conflict_open"]["evidence"] == [conflict["id"]]
    assert found["commitment_overdue"]["numbers"]["days_overdue"] >= 1
    assert "Ben's commitment “Send the plan”" in found["commitment_overdue"]["summary"]


def test_members_switch_a_rule_off_or_move_its_threshold_within_bounds(
    api: FlaskClient, tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben, alliance = pair(api)
    rules = f"{V1}/alliances/{alliance}/alert-rules"
    listed = by_rule(ok(api.get(rules, headers=ben))["rules"])
    assert listed["srs_low"]["words"] == (
        "A member's Session Rating Scale total at a check-in is 36 or less."
    )
    assert "cut-off" in listed["srs_low"]["grounding"] and listed["srs_low"]["enabled"]
    ok(api.put(f"{rules}/srs_low", json={"enabled": False, "threshold": 36}, headers=ada))
    ok(api.put(f"{rules}/divergence", json={"enabled": True, "threshold": 20}, headers=ben))
    now = by_rule(ok(api.get(rules, headers=ada))["rules"])
    assert not now["srs_low"]["enabled"] and now["divergence"]["threshold"] == 20
    assert now["divergence"]["set_by_name"] == "Ben"
    refused = problem(api.put(f"{rules}/divergence", json={"enabled": True, "threshold": 1},
                              headers=ada), 422)  # fmt: skip
    assert refused["errors"]["threshold"] == ["must be from 2 to 30 points"]
    assert api.put(f"{rules}/purple", json={"enabled": True, "threshold": 1},
                   headers=ada).status_code == 404  # fmt: skip
    timeline = ok(api.get(f"{V1}/alliances/{alliance}/timeline", headers=ada))
    said = [entry["summary"] for entry in timeline["entries"]]
    assert "switched off the alert “Low session rating”" in said
    checked_in(api, clock, alliance, [(ada, HIGH), (ben, HIGH)])
    checked_in(api, clock, alliance, [(ada, HIGH), (ben, LOW)])
    assert [rule for _, rule, _ in passed(tracker)] == ["srs_drop"], "low: off; a gap of 16 < 20"


def test_any_member_acknowledges_snoozes_and_resolves_an_alert(
    api: FlaskClient, tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben, alliance = pair(api)
    off = {"enabled": False, "threshold": 8}
    ok(api.put(f"{V1}/alliances/{alliance}/alert-rules/divergence", json=off, headers=ada))
    checked_in(api, clock, alliance, [(ada, HIGH), (ben, LOW)])
    passed(tracker)
    (low,) = alerts(api, ada, alliance)
    one = f"{V1}/alliances/{alliance}/alerts/{low['alert_id']}"
    inbox = ok(api.get(f"{V1}/inbox", headers=ben))["alerts"]
    assert [a["alert_id"] for a in inbox] == [low["alert_id"]]
    place = ok(api.get(f"{V1}/attention", headers=ada))["alliances"][0]
    assert place["need"] == "red" and place["reasons"][0]["title"] == "Alert: Low session rating"
    seen = ok(api.post(f"{one}/acknowledgement", headers=ben))
    assert seen["acknowledged_by_name"] == "Ben" and seen["status"] == "open"
    tomorrow = (clock.now() + timedelta(days=1)).date().isoformat()
    assert "until" in problem(api.post(f"{one}/snooze", json={"until": "2020-01-01"},
                                       headers=ada), 422)["errors"]  # fmt: skip
    snoozed = ok(api.post(f"{one}/snooze", json={"until": tomorrow}, headers=ada))
    assert snoozed["snoozed"] and snoozed["snoozed_by_name"] == "Ada"
    assert ok(api.get(f"{V1}/inbox", headers=ben))["alerts"] == []
    assert ok(api.get(f"{V1}/attention", headers=ada))["alliances"][0]["alerts_snoozed"] == 1
    clock.advance(timedelta(days=1))
    assert len(ok(api.get(f"{V1}/inbox", headers=ben))["alerts"]) == 1, "back the next day"
    done = ok(api.post(f"{one}/resolution", json={"note": "We talked it through"}, headers=ada))
    assert (done["status"], done["resolution"], done["resolved_by_name"]) == (
        "resolved",
        "We talked it through",
        "Ada",
    )
    assert problem(api.post(f"{one}/resolution", json={"note": "again"}, headers=ada), 409)
    assert alerts(api, ada, alliance, status="open") == []
    assert ok(api.get(f"{V1}/inbox", headers=ben))["alerts"] == []
