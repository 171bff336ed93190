"""Designing an alliance together in the browser's pages: founding, the stake, invitations,
the guided conversation, the living agreement, redesigns and tending."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from shell.bootstrap import Tracker
from shell.demo import CLIENT_EMAIL, DEMO_PASSWORDS
from shell.scheduler import CheckInScheduler
from tests.web.browsing import (
    alliance_form,
    csrf_token,
    found,
    invite_and_join,
    page,
    person,
    sign_in,
    sign_in_as_client,
    sign_up,
    submit,
)
from tracker.clock import SettableClock

pytestmark = pytest.mark.pages


def answer(client: FlaskClient, alliance: UUID, category: str, text: str) -> None:
    form = {"form": f"answer-{category}", "kind": "add", "category": category, "text": text}
    response = alliance_form(client, alliance, "/proposals", form, "design")
    assert response.status_code == 303, response.get_data(as_text=True)


def proposal_ids(client: FlaskClient, alliance: UUID) -> list[str]:
    return re.findall(r'id="proposal-([0-9a-f-]{36})"', page(client, alliance))


def accept_all(client: FlaskClient, alliance: UUID) -> None:
    """Accept every proposal the page offers this member to accept."""
    acceptable = re.findall(r"/proposals/([0-9a-f-]{36})/acceptance", page(client, alliance))
    assert acceptable, "nothing to accept"
    for proposal in acceptable:
        response = alliance_form(
            client,
            alliance,
            f"/proposals/{proposal}/acceptance",
            {"form": f"proposal-{proposal}"},
            "agreement",
        )
        assert response.status_code == 303, response.get_data(as_text=True)


def test_two_people_design_an_alliance_and_see_version_1_then_an_amendment(app: Flask) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    design = page(ada, alliance, "/design")
    assert "How do you want this relationship to feel?" in design
    assert "“I” statements" in design and "start with the positives" in design

    stake = alliance_form(
        ada,
        alliance,
        "/design-conversation",
        {"form": "stake", "at": "2026-12-01T18:30", "zone": "Europe/Paris"},
        "design",
    )
    assert stake.status_code == 303
    invite_and_join(ada, ben, alliance)
    assert "1 Dec 2026, 17:30 UTC" in page(ben, alliance), "every member sees the stake"

    answer(ada, alliance, "feel", "I want this to feel calm and candid")
    answer(ben, alliance, "rhythm", "I need a weekly check-in on Mondays")
    agreement = page(ben, alliance)
    assert "awaiting Ben" in agreement and "Withdraw my proposal" in agreement
    accept_all(ben, alliance)
    accept_all(ada, alliance)
    agreement = page(ben, alliance)
    assert "agreement version 2" in agreement  # each adopted term is a version
    assert "<strong>Adopted</strong>: every member agreed to add the feel term" in agreement
    assert "None. A proposal is adopted" in agreement

    term = re.search(r'name="term_id" value="([0-9a-f-]{36})"', agreement)
    assert term
    amended = alliance_form(
        ada,
        alliance,
        "/proposals",
        {
            "form": f"amend-{term.group(1)}",
            "kind": "amend",
            "term_id": term.group(1),
            "based_on_version": "1",
            "text": "I want this to feel calm, candid and kind",
            "rationale": "kindness matters",
        },
        "agreement",
    )
    assert amended.status_code == 303
    accept_all(ben, alliance)
    history = ben.get(f"/alliances/{alliance}/terms/{term.group(1)}").get_data(as_text=True)
    assert "<ins>" in history and "kind" in history


def test_a_refused_form_keeps_what_was_typed_and_names_the_field(
    app: Flask, tracker: Tracker
) -> None:
    ada = person(app, "Ada")
    alliance = found(ada)
    before = tracker.app.recorder.max_notification_id()
    too_long = "I " + "x" * 4001
    response = alliance_form(
        ada,
        alliance,
        "/proposals",
        {"form": "answer-values", "kind": "add", "category": "values", "text": too_long},
        "design",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="answer-values-text-problem"' in html
    assert "Length must be between 1 and 4000." in html
    assert too_long in html, "what was typed comes back"
    zone = alliance_form(
        ada,
        alliance,
        "/design-conversation",
        {"form": "stake", "at": "2026-12-01T18:30", "zone": "Mars/Olympus"},
        "design",
    )
    assert zone.status_code == 422 and "is not a time zone" in zone.get_data(as_text=True)
    founding = submit(ada, "/alliances/new", {"title": "", "kind": "cult", "role": "me"})
    html = founding.get_data(as_text=True)
    assert (
        founding.status_code == 422 and 'id="kind-problem"' in html and 'id="title-problem"' in html
    )
    assert tracker.app.recorder.max_notification_id() == before


def test_a_broken_rule_is_said_on_the_page(app: Flask) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    invite_and_join(ada, ben, alliance)
    answer(ada, alliance, "feel", "I want calm")
    (proposal,) = proposal_ids(ada, alliance)
    response = alliance_form(
        ada,
        alliance,
        f"/proposals/{proposal}/decline",
        {"form": f"proposal-{proposal}", "reason": "no"},
        "agreement",
    )
    assert response.status_code == 409
    assert "withdraw your own proposal instead of declining" in response.get_data(as_text=True)
    declined = alliance_form(
        ben,
        alliance,
        f"/proposals/{proposal}/decline",
        {"form": f"proposal-{proposal}", "reason": "too vague"},
        "agreement",
    )
    assert declined.status_code == 303
    assert proposal_ids(ada, alliance) == []
    assert "<strong>Declined</strong> by Ben: “too vague”" in page(ada, alliance)
    assert ada.get(f"/alliances/{alliance}/timeline?before={2**63}").status_code == 422
    timeline = page(ada, alliance, "/timeline")
    assert "declined a proposal: “too vague”" in timeline


def test_a_redesign_shows_what_changed_and_answers_the_call_for_tending(app: Flask) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    invite_and_join(ada, ben, alliance)
    answer(ada, alliance, "feel", "I want calm")
    accept_all(ben, alliance)
    raised = alliance_form(
        ben, alliance, "/tending", {"form": "tending", "message": "we drifted"}, "redesigns"
    )
    assert raised.status_code == 303
    assert "Ben said this alliance needs tending: “we drifted”" in page(ada, alliance)
    opened = alliance_form(
        ada, alliance, "/redesigns", {"form": "redesign", "reason": "we drifted"}, "redesigns"
    )
    assert opened.status_code == 303
    assert "needs tending: “we drifted”" not in page(ben, alliance)
    term = re.search(r'name="term_id" value="([0-9a-f-]{36})"', page(ben, alliance))
    assert term
    alliance_form(
        ben,
        alliance,
        "/proposals",
        {
            "form": f"amend-{term.group(1)}",
            "kind": "amend",
            "term_id": term.group(1),
            "based_on_version": "1",
            "text": "I want calm and warmth",
        },
        "agreement",
    )
    early = alliance_form(
        ada, alliance, "/redesigns/current/conclusion", {"form": "conclude"}, "redesigns"
    )
    assert early.status_code == 409 and "settle the redesign" in early.get_data(as_text=True)
    accept_all(ada, alliance)
    concluded = alliance_form(
        ada,
        alliance,
        "/redesigns/current/conclusion",
        {"form": "conclude", "summary": "warmer"},
        "redesigns",
    )
    assert concluded.status_code == 303
    redesigns = page(ben, alliance, "/redesigns")
    assert "agreement version 1 → 2" in redesigns and "<ins>and warmth</ins>" in redesigns
    assert "answered by Ada, opening a redesign" in redesigns


def test_a_reply_answers_a_call_for_tending(app: Flask) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    invite_and_join(ada, ben, alliance)
    alliance_form(ben, alliance, "/tending", {"form": "tending"}, "redesigns")
    assert "needs tending" in page(ada, alliance), "the home says so"
    signal = re.search(r"/tending/([0-9a-f-]{36})/reply", page(ada, alliance, "/redesigns"))
    assert signal
    replied = alliance_form(
        ada,
        alliance,
        f"/tending/{signal.group(1)}/reply",
        {"form": f"reply-{signal.group(1)}", "reply": "Coffee on Friday?"},
        "agreement",
    )
    assert replied.status_code == 303
    assert "Nobody has said so" in page(ben, alliance, "/redesigns")
    assert "“Coffee on Friday?”" in page(ben, alliance, "/redesigns")


def test_an_invitation_link_admits_only_its_addressee_and_only_unaltered(app: Flask) -> None:
    ada, ben, eve = person(app, "Ada"), person(app, "Ben"), person(app, "Eve")
    alliance = found(ada)
    alliance_form(
        ada,
        alliance,
        "/invitations",
        {"form": "invite", "email": "BEN@example.org ", "role": "co-founder"},
        "design",
    )
    link = re.search(r"http://127.0.0.1:8000(/invitations/[^<\s]+)", page(ada, alliance, "/design"))
    assert link
    anonymous = app.test_client().get(link.group(1)).get_data(as_text=True)
    assert "Create an account</a> with ben@example.org" in anonymous
    refused = submit(eve, link.group(1), {"agreed_version": "0"})
    assert refused.status_code == 409
    assert "sent to another address" in refused.get_data(as_text=True)
    assert eve.get(f"/alliances/{alliance}").status_code == 404
    forged = link.group(1)[:-3] + ("aaa" if not link.group(1).endswith("aaa") else "bbb")
    assert ben.get(forged).status_code == 404
    answer(ada, alliance, "feel", "I want calm")  # adopted at once: Ada is the only member
    stale = submit(ben, link.group(1), {"agreed_version": "0"})
    assert stale.status_code == 409 and "read it again" in stale.get_data(as_text=True)
    joined = submit(ben, link.group(1), {"agreed_version": "1"})
    assert joined.status_code == 303
    assert "<li>Ben (you) <span" in page(ben, alliance, "/settings")
    assert "joined as co-founder, agreeing to the agreement as of version 1" in page(
        ben, alliance, "/timeline"
    )


def test_an_invitee_without_an_account_signs_up_and_comes_back(app: Flask) -> None:
    ada = person(app, "Ada")
    alliance = found(ada)
    alliance_form(
        ada,
        alliance,
        "/invitations",
        {"form": "invite", "email": "ben@example.org", "role": "x"},
        "design",
    )
    link = re.search(r"http://127.0.0.1:8000(/invitations/[^<\s]+)", page(ada, alliance, "/design"))
    assert link
    ben = app.test_client()
    landed = sign_up(ben, "Ben", "ben@example.org", next_page=link.group(1))
    assert landed.location == link.group(1)


FORM_ACTIONS = [
    "/design-conversation",
    "/proposals",
    "/invitations",
    "/redesigns",
    "/redesigns/current/conclusion",
    "/tending",
    f"/tending/{UUID(int=1)}/reply",
    "/proposals/acceptance",
    f"/proposals/{UUID(int=1)}/acceptance",
    f"/proposals/{UUID(int=1)}/decline",
    f"/proposals/{UUID(int=1)}/withdrawal",
    "/feedback",
    f"/feedback/{UUID(int=1)}/replies",
    f"/feedback/{UUID(int=1)}/sharing",
    f"/feedback/{UUID(int=1)}/retraction",
    "/conflicts",
    f"/conflicts/{UUID(int=1)}/acknowledgement",
    f"/conflicts/{UUID(int=1)}/resolution",
    f"/conflicts/{UUID(int=1)}/reopening",
    "/checkins",
    f"/checkins/{UUID(int=1)}/responses",
    "/webhook",
    "/checkin-mail",
    "/review-cadence",
    "/calendar-feed",
    "/commitments",
    f"/commitments/{UUID(int=1)}/review",
    f"/alerts/{UUID(int=1)}/acknowledgement",
    f"/alerts/{UUID(int=1)}/snooze",
    f"/alerts/{UUID(int=1)}/resolution",
    "/alert-rules/srs_low",
]


def test_every_form_action_of_an_alliance_is_in_the_stranger_test(app: Flask) -> None:
    routes = {
        re.sub(r"<uuid:[a-z_]+>", "ID", rule.rule).replace("<rule>", "srs_low")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/alliances/<uuid:alliance_id>/") and "POST" in (rule.methods or ())
    }
    listed = {"/alliances/ID" + re.sub(r"[0-9a-f-]{36}", "ID", action) for action in FORM_ACTIONS}
    assert routes <= listed | {"/alliances/ID/redesigns/current/conclusion"}, routes - listed


def test_a_stranger_gets_404_and_the_anonymous_are_sent_to_sign_in(
    app: Flask, tracker: Tracker, demo: UUID
) -> None:
    stranger = person(app, "Eve")
    token = csrf_token(stranger, "/account")
    anonymous = app.test_client()
    anonymous_token = csrf_token(anonymous, "/signin")
    before = tracker.app.recorder.max_notification_id()
    for action in FORM_ACTIONS:
        response = stranger.post(
            f"/alliances/{demo}{action}",
            data={
                "csrf_token": token,
                "reason": "x",
                "text": "x",
                "kind": "add",
                "category": "feel",
            },
        )
        assert response.status_code == 404, action
        missing = stranger.post(f"/alliances/{UUID(int=7)}{action}", data={"csrf_token": token})
        assert missing.status_code == 404, action
        response = anonymous.post(
            f"/alliances/{demo}{action}", data={"csrf_token": anonymous_token}
        )
        assert response.status_code == 302 and response.location.startswith("/signin?next="), action
        assert tracker.app.recorder.max_notification_id() == before, action


def test_member_pages_are_404_to_strangers(app: Flask, demo: UUID) -> None:
    stranger = person(app, "Eve")
    member = app.test_client()
    sign_in_as_client(member)
    for view in ["/design", "/redesigns", "/feedback", "/conflicts", ""]:
        assert stranger.get(f"/alliances/{demo}{view}").status_code == 404, view
        assert member.get(f"/alliances/{demo}{view}").status_code == 200, view


def test_demo_members_see_their_redesign_with_its_changes(app: Flask, demo: UUID) -> None:
    member = app.test_client()
    sign_in(member, CLIENT_EMAIL, DEMO_PASSWORDS[CLIENT_EMAIL])
    redesigns = page(member, demo, "/redesigns")
    assert "Redesign of" in redesigns and "→" in redesigns


def log_note(client: FlaskClient, alliance: UUID, **fields: str) -> TestResponse:
    form = {"form": "log", "valence": "appreciation", "visibility": "shared", **fields}
    return alliance_form(client, alliance, "/feedback", form, "feedback")


def test_feedback_in_one_form_private_to_its_author_with_a_thread(
    app: Flask, clock: SettableClock
) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    invite_and_join(ada, ben, alliance)
    assert log_note(ada, alliance, text="Thanks for Monday").status_code == 303
    clock.advance(timedelta(minutes=1))
    logged = log_note(ada, alliance, text="I felt unheard", valence="concern", visibility="private")
    assert logged.status_code == 303 and logged.location.endswith("/feedback#notes")
    mine = page(ada, alliance, "/feedback")
    assert "I felt unheard" in mine and "private: yours alone" in mine
    theirs = page(ben, alliance, "/feedback")
    assert "Thanks for Monday" in theirs and "I felt unheard" not in theirs

    note = re.search(r'id="note-([0-9a-f-]{36})"', theirs)
    assert note
    replied = alliance_form(
        ben,
        alliance,
        f"/feedback/{note.group(1)}/replies",
        {"form": f"note-{note.group(1)}", "text": "Glad it helped"},
        "feedback",
    )
    assert replied.status_code == 303
    assert "Ben: Glad it helped" in page(ada, alliance, "/feedback")
    empty = log_note(ben, alliance, text="  ")
    assert empty.status_code == 422 and 'id="log-text-problem"' in empty.get_data(as_text=True)

    concerns = ada.get(f"/alliances/{alliance}/feedback?valence=concern").get_data(as_text=True)
    assert "I felt unheard" in concerns and "Thanks for Monday" not in concerns
    private = re.search(r'id="note-([0-9a-f-]{36})"', concerns)
    assert private
    shared = alliance_form(
        ada,
        alliance,
        f"/feedback/{private.group(1)}/sharing",
        {"form": f"note-{private.group(1)}"},
        "feedback",
    )
    assert shared.status_code == 303 and "I felt unheard" in page(ben, alliance, "/feedback")
    retracted = alliance_form(
        ada,
        alliance,
        f"/feedback/{private.group(1)}/retraction",
        {"form": f"note-{private.group(1)}"},
        "feedback",
    )
    assert retracted.status_code == 303 and "I felt unheard" not in page(ben, alliance, "/feedback")


def test_a_note_is_logged_from_any_alliance_page_and_brings_its_author_back(app: Flask) -> None:
    ada = person(app, "Ada")
    alliance = found(ada)
    answer(ada, alliance, "communication", "We say the hard thing within a day")  # adopted: alone
    views = ["", "?as_of=2100-01-01", "/design", "/conflicts", "/redesigns", "/history"]
    views.append("/timeline")
    for number, view in enumerate(views):
        address = f"/alliances/{alliance}{view}"
        shown = ada.get(address).get_data(as_text=True)
        quick = re.search(r'<details class="quick-note">(.*?)</details>', shown, re.S)
        assert quick, f"no log-a-note form on {address}"
        assert f'name="back" value="{address}"' in quick.group(1)
        term = re.search(r'<option value="([0-9a-f-]{36})">Communication', quick.group(1))
        assert term, f"the terms in force are offered on {address}"
        form = {"form": "log", "back": address, "visibility": "shared"}
        logged = submit(
            ada,
            f"/alliances/{alliance}/feedback",
            {**form, "text": f"Kind words {number}", "valence": "appreciation", "term_id": term[1]},
            page=address,
        )
        assert logged.status_code == 303 and logged.location == address
        assert "Your note is logged." in ada.get(address).get_data(as_text=True)
        assert f"Kind words {number}" in page(ada, alliance, "/feedback")

    refused = submit(
        ada,
        f"/alliances/{alliance}/feedback",
        {**form, "text": "", "valence": "appreciation"},
        page=f"/alliances/{alliance}/timeline",
    )
    again = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="log-text-problem"' in again
    assert "quick-note" not in again, "the feedback page shows its own, longer form"


@pytest.mark.parametrize("back", ["https://elsewhere.example/", "//elsewhere.example/", "/"])
def test_the_log_a_note_form_returns_only_to_its_own_alliance(app: Flask, back: str) -> None:
    ada = person(app, "Ada")
    alliance = found(ada)
    form = {"form": "log", "back": back, "text": "Fine", "valence": "neutral"}
    logged = alliance_form(ada, alliance, "/feedback", {**form, "visibility": "shared"}, "feedback")
    assert logged.location == f"/alliances/{alliance}/feedback#notes"


def test_the_feedback_page_goes_back_a_page_at_a_time(app: Flask, clock: SettableClock) -> None:
    ada = person(app, "Ada")
    alliance = found(ada)
    for number in range(30):
        clock.advance(timedelta(minutes=1))
        log_note(ada, alliance, text=f"Note number {number:02d}", valence="neutral")
    first = page(ada, alliance, "/feedback?valence=neutral")
    older = re.search(r'href="([^"]+)">Older notes', first)
    assert older and "Note number 29" in first and "Note number 04" not in first
    second = ada.get(older.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert (
        "Note number 04" in second and "Note number 00" in second and "Note number 05" not in second
    )
    assert "Older notes" not in second and "valence=neutral" in older.group(1)
    assert ada.get(f"/alliances/{alliance}/feedback?cursor=zzz").status_code == 422


def test_a_conflict_is_reported_acknowledged_resolved_and_cites_its_wording(app: Flask) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    invite_and_join(ada, ben, alliance)
    answer(ada, alliance, "time", "I answer within a day")
    accept_all(ben, alliance)
    term = re.search(r'name="term_id" value="([0-9a-f-]{36})"', page(ben, alliance))
    assert term
    report = {
        "form": "report",
        "description": "Three days of silence",
        "occurred_at": "2026-11-20T09:00",
        "zone": "Europe/Paris",
        "severity": "high",
        "term_id": term.group(1),
    }
    reported = alliance_form(ben, alliance, "/conflicts", report, "conflicts")
    assert reported.status_code == 303
    listed = page(ada, alliance, "/conflicts")
    assert "as it read in version 1: “I answer within a day”" in listed
    assert "about 20 Nov 2026, 08:00 UTC" in listed
    assert "A candidate for redesign: 1 open conflict" in page(ada, alliance)
    conflict = re.search(r'id="conflict-([0-9a-f-]{36})"', listed)
    assert conflict
    own = alliance_form(
        ben,
        alliance,
        f"/conflicts/{conflict.group(1)}/acknowledgement",
        {"form": f"conflict-{conflict.group(1)}"},
        "conflicts",
    )
    assert own.status_code == 409
    acknowledged = alliance_form(
        ada,
        alliance,
        f"/conflicts/{conflict.group(1)}/acknowledgement",
        {"form": f"conflict-{conflict.group(1)}", "note": "I hear you"},
        "conflicts",
    )
    assert acknowledged.status_code == 303
    resolved = alliance_form(
        ada,
        alliance,
        f"/conflicts/{conflict.group(1)}/resolution",
        {
            "form": f"conflict-{conflict.group(1)}",
            "resolution": "Two days, said aloud",
            "outcome": "resolved",
        },
        "conflicts",
    )
    assert resolved.status_code == 303
    assert "Resolved" in page(ben, alliance, "/conflicts?status=resolved")
    history = page(ben, alliance, f"/terms/{term.group(1)}")
    assert "Three days of silence" in history
    missing = alliance_form(
        ben, alliance, "/conflicts", {"form": "report", "severity": "odd"}, "conflicts"
    )
    html = missing.get_data(as_text=True)
    assert missing.status_code == 422 and 'id="report-description-problem"' in html


def test_a_rhythm_picked_on_the_page_prompts_check_ins_answered_on_the_page(
    app: Flask, tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    invite_and_join(ada, ben, alliance)
    form = {
        "form": "answer-rhythm",
        "kind": "add",
        "category": "rhythm",
        "text": "We check in weekly",
    }
    picked = {
        "every": "week",
        "day": "MO",
        "time": "09:00",
        "zone": "Europe/London",
        "first": "2026-01-12",
    }
    wrong = alliance_form(
        ada, alliance, "/proposals", {**form, **picked, "zone": "Moon/Base", "time": "9"}, "design"
    )
    shown = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and 'id="answer-rhythm-zone-problem"' in shown
    assert 'id="answer-rhythm-time-problem"' in shown and "Moon/Base" in shown
    assert (
        alliance_form(ada, alliance, "/proposals", {**form, **picked}, "design").status_code == 303
    )
    accept_all(ben, alliance)
    assert "Check-ins every week on Monday at 09:00, Europe/London." in page(ben, alliance)

    clock.set(datetime(2026, 1, 12, 9, 0, 30, tzinfo=UTC))
    assert CheckInScheduler.for_tracker(tracker).run_due().prompted
    tracker.engine.wait_for(tracker.app.recorder.max_notification_id() or 0)
    open_one = page(ben, alliance, "/checkins")
    checkin = re.search(r'id="checkin-([0-9a-f-]{36})"', open_one)
    assert checkin and "Due 12 Jan 2026, 09:00 GMT" in open_one
    answer_form = {
        "form": f"checkin-{checkin[1]}",
        "question": "feel",
        "answer-0": "Calm",
    }
    ratings = {"relationship": "9", "goals": "8", "approach": "9", "overall": "8"}
    odd = alliance_form(
        ben,
        alliance,
        f"/checkins/{checkin[1]}/responses",
        {**answer_form, **ratings, "goals": "\u00b2", "overall": "9" * 5000},
        "checkins",
    )
    assert odd.status_code == 422, "digits that are not ASCII are refused, not a 500"
    bad = alliance_form(
        ben,
        alliance,
        f"/checkins/{checkin[1]}/responses",
        {**answer_form, **ratings, "goals": "eleven"},
        "checkins",
    )
    refused = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Rate each of the four below, 0 to 10." in refused
    assert re.search(r'id="[^"]*-goals-problem">Choose one of 0 to 10.</p>', refused)
    sent = alliance_form(
        ben, alliance, f"/checkins/{checkin[1]}/responses", {**answer_form, **ratings}, "checkins"
    )
    assert sent.status_code == 303 and sent.location.endswith(f"#checkin-{checkin[1]}")
    assert "Calm" not in page(ada, alliance, "/checkins"), "sealed until Ada answers too"
    assert "waiting for Ada</p>" in page(ada, alliance, "/checkins"), "Ben has answered"
    alliance_form(
        ada,
        alliance,
        f"/checkins/{checkin[1]}/responses",
        {"form": f"checkin-{checkin[1]}", **ratings},
        "checkins",
    )
    revealed = page(ada, alliance, "/checkins")
    assert "Calm" in revealed and "everyone answered" in revealed and "total 34/40" in revealed
    started = alliance_form(ada, alliance, "/checkins", {"form": "start"}, "checkins")
    assert started.status_code == 303 and "Started" in page(ada, alliance, "/checkins")


def test_members_choose_where_prompts_go_and_see_what_was_delivered(app: Flask) -> None:
    ada = person(app, "Ada")
    alliance = found(ada)
    assert "Mail me when a check-in is due, in every alliance: <strong>on</strong>" in page(
        ada, alliance, "/settings"
    )
    turned = alliance_form(
        ada, alliance, "/checkin-mail", {"form": "mail", "enabled": "no"}, "settings"
    )
    assert turned.status_code == 303
    assert "in every alliance: <strong>off</strong>" in page(ada, alliance, "/settings")
    wrong = alliance_form(
        ada, alliance, "/webhook", {"form": "webhook", "url": "not a url"}, "settings"
    )
    assert wrong.status_code == 422 and 'id="webhook-url-problem"' in wrong.get_data(as_text=True)
    to_teams = {"form": "webhook", "url": "https://hooks.example/x", "format": "teams"}
    alliance_form(ada, alliance, "/webhook", to_teams, "settings")
    shown = page(ada, alliance, "/settings")
    assert 'value="https://hooks.example/x"' in shown and "with the key <code" in shown
    assert '<option value="teams" selected>Microsoft Teams' in shown
    wrong = alliance_form(ada, alliance, "/webhook", {**to_teams, "format": "irc"}, "settings")
    assert wrong.status_code == 422 and 'id="webhook-format-problem"' in wrong.get_data(
        as_text=True
    )
    alliance_form(ada, alliance, "/webhook", {"form": "webhook", "url": ""}, "settings")
    assert "with the key <code" not in page(ada, alliance, "/settings")
    feed = re.search(
        r'id="calendar-address" type="text" readonly value="(http://[^"]+\.ics)"',
        page(ada, alliance, "/settings"),
    )
    assert (
        feed
        and app.test_client().get(feed[1].removeprefix("http://127.0.0.1:8000")).status_code == 200
    )
    alliance_form(ada, alliance, "/calendar-feed", {"form": "calendar"}, "settings")
    assert feed[1] not in page(ada, alliance, "/settings"), "a new address"


def test_the_inbox_page_and_the_review_cadence(app: Flask) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    invite_and_join(ada, ben, alliance)
    assert "Nothing awaits you" in ben.get("/inbox").get_data(as_text=True)
    answer(ada, alliance, "feel", "I want it calm")
    waiting = ben.get("/inbox").get_data(as_text=True)
    assert "Proposals awaiting your acceptance" in waiting and "I want it calm" in waiting
    wrong = alliance_form(
        ada, alliance, "/review-cadence", {"form": "cadence", "every_months": "99"}, "settings"
    )
    assert wrong.status_code == 422 and 'id="cadence-every_months-problem"' in wrong.get_data(
        as_text=True
    )
    set_to = alliance_form(
        ada, alliance, "/review-cadence", {"form": "cadence", "every_months": "3"}, "settings"
    )
    assert set_to.status_code == 303 and "Next review due 5 Apr 2026" in page(
        ada, alliance, "/settings"
    )
    alliance_form(
        ada, alliance, "/review-cadence", {"form": "cadence", "every_months": ""}, "settings"
    )
    assert "No review on a calendar" in page(ada, alliance, "/settings")
    assert app.test_client().get("/inbox").status_code == 302
