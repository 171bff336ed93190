"""Check-ins and rhythm schedules over the API: a schedule proposed with a rhythm term,
check-ins started, answered and read with their answers sealed until all have answered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
from dateutil.rrule import rrulestr
from flask.testing import FlaskClient

from shell.bootstrap import Tracker
from shell.scheduler import CheckInScheduler
from tests.builders import V1, ok, pair, problem, propose
from tracker.clock import SettableClock
from tracker.domain.rhythm import Rhythm
from tracker.domain.vocabulary import CHECKIN_QUESTIONS

RATINGS = {"relationship": 9, "goals": 8, "approach": 9, "overall": 8}


def test_a_rhythm_is_proposed_with_its_schedule_and_agreed_with_it(api: FlaskClient) -> None:
    ada, ben, alliance = pair(api)
    schedule = {
        "rule": "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9",
        "start": "2026-01-12T09:00",
        "zone": "Europe/London",
    }
    proposal = propose(
        api, ada, alliance, kind="add", category="rhythm", text="Mondays at nine", schedule=schedule
    )
    assert proposal["schedule"] == schedule, "what is proposed is what members accept"
    ok(api.post(f"{V1}/alliances/{alliance}/proposals/{proposal['id']}/acceptance", headers=ben))
    terms = ok(api.get(f"{V1}/alliances/{alliance}/agreement", headers=ben))["terms"]
    assert terms[0]["schedule"] == schedule

    wrong = api.post(
        f"{V1}/alliances/{alliance}/proposals",
        json={
            "kind": "add",
            "category": "rhythm",
            "text": "x",
            "schedule": {**schedule, "zone": "Mars/Base", "rule": "FREQ=SECONDLY"},
        },
        headers=ada,
    )
    fields = problem(wrong, 422)["errors"]
    assert set(fields) == {"schedule"} and "zone" in str(fields) and "rule" in str(fields)
    far = api.post(
        f"{V1}/alliances/{alliance}/proposals",
        json={
            "kind": "add",
            "category": "rhythm",
            "text": "x",
            "schedule": {**schedule, "start": "9999-12-31T23:00"},
        },
        headers=ada,
    )
    assert "within two years" in str(problem(far, 422)["errors"]["schedule"])
    not_rhythm = api.post(
        f"{V1}/alliances/{alliance}/proposals",
        json={"kind": "add", "category": "feel", "text": "x", "schedule": schedule},
        headers=ada,
    )
    assert "only a rhythm term" in problem(not_rhythm, 409)["detail"]


def test_answers_stay_sealed_until_every_member_has_answered(
    api: FlaskClient, clock: SettableClock
) -> None:
    ada, ben, alliance = pair(api)
    started = api.post(f"{V1}/alliances/{alliance}/checkins", headers=ada)
    checkin = ok(started, 201)
    assert started.headers["Location"].endswith(f"/checkins/{checkin['id']}")
    assert checkin["status"] == "open" and checkin["scheduled"] is False
    assert checkin["questions"] == [{"id": k, "text": t} for k, t in CHECKIN_QUESTIONS.items()]
    path = f"{V1}/alliances/{alliance}/checkins/{checkin['id']}"
    by_wording = {"answers": {CHECKIN_QUESTIONS["feel"]: "x"}, "ratings": RATINGS}
    refused = api.post(f"{path}/responses", json=by_wording, headers=ada)
    assert "not a question of this check-in" in str(problem(refused, 422)["errors"]["answers"])

    answers = {"feel": "Steady and warm"}
    mine = ok(
        api.post(f"{path}/responses", json={"answers": answers, "ratings": RATINGS}, headers=ada),
        201,
    )
    assert mine["sealed"] and [r["name"] for r in mine["responses"]] == ["Ada"]
    theirs = ok(api.get(path, headers=ben))
    assert theirs["sealed"] and theirs["responses"] == [], "Ben cannot read Ada's answers yet"
    assert [(m["name"], m["answered"]) for m in theirs["members"]] == [
        ("Ada", True),
        ("Ben", False),
    ]
    assert "Steady and warm" not in str(
        ok(api.get(f"{V1}/alliances/{alliance}/checkins", headers=ben))
    )

    again = api.post(f"{path}/responses", json={"answers": {}, "ratings": RATINGS}, headers=ada)
    assert "already answered" in problem(again, 409)["detail"]
    unknown = api.post(
        f"{path}/responses", json={"answers": {"Why?": "x"}, "ratings": RATINGS}, headers=ben
    )
    assert "answers" in problem(unknown, 422)["errors"]
    partial = api.post(f"{path}/responses", json={"ratings": {"relationship": 11}}, headers=ben)
    assert "ratings" in problem(partial, 422)["errors"]

    clock.advance(timedelta(minutes=5))
    done = ok(
        api.post(f"{path}/responses", json={"answers": {}, "ratings": RATINGS}, headers=ben), 201
    )
    assert done["status"] == "completed" and not done["sealed"]
    assert [r["name"] for r in done["responses"]] == ["Ada", "Ben"]
    assert ok(api.get(path, headers=ada))["responses"][0]["answers"] == answers
    listed = ok(api.get(f"{V1}/alliances/{alliance}/checkins?status=completed", headers=ada))
    assert [c["id"] for c in listed] == [checkin["id"]]
    assert ok(api.get(f"{V1}/alliances/{alliance}/checkins?status=open", headers=ada)) == []
    problem(api.get(f"{V1}/alliances/{alliance}/checkins?status=late", headers=ada), 422)
    problem(api.get(f"{V1}/alliances/{alliance}/checkins/{alliance}", headers=ada), 404)


def test_the_webhook_is_set_with_a_new_signing_key_each_time_and_removed(
    api: FlaskClient,
) -> None:
    ada, ben, alliance = pair(api)
    path = f"{V1}/alliances/{alliance}/webhook"
    first = ok(api.put(path, json={"url": "https://hooks.example/T1/B2"}, headers=ada))
    assert first["url"] == "https://hooks.example/T1/B2" and first["key_version"] == 1
    assert first["format"] == "json", "the tracker's own JSON unless another is chosen"
    teams = {"url": "https://hooks.example/T1/B2", "format": "teams"}
    second = ok(api.put(path, json=teams, headers=ben))
    assert second["key_version"] == 2 and second["signing_key"] != first["signing_key"]
    assert second["format"] == "teams"
    refused = problem(api.put(path, json={**teams, "format": "discord"}, headers=ada), 422)
    assert refused["errors"] == {"format": ["Must be one of: json, slack, teams."]}
    assert "url" in problem(api.put(path, json={"url": "ftp://x"}, headers=ada), 422)["errors"]
    assert "url" in problem(api.put(path, json={}, headers=ada), 422)["errors"]
    removed = ok(api.put(path, json={"url": None}, headers=ada))
    assert removed == {"url": None, "format": "json", "key_version": 3, "signing_key": None}


def test_the_inbox_holds_what_awaits_each_member_and_nothing_once_done(
    api: FlaskClient, tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben, alliance = pair(api)
    assert ok(api.get(f"{V1}/inbox", headers=ben)) == {
        "checkins": [],
        "proposals": [],
        "conflicts": [],
        "tending": [],
        "redesign_prompts": [],
        "commitments": [],
        "alerts": [],
    }
    proposal = propose(api, ada, alliance, kind="add", category="feel", text="Calm")
    checkin = ok(api.post(f"{V1}/alliances/{alliance}/checkins", headers=ada), 201)
    ok(
        api.post(
            f"{V1}/alliances/{alliance}/conflicts",
            json={
                "description": "Late again",
                "occurred_at": "2026-01-05T08:00:00Z",
                "severity": "low",
            },
            headers=ben,
        ),
        201,
    )
    ok(
        api.post(
            f"{V1}/alliances/{alliance}/tending", json={"message": "Let us talk"}, headers=ben
        ),
        201,
    )
    theirs = ok(api.get(f"{V1}/inbox", headers=ben))
    assert [p["proposal_id"] for p in theirs["proposals"]] == [proposal["id"]]
    assert [c["checkin_id"] for c in theirs["checkins"]] == [checkin["id"]]
    assert theirs["conflicts"] == [], "not their own report"
    mine = ok(api.get(f"{V1}/inbox", headers=ada))
    assert mine["proposals"] == [] and [c["description"] for c in mine["conflicts"]] == [
        "Late again"
    ]
    assert [t["message"] for t in mine["tending"]] == ["Let us talk"]
    assert mine["checkins"][0]["title"] == "Co-founders"

    cadence = ok(
        api.put(f"{V1}/alliances/{alliance}/review-cadence", json={"every_months": 1}, headers=ada)
    )
    assert cadence["review_every_months"] == 1 and cadence["review_due_at"].startswith("2026-02-05")
    problem(
        api.put(f"{V1}/alliances/{alliance}/review-cadence", json={"every_months": 0}, headers=ada),
        422,
    )
    clock.set(clock.now() + timedelta(days=32))
    assert CheckInScheduler.for_tracker(tracker).run_due().suggested
    tracker.engine.wait_for(tracker.app.recorder.max_notification_id() or 0)
    prompts = ok(api.get(f"{V1}/inbox", headers=ben))["redesign_prompts"]
    assert [p["reason"] for p in prompts] == [
        "the agreement is due for its review (every month)",
        "a call for tending has gone unanswered for a week",
    ]
    problem(api.get(f"{V1}/inbox"), 401)


def test_the_calendar_feed_parses_back_with_the_rule_zone_and_next_occurrences(
    api: FlaskClient,
) -> None:
    ada, ben, alliance = pair(api)
    schedule = {
        "rule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;BYHOUR=18;BYMINUTE=30",
        "start": "2026-02-24T18:30",
        "zone": "America/New_York",
    }
    proposal = propose(
        api,
        ada,
        alliance,
        kind="add",
        category="rhythm",
        text="Every other Tuesday",
        schedule=schedule,
    )
    ok(api.post(f"{V1}/alliances/{alliance}/proposals/{proposal['id']}/acceptance", headers=ben))
    ok(
        api.put(
            f"{V1}/alliances/{alliance}/design-conversation",
            json={"at": "2026-02-20T15:00:00Z"},
            headers=ada,
        )
    )
    feed = ok(api.get(f"{V1}/alliances/{alliance}/calendar-feed", headers=ben))
    assert feed["key_version"] == 1 and feed["url"].endswith(".ics")
    path = feed["url"].removeprefix("http://127.0.0.1:8000")
    answer = api.get(path)  # no token: the address is the credential
    assert answer.status_code == 200 and answer.mimetype == "text/calendar"

    parsed = icalendar.Calendar.from_ical(answer.data)
    events = {str(e["summary"]): e for e in parsed.walk("VEVENT")}
    rhythm = events["Check-in: Co-founders"]
    rule = rhythm["rrule"].to_ical().decode()
    assert set(rule.split(";")) == set(schedule["rule"].split(";")), "the rule as agreed"
    start = rhythm.decoded("dtstart")
    assert str(start.tzinfo) == "America/New_York" and start.hour == 18
    assert [str(tz["tzid"]) for tz in parsed.walk("VTIMEZONE")] == ["America/New_York"]
    occurrences = rrulestr(rhythm["rrule"].to_ical().decode(), dtstart=start)
    upcoming = [
        o.astimezone(UTC)
        for o in occurrences.between(
            datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
        )
    ]
    assert upcoming == Rhythm.from_record(schedule).between(
        datetime(2026, 2, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
    )
    assert events["Design conversation: Co-founders"].decoded("dtstart") == datetime(
        2026, 2, 20, 15, tzinfo=UTC
    )

    rotated = ok(api.post(f"{V1}/alliances/{alliance}/calendar-feed", headers=ben))
    assert rotated["key_version"] == 2 and rotated["url"] != feed["url"]
    assert api.get(path).status_code == 404, "the old address stops working"
    assert api.get(rotated["url"].removeprefix("http://127.0.0.1:8000")).status_code == 200
    assert api.get(path.replace(".ics", "0.ics")).status_code == 404
    mine = ok(api.get(f"{V1}/alliances/{alliance}/calendar-feed", headers=ada))
    assert mine["key_version"] == 1, "each member's feed is their own"


def test_instants_without_a_utc_form_are_refused_and_the_views_keep_going(
    api: FlaskClient,
) -> None:
    """Year 1 at +01:00 cannot be put in UTC: recorded, it stopped every view (a 503 for
    every write after it), which the property tests found."""
    ada, _, alliance = pair(api)
    ancient = {"description": "x", "occurred_at": "0001-01-01T00:01:00+01:00", "severity": "low"}
    answer = api.post(f"{V1}/alliances/{alliance}/conflicts", json=ancient, headers=ada)
    assert "occurred_at" in problem(answer, 422)["errors"]
    far = api.put(
        f"{V1}/alliances/{alliance}/design-conversation",
        json={"at": "9999-12-31T23:00:00-05:00"},
        headers=ada,
    )
    assert "at" in problem(far, 422)["errors"]
    asked = api.get(
        f"{V1}/alliances/{alliance}/agreement?as_of=0001-01-01T00:00:00%2B01:00", headers=ada
    )
    assert "as_of" in problem(asked, 422)["errors"]
    assert api.get(f"/alliances/{alliance}?as_of=0001-01-01T00:00:00%2B01:00").status_code in (
        302,
        422,
    )
    ok(
        api.post(
            f"{V1}/alliances/{alliance}/feedback",
            json={"text": "still here", "valence": "neutral"},
            headers=ada,
        ),
        201,
    )


def test_an_instant_s_year_is_bounded_as_the_document_states_in_bodies_and_queries(
    api: FlaskClient,
) -> None:
    ada, _, alliance = pair(api)
    for year in ("1900", "2199", "0001"):
        far = api.put(
            f"{V1}/alliances/{alliance}/design-conversation",
            json={"at": f"{year}-06-01T00:00:00Z"},
            headers=ada,
        )
        assert problem(far, 422)["errors"]["at"] == ["must have its year from 1901 to 2198"]
        asked = api.get(
            f"{V1}/alliances/{alliance}/agreement?as_of={year}-06-01T00:00:00Z", headers=ada
        )
        assert problem(asked, 422)["errors"]["as_of"] == ["must have its year from 1901 to 2198"]
    for year in ("1901", "2198"):
        ok(
            api.get(
                f"{V1}/alliances/{alliance}/agreement?as_of={year}-06-01T00:00:00Z", headers=ada
            )
        )
