"""Commitments in the pages: recorded from a check-in, the next check-in opening with them,
answered for there by their owner alone, and a due one waiting in the owner's inbox."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from shell.bootstrap import Tracker
from tests.web.browsing import alliance_form, found, invite_and_join, page, person
from tracker import ids
from tracker.clock import SettableClock

pytestmark = pytest.mark.pages

RATINGS = {"relationship": 8, "goals": 8, "approach": 8, "overall": 8}


def started(client: FlaskClient, alliance: UUID) -> str:
    response = alliance_form(client, alliance, "/checkins", {"form": "start"}, "checkins")
    assert response.status_code == 303
    checkin = re.search(
        r'<article class="card" id="checkin-([0-9a-f-]{36})"', page(client, alliance, "/checkins")
    )
    assert checkin
    return checkin[1]


def test_a_commitment_is_made_at_one_check_in_and_answered_for_at_the_next(
    app: Flask, tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    invite_and_join(ada, ben, alliance)
    first = started(ada, alliance)
    shown = page(ada, alliance, "/checkins")
    assert "Record a commitment" in shown and f'id="commit-{first}-what"' in shown
    form = {
        "form": f"commit-{first}",
        "source": "checkin",
        "source_id": first,
        "what": "Write up the hiring plan",
        "owner_id": str(ids.account_id("ben@example.org")),
        "due_on": (clock.now() + timedelta(days=2)).date().isoformat(),
        "term_id": "",
    }
    blank = alliance_form(ada, alliance, "/commitments", {**form, "what": " "}, "checkins")
    assert blank.status_code == 422
    assert f'id="commit-{first}-what-problem"' in blank.get_data(as_text=True)
    made = alliance_form(ada, alliance, "/commitments", form, "checkins")
    assert made.status_code == 303 and made.location.endswith(f"#checkin-{first}")
    assert "Commitment recorded, due Wed 7 Jan 2026." in page(ada, alliance, "/checkins")

    for member in ("ada@example.org", "ben@example.org"):
        tracker.service.respond_to_checkin(
            ids.account_id(member), alliance, UUID(first), {"answers": {}, "ratings": RATINGS}
        )
    clock.advance(timedelta(days=1))
    second = started(ada, alliance)
    for_ada = page(ada, alliance, "/checkins")
    assert "Commitments since the last check-in" in for_ada
    assert "Write up the hiring plan" in for_ada and "Ben answers for it here." in for_ada
    for_ben = page(ben, alliance, "/checkins")
    review = re.search(rf'id="commitment-{second}-([0-9a-f-]{{36}})"', for_ben)
    assert review and "How did it go?" in for_ben
    answer = {
        "form": f"review-{second}-{review[1]}",
        "checkin_id": second,
        "outcome": "carried_over",
    }
    unchosen = alliance_form(
        ben, alliance, f"/commitments/{review[1]}/review", {**answer, "outcome": ""}, "checkins"
    )
    assert unchosen.status_code == 422 and "Outcome: " in unchosen.get_data(as_text=True)
    action = f"/commitments/{review[1]}/review"
    undated = alliance_form(ben, alliance, action, {**answer, "carried_to": ""}, "checkins")
    assert undated.status_code == 422
    assert "A new date is needed to carry it over." in undated.get_data(as_text=True)
    later = (clock.now() + timedelta(days=7)).date().isoformat()
    carried = alliance_form(ben, alliance, action, {**answer, "carried_to": later}, "checkins")
    assert carried.location.endswith(f"#commitment-{second}-{review[1]}")
    said = "Carried over to Tue 13 Jan 2026 · answered 6 Jan 2026, 09:00 UTC."
    assert said in page(ada, alliance, "/checkins")

    clock.set(clock.now() + timedelta(days=7))
    waiting = ben.get("/inbox").get_data(as_text=True)
    assert "Your commitments due" in waiting and "Write up the hiring plan" in waiting
    assert "overdue" not in waiting, "due today, not yet overdue"
    assert "Your commitments due" not in ada.get("/inbox").get_data(as_text=True)

    # Once its owner has left, no check-in opens with it: nobody is left to answer for it.
    tracker.service.close_checkin(alliance, UUID(second))  # its week is over
    tracker.service.leave_alliance(ids.account_id("ben@example.org"), alliance)
    clock.advance(timedelta(hours=1))
    started(ada, alliance)
    assert "Commitments since the last check-in" not in page(ada, alliance, "/checkins")


def test_a_commitment_made_the_second_before_a_check_in_is_started_is_asked_about_there(
    app: Flask, tracker: Tracker, clock: SettableClock
) -> None:
    """A check-in started by hand has its slot cut to the second; what it opens with is
    judged by when it was opened, so a commitment of that same second is not left out."""
    ada = person(app, "Ada")
    alliance = found(ada)
    first = started(ada, alliance)
    tracker.service.respond_to_checkin(
        ids.account_id("ada@example.org"),
        alliance,
        UUID(first),
        {"answers": {}, "ratings": RATINGS},
    )
    clock.set(clock.now().replace(microsecond=200_000) + timedelta(hours=1))
    made = {
        "form": f"commit-{first}",
        "source": "checkin",
        "source_id": first,
        "what": "Book the offsite",
        "owner_id": str(ids.account_id("ada@example.org")),
        "due_on": clock.now().date().isoformat(),
        "term_id": "",
    }
    assert alliance_form(ada, alliance, "/commitments", made, "checkins").status_code == 303
    clock.advance(timedelta(microseconds=500_000))  # the same second
    second = started(ada, alliance)
    shown = page(ada, alliance, "/checkins")
    assert "Book the offsite" in shown and f'id="commitment-{second}-' in shown
