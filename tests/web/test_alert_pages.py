"""Alerts in the pages: an alert raised from a check-in shown with its reason, a way to look
at its cause and its answers; acknowledged, snoozed and resolved by a member, each said to
the others; the rules with their grounds, switched off and moved within their bounds."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID

import pytest
from flask import Flask

from shell.bootstrap import Tracker
from shell.scheduler import CheckInScheduler
from tests.web.browsing import alliance_form, found, invite_and_join, page, person
from tracker import ids
from tracker.clock import SettableClock

pytestmark = pytest.mark.pages

HIGH = {"relationship": 10, "goals": 9, "approach": 10, "overall": 9}  # 38 of 40
LOW = {"relationship": 5, "goals": 6, "approach": 5, "overall": 6}  # 22 of 40


def low_rated(tracker: Tracker, clock: SettableClock, alliance: UUID) -> str:
    """A check-in Ada rates 38 and Ben 22; the scheduler's pass raises its alerts."""
    checkin = tracker.service.start_checkin_now(ids.account_id("ada@example.org"), alliance)
    for member, ratings in (("ada", HIGH), ("ben", LOW)):
        tracker.service.respond_to_checkin(
            ids.account_id(f"{member}@example.org"),
            alliance,
            checkin["checkin_id"],
            {"answers": {}, "ratings": ratings},
        )
    tracker.engine.wait_for(tracker.app.recorder.max_notification_id() or 0)
    CheckInScheduler.for_tracker(tracker).run_due(clock.now())
    tracker.engine.wait_for(tracker.app.recorder.max_notification_id() or 0)
    return str(checkin["checkin_id"])


def alert_ids(shown: str) -> list[str]:
    return re.findall(r'<li class="card status-[a-z_]+" id="alert-([0-9a-f-]{36})"', shown)


def alert_titled(shown: str, title: str) -> str:
    found = re.search(rf'id="alert-([0-9a-f-]{{36}})">\s*<h3><span[^>]*>\w+</span> {title}<', shown)
    assert found, title
    return found[1]


def test_an_alert_is_shown_with_its_reason_and_answered_by_either_member(
    app: Flask, tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    invite_and_join(ada, ben, alliance)
    assert "No open alerts." in page(ada, alliance, "/alerts")
    checkin = low_rated(tracker, clock, alliance)

    shown = page(ada, alliance, "/alerts")
    assert "Low session rating" in shown and "Ben rated the check-in of " in shown
    assert "Members see it differently" in shown and "16 points apart" in shown
    assert f'/alliances/{alliance}/checkins#checkin-{checkin}">Look at what made it fire' in shown
    assert "Open (2)" in shown
    inbox = ben.get("/inbox").get_data(as_text=True)
    assert "Ben rated the check-in of " in inbox and "Acknowledge, snooze or resolve" in inbox
    home = ada.get("/").get_data(as_text=True)
    assert "Alert: Low session rating" in home, "the queue says why the alliance is first"

    low = alert_titled(shown, "Low session rating")
    apart = alert_titled(shown, "Members see it differently")
    seen = alliance_form(ben, alliance, f"/alerts/{low}/acknowledgement", {"form": f"alert-{low}"},
                         "alerts")  # fmt: skip
    assert seen.status_code == 303 and seen.location.endswith(f"#alert-{low}")
    assert "seen by Ben" in page(ada, alliance, "/alerts")

    snooze = {"form": f"alert-{apart}", "until": "2020-01-01"}
    refused = alliance_form(ada, alliance, f"/alerts/{apart}/snooze", snooze, "alerts")
    assert refused.status_code == 422
    said = refused.get_data(as_text=True)
    assert f'id="alert-{apart}-until-problem"' in said and "from tomorrow to a year ahead" in said
    later = (clock.now() + timedelta(days=7)).date().isoformat()
    snoozed = alliance_form(
        ada, alliance, f"/alerts/{apart}/snooze", {**snooze, "until": later}, "alerts"
    )
    assert snoozed.status_code == 303
    shown = page(ben, alliance, "/alerts")
    assert "snoozed by Ada until" in shown
    assert "16 points apart" not in ben.get("/inbox").get_data(as_text=True)

    blank = alliance_form(ben, alliance, f"/alerts/{low}/resolution",
                          {"form": f"alert-{low}", "note": "  "}, "alerts")  # fmt: skip
    assert blank.status_code == 422
    assert f'id="alert-{low}-note-problem"' in blank.get_data(as_text=True)
    note = {"form": f"alert-{low}", "note": "We talked it through on Friday"}
    done = alliance_form(ben, alliance, f"/alerts/{low}/resolution", note, "alerts")
    assert done.status_code == 303
    shown = page(ada, alliance, "/alerts")
    assert "Resolved by Ben" in shown and "We talked it through on Friday" in shown
    assert alert_ids(shown) == [apart]
    again = alliance_form(ada, alliance, f"/alerts/{low}/resolution", note, "alerts")
    assert again.status_code == 409 and "resolved" in again.get_data(as_text=True)


def test_the_rules_are_shown_with_their_grounds_and_set_within_bounds(
    app: Flask, tracker: Tracker, clock: SettableClock
) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    invite_and_join(ada, ben, alliance)
    shown = page(ben, alliance, "/alerts")
    assert "A member&#39;s Session Rating Scale total at a check-in is 36 or less." in shown
    assert "clinical cut-off" in shown and "Threshold, points of 40 (10 to 39" in shown

    off = {"form": "rule-srs_low", "threshold": "36"}  # the box left clear: off
    assert alliance_form(ada, alliance, "/alert-rules/srs_low", off, "alerts").status_code == 303
    wide = {"form": "rule-divergence", "enabled": "yes", "threshold": "40"}
    refused = alliance_form(ada, alliance, "/alert-rules/divergence", wide, "alerts")
    assert refused.status_code == 422
    said = refused.get_data(as_text=True)
    assert 'id="rule-divergence-threshold-problem"' in said and "2 to 30 points" in said
    assert 'value="40"' in said, "what was typed is shown again"
    moved = alliance_form(ada, alliance, "/alert-rules/divergence", {**wide, "threshold": "20"},
                          "alerts")  # fmt: skip
    assert moved.status_code == 303
    shown = page(ben, alliance, "/alerts")
    assert "“Members see it differently” is on, at 20." in page(ada, alliance, "/alerts")
    assert "Last set by Ada" in shown and "are 20 points or more apart" in shown
    unknown = {"form": "rule-purple", "enabled": "yes", "threshold": "1"}
    assert alliance_form(ada, alliance, "/alert-rules/purple", unknown, "alerts").status_code == 404

    low_rated(tracker, clock, alliance)
    shown = page(ada, alliance, "/alerts")
    assert alert_ids(shown) == [], "low is off and a gap of 16 is under 20; a first has no drop"
    history = page(ada, alliance, "/timeline")
    assert "switched off the alert “Low session rating”" in history
