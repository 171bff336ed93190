"""Text is clean at the door, on every path: API bodies, forms and query parameters. A
refusal is a 422 naming the field, and nothing is recorded."""

from __future__ import annotations

import io
import json
import re

import pytest
from flask.testing import FlaskClient

from shell.bootstrap import Tracker
from tests.builders import V1, account, ok, pair, problem
from tests.web.browsing import sign_in, submit
from tracker import clean_text

NOT_TEXT = ["\x00", "\x07", "\x1b", "\r", "\x7f", "\x85", "\ud800"]
LINE_BREAKS = ["\n", "\r\n", "\u2028", "\u2029", "\x85", "\x0b"]


def test_a_note_that_is_not_text_is_refused_naming_the_field(
    api: FlaskClient, tracker: Tracker
) -> None:
    ada, _, alliance = pair(api)
    before = tracker.app.recorder.max_notification_id()
    for bad in NOT_TEXT:
        note = {"text": f"a{bad}b", "valence": "concern"}
        refused = problem(
            api.post(f"{V1}/alliances/{alliance}/feedback", json=note, headers=ada), 422
        )
        assert list(refused["errors"]) == ["text"], bad
        assert "U+" in refused["errors"]["text"][0]
    assert tracker.app.recorder.max_notification_id() == before, "nothing is recorded"


def test_a_lone_surrogate_sent_as_a_json_escape_is_refused(
    api: FlaskClient, tracker: Tracker
) -> None:
    ada, _, alliance = pair(api)
    raw = '{"text": "half \\ud83d of a face", "valence": "concern"}'
    refused = api.post(
        f"{V1}/alliances/{alliance}/feedback",
        data=raw,
        headers={**ada, "Content-Type": "application/json"},
    )
    assert "lone surrogate" in problem(refused, 422)["errors"]["text"][0]


def test_tab_and_line_feed_are_kept_and_cr_lf_becomes_lf(api: FlaskClient) -> None:
    ada, _, alliance = pair(api)
    base = f"{V1}/alliances/{alliance}/feedback"
    note = ok(
        api.post(base, json={"text": "one\r\ntwo\tthree", "valence": "neutral"}, headers=ada), 201
    )
    assert ok(api.get(f"{base}/{note['id']}", headers=ada))["text"] == "one\ntwo\tthree"


@pytest.mark.parametrize("field", ["title", "role"])
def test_a_single_line_field_refuses_every_line_break(api: FlaskClient, field: str) -> None:
    ada = account(api, "Ada")
    for brk in LINE_BREAKS + ["\t"]:
        founded = {"title": "Team", "purpose": "", "kind": "team", "role": "lead"}
        founded[field] = f"first{brk}second"
        refused = problem(api.post(f"{V1}/alliances", json=founded, headers=ada), 422)
        assert list(refused["errors"]) == [field], repr(brk)
    multi_line = {"title": "Team", "purpose": "line\nnext", "kind": "team", "role": "lead"}
    ok(api.post(f"{V1}/alliances", json=multi_line, headers=ada), 201)


def test_a_name_and_a_time_zone_are_one_line_and_bounded(api: FlaskClient) -> None:
    new = {
        "email": "nl@example.org",
        "name": "Ada\u2028Lovelace",
        "password": "x" * 4 + "Qz!9-pw-ok",
    }
    assert "name" in problem(api.post(f"{V1}/accounts", json=new), 422)["errors"]
    ada, _, alliance = pair(api)
    schedule = {"rule": "FREQ=WEEKLY", "start": "2026-05-04T09:00", "zone": "E" * 65}
    proposal = {"kind": "add", "category": "rhythm", "text": "Mondays", "schedule": schedule}
    refused = problem(
        api.post(f"{V1}/alliances/{alliance}/proposals", json=proposal, headers=ada), 422
    )
    assert "schedule" in refused["errors"] and "64" in json.dumps(refused["errors"])


def test_a_query_parameter_that_is_not_one_line_of_text_is_refused(api: FlaskClient) -> None:
    ada, _, alliance = pair(api)
    for bad in ("%00", "%0A", "%E2%80%A8"):
        refused = api.get(f"{V1}/alliances/{alliance}/feedback?valence=a{bad}", headers=ada)
        assert list(problem(refused, 422)["errors"]) == ["valence"]


def test_deep_nesting_is_a_bad_request_not_a_crash(api: FlaskClient) -> None:
    ada, _, alliance = pair(api)
    for depth in (40, 100_000):
        raw = '{"text": ' + "[" * depth + "]" * depth + ', "valence": "concern"}'
        answer = api.post(
            f"{V1}/alliances/{alliance}/feedback",
            data=raw,
            headers={**ada, "Content-Type": "application/json"},
        )
        assert "deep" in problem(answer, 400)["detail"]
        chunked = api.post(  # a body sent in chunks comes without a length
            f"{V1}/alliances/{alliance}/feedback",
            input_stream=io.BytesIO(raw.encode()),
            headers={**ada, "Content-Type": "application/json", "Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input_terminated": True},  # as servers mark a chunked body
        )
        assert "deep" in problem(chunked, 400)["detail"]


def test_a_post_whose_fields_are_all_optional_takes_an_empty_body(
    api: FlaskClient, tracker: Tracker
) -> None:
    ada, _, alliance = pair(api)
    answer = api.post(f"{V1}/alliances/{alliance}/tending", headers=ada)
    assert answer.status_code == 201, answer.get_data(as_text=True)
    needs_fields = api.post(f"{V1}/alliances/{alliance}/feedback", headers=ada)
    assert set(problem(needs_fields, 422)["errors"]) == {"text", "valence"}


def test_a_form_whose_back_holds_a_line_break_records_nothing(
    api: FlaskClient, tracker: Tracker
) -> None:
    _, _, alliance = pair(api)
    sign_in(api, "ada@example.org", "Ada designs alliances")
    page = api.get(f"/alliances/{alliance}/feedback").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    before = tracker.app.recorder.max_notification_id()
    form = {
        "csrf_token": token.group(1),
        "form": "feedback",
        "text": "a note",
        "valence": "neutral",
        "visibility": "shared",
        "back": f"/alliances/{alliance}\r\nSet-Cookie: x=y",
    }
    answer = api.post(f"/alliances/{alliance}/feedback", data=form)
    assert answer.status_code == 422 and "back" in answer.get_data(as_text=True)
    assert tracker.app.recorder.max_notification_id() == before


def test_a_stranger_is_told_404_before_the_body_is_read(api: FlaskClient) -> None:
    _, _, alliance = pair(api)
    eve = account(api, "Eve")
    note = {"text": "a\x00b", "valence": "concern"}
    problem(api.post(f"{V1}/alliances/{alliance}/feedback", json=note, headers=eve), 404)


def test_the_documented_space_is_what_trimming_removes() -> None:
    # A required text must hold more than spaces: the document's pattern and the server's
    # trimming must agree on what a space is (ECMA's \s holds U+FEFF, str.strip does not).
    trimmed = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    allowed_in_a_line = {c for c in trimmed if clean_text.fault(c, single_line=True) is None}
    space = re.compile(clean_text.SPACE)
    assert {chr(c) for c in range(0x110000) if space.fullmatch(chr(c))} == allowed_in_a_line
    not_blank = re.compile(clean_text.NOT_BLANK_LINE)
    for c in allowed_in_a_line | {"\ufeff"}:
        assert bool(not_blank.fullmatch(f" {c} ")) == bool(f" {c} ".strip()), hex(ord(c))


@pytest.mark.parametrize("email", ["\ud800@example.org", "a\x00b@example.org", "a\nb@x.org"])
def test_a_sign_in_whose_email_is_not_text_is_refused_before_any_limit_counts_it(
    api: FlaskClient, email: str
) -> None:
    """The sign-in limits are kept in the store under the email's name: one that is not
    text must be refused before it names a limit (a 500 on both stores before)."""
    answer = api.post(f"{V1}/tokens", json={"email": email, "password": "x"})
    assert list(problem(answer, 422)["errors"]) == ["email"]


@pytest.mark.parametrize("token", ["\ud800\x00", "t" * 1001, "two\nlines", 7])
def test_a_sign_up_s_invitation_token_is_checked_like_any_field(
    api: FlaskClient, tracker: Tracker, token: object
) -> None:
    new = {"email": "it@example.org", "name": "It", "password": "it signs up with care"}
    answer = api.post(f"{V1}/accounts", json={**new, "invitation": token})
    assert list(problem(answer, 422)["errors"]) == ["invitation"]
    assert tracker.app.recorder.max_notification_id() in (None, 0)


def test_a_form_s_zone_that_is_not_one_this_machine_knows_is_refused_by_name(
    api: FlaskClient, tracker: Tracker
) -> None:
    """ZoneInfo reads a name as a path: "Europe" is a folder, a long name too long a file."""
    _, _, alliance = pair(api)
    sign_in(api, "ada@example.org", "Ada designs alliances")
    before = tracker.app.recorder.max_notification_id()
    conflicts = f"/alliances/{alliance}/conflicts"
    for zone in ("Europe", "a" * 300, "../../etc/passwd"):
        form = {
            "form": "report",
            "description": "we talked past each other",
            "occurred_at": "2026-12-01T09:00",
            "zone": zone,
            "severity": "low",
        }
        answer = submit(api, conflicts, form, page=conflicts)
        assert answer.status_code == 422, zone
        assert "is not a time zone" in answer.get_data(as_text=True)
    assert tracker.app.recorder.max_notification_id() == before


@pytest.mark.parametrize("brk", ["\r\n", "\n", "\r", "\u2028"])
def test_a_sign_in_whose_next_holds_a_line_break_starts_no_session(
    api: FlaskClient, brk: str
) -> None:
    pair(api)
    form = {
        "email": "ada@example.org",
        "password": "Ada designs alliances",
        "next": f"/{brk}Set-Cookie: x=y",
    }
    answer = submit(api, "/signin", form)
    assert answer.status_code == 422 and "next" in answer.get_data(as_text=True)
    assert "Signed in as" not in api.get("/").get_data(as_text=True)
