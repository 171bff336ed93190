"""Times are shown in the viewer's own zone (their account's choice, else the alliance's),
with the zone named; a zone is chosen from the IANA zones, never typed."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.web.browsing import alliance_form, found, person, submit

pytestmark = pytest.mark.pages


def test_times_follow_the_alliance_s_zone_then_the_viewer_s_choice(app: Flask) -> None:
    ada = person(app, "Ada")
    alliance = found(ada)
    home = f"/alliances/{alliance}"
    plain = ada.get(f"{home}/settings").get_data(as_text=True)
    assert re.search(r"joined \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC", plain)
    assert "Times are in UTC, this alliance's zone." in plain

    rhythm = {"form": "answer-rhythm", "kind": "add", "category": "rhythm", "text": "Mondays"}
    rhythm |= {"every": "week", "day": "MO", "time": "09:00", "zone": "Europe/London"}
    rhythm |= {"first": "2026-07-06"}
    assert alliance_form(ada, alliance, "/proposals", rhythm, "design").status_code == 303
    summer = ada.get(home).get_data(as_text=True)
    assert "in force since" in summer and "Times are in Europe/London, this alliance" in summer
    assert re.search(r"in force since \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d (GMT|BST)", summer)

    chose = submit(ada, "/account/time-zone", {"zone": "America/New_York"}, page="/account")
    assert chose.status_code == 303 and chose.location.endswith("/account#zone")
    eastern = ada.get(home).get_data(as_text=True)
    assert re.search(r"in force since \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d E[SD]T", eastern)
    assert "Times are in America/New_York, your zone." in eastern
    assert "Times are in America/New_York" in ada.get("/inbox").get_data(as_text=True)

    back = submit(ada, "/account/time-zone", {"zone": ""}, page="/account")
    assert back.status_code == 303
    assert "this alliance" in ada.get(home).get_data(as_text=True)


def test_a_zone_nobody_has_is_refused_by_name_and_changes_nothing(app: Flask) -> None:
    ada = person(app, "Ada")
    tracker = app.extensions["tracker"]
    before = tracker.app.recorder.max_notification_id()
    refused = submit(ada, "/account/time-zone", {"zone": "Mars/Olympus_Mons"}, page="/account")
    said = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Must be an IANA time zone, like Europe/London." in said
    assert 'id="zone-problem"' in said
    assert tracker.app.recorder.max_notification_id() == before


def test_zone_fields_are_a_choice_of_iana_zones(app: Flask) -> None:
    ada = person(app, "Ada")
    alliance = found(ada)
    design = ada.get(f"/alliances/{alliance}/design").get_data(as_text=True)
    account = ada.get("/account").get_data(as_text=True)
    for shown, field in ((design, "stake-zone"), (design, "answer-rhythm-zone"), (account, "zone")):
        choice = re.search(rf'<select id="{field}" name="zone"[^>]*>(.*?)</select>', shown, re.S)
        assert choice, f"{field} is a choice"
        offered = re.findall(r"<option[^>]*>([^<]+)</option>", choice.group(1))
        assert {"UTC", "Europe/London", "America/New_York", "Asia/Kolkata"} <= set(offered)
        assert "US/Pacific" not in offered, "the database's old aliases are not offered"
    assert not re.search(r'<input id="[^"]*zone"', design + account), "no zone typed"
