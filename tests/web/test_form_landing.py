"""After a form, the page it was sent from comes back at the place the person acted on (an id
that is on the page), and says what happened."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.browsing import csrf_token, found, invite_and_join, person

pytestmark = pytest.mark.pages


def _sent_from_page(
    client: FlaskClient,
    shown: str,
    action: str,
    data: dict[str, str],
    nth: int = 0,
    holding: str = "",
) -> tuple[str, str]:
    """Post the form whose action ends with ``action`` (the ``nth`` of them, of those that
    hold ``holding``) as the page at ``shown`` holds it (its hidden fields as written there);
    the page come back to, with its place, and its text."""
    page = client.get(shown).get_data(as_text=True)
    forms = re.findall(r'<form method="post"[^>]*? action="([^"]*)"[^>]*>(.*?)</form>', page, re.S)
    held = [
        (to, body) for to, body in forms if html.unescape(to).endswith(action) and holding in body
    ]
    assert len(held) > nth, f"no form to {action} on {shown}"
    to, body = held[nth]
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', body))
    hidden = {name: html.unescape(value) for name, value in hidden.items()}
    response = client.post(html.unescape(to), data={**hidden, **data})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    location = response.location
    address, _, place = location.partition("#")
    landed = client.get(address).get_data(as_text=True)
    assert place, f"{action} from {shown} comes back to no place on the page"
    assert f'id="{place}"' in landed, f"{action} from {shown}: no #{place} on {address}"
    return location, html.unescape(landed)


def test_each_form_comes_back_to_its_place_and_says_what_happened(app: Flask) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    home = f"/alliances/{alliance}"

    _, said = _sent_from_page(
        ada, f"{home}/design", "/design-conversation", {"at": "2026-02-02T10:00", "zone": "UTC"}
    )
    assert "The stake is planted" in said
    invite_and_join(ada, ben, alliance)
    _, said = _sent_from_page(
        ada, f"{home}/design", "/invitations", {"email": "cy@example.org", "role": "peer"}
    )
    assert "Invitation made: pass its link below to cy@example.org." in said

    location, said = _sent_from_page(
        ada, f"{home}/design", "/proposals", {"text": "I want calm weeks"}, nth=0
    )
    assert location.endswith("#prompt-feel")
    assert "Proposed. It is adopted once Ben accepts it; it waits in their inbox." in said
    _, said = _sent_from_page(ben, home, "/acceptance", {})
    assert "Accepted. Every member has agreed: it is in force." in said

    location, said = _sent_from_page(ada, f"{home}/checkins", f"{alliance}/checkins", {})
    assert location.endswith("#open") and "Check-in started" in said
    _, said = _sent_from_page(
        ada,
        f"{home}/conflicts",
        f"{alliance}/conflicts",
        {"description": "A missed call", "occurred_at": "2026-01-05T09:00", "severity": "low"},
    )
    assert "Reported." in said
    location, said = _sent_from_page(
        ada, f"{home}/redesigns", "/tending", {"message": "Can we slow down?"}
    )
    assert location.endswith("#tending") and "Every member sees it until someone answers." in said
    location, said = _sent_from_page(
        ada, f"{home}/settings", "/review-cadence", {"every_months": "3"}
    )
    assert location.endswith("/settings#review") and "reviewed every 3 months" in said
    _, said = _sent_from_page(
        ada,
        f"{home}/feedback",
        f"{alliance}/feedback",
        {"text": "Kind words", "valence": "appreciation", "visibility": "shared"},
    )
    assert "Your note is logged." in said


DESTRUCTIVE = ("/retraction", "/sharing", "/withdrawal", "/decline")


def test_what_cannot_be_undone_asks_once_more(app: Flask) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    invite_and_join(ada, ben, alliance)
    home = f"/alliances/{alliance}"
    _sent_from_page(ada, f"{home}/design", "/proposals", {"text": "I want calm weeks"})
    for visibility in ("shared", "private"):
        note = {"text": f"A {visibility} note", "valence": "neutral", "visibility": visibility}
        _sent_from_page(ada, f"{home}/feedback", f"{alliance}/feedback", note)
    pages = [ada.get(f"{home}{view}").get_data(as_text=True) for view in ("", "/feedback")]
    pages.append(ben.get(home).get_data(as_text=True))
    seen = set()
    for shown in pages:
        asking = re.findall(r'<details class="confirm">.*?</details>', shown, re.S)
        if "/decline" in shown:
            asking += re.findall(
                r"<details>\s*<summary>Decline</summary>.*?</details>", shown, re.S
            )
        outside = shown
        for block in asking:
            outside = outside.replace(block, "")
        for action in DESTRUCTIVE:
            assert not re.search(rf'action="[^"]*{action}"', outside), f"{action} acts at once"
            if any(action in block for block in asking):
                assert any(re.search(r"<p>[^<]{20,}</p>", b) for b in asking if action in b)
                seen.add(action)
    assert seen == set(DESTRUCTIVE)


def test_during_the_design_conversation_one_click_accepts_every_proposal_by_the_others(
    app: Flask,
) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    invite_and_join(ada, ben, alliance)
    home = f"/alliances/{alliance}"
    for n in range(3):  # the first three prompts
        answer = {"text": f"I want answer {n}"}
        _sent_from_page(ada, f"{home}/design", "/proposals", answer, nth=n)
    _sent_from_page(ben, f"{home}/design", "/proposals", {"text": "I want my own"}, nth=3)
    assert "Accept all" not in ada.get(f"{home}/design").get_data(as_text=True), "one awaits"
    design = ben.get(f"{home}/design").get_data(as_text=True)
    assert "Accept all 3 proposals by the others" in design
    tracker = app.extensions["tracker"]
    before = tracker.app.recorder.max_notification_id()
    location, said = _sent_from_page(ben, f"{home}/design", "/proposals/acceptance", {})
    assert "Accepted 3 proposals: every member has agreed, and they are in force." in said
    records = tracker.app.recorder.select_notifications(start=before + 1, limit=100)
    topics = [record.topic.rsplit(".", 1)[1] for record in records]
    assert topics.count("ProposalAccepted") == 3 and topics.count("ProposalAdopted") == 3
    agreement = ben.get(home).get_data(as_text=True)
    assert all(f"I want answer {n}" in agreement for n in range(3))
    assert "I want my own" in agreement and "Accept all" not in agreement, "Ben's own waits"

    again = ben.post(
        f"{home}/proposals/acceptance",
        data={
            "csrf_token": csrf_token(ben, home),
            "form": "accept-all",
            "back": f"{home}#proposals",
        },
    )
    refused = again.get_data(as_text=True)
    assert again.status_code == 409 and "no open proposal awaits your acceptance" in refused
    assert 'id="proposals"' in refused, "shown again on the page it came from: the home"


def test_what_a_proposal_would_change_is_shown_before_it_is_accepted(app: Flask) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    invite_and_join(ada, ben, alliance)
    home = f"/alliances/{alliance}"
    picked = {"text": "I need a check-in every Monday", "every": "week", "day": "MO"}
    picked |= {"time": "09:00", "zone": "Europe/London", "first": "2026-01-12"}
    _sent_from_page(ada, f"{home}/design", "/proposals", picked, holding='value="rhythm"')
    seen = ben.get(home).get_data(as_text=True)
    assert "every week on Monday at 09:00, Europe/London" in seen
    assert "The next would be Mon 12 Jan 2026, 09:00; Mon 19 Jan 2026, 09:00; " in seen
    _sent_from_page(ben, home, "/acceptance", {})
    seen = ada.get(home).get_data(as_text=True)
    assert "Next: Mon 12 Jan 2026, 09:00; Mon 19 Jan 2026, 09:00; Mon 26 Jan 2026, 09:00." in seen

    term = re.search(r'name="term_id" value="([0-9a-f-]{36})"', seen)
    assert term
    amended = {"text": "I need a short check-in every Monday", "every": "keep"}
    _sent_from_page(ada, home, "/proposals", amended, nth=0)
    seen = html.unescape(ben.get(home).get_data(as_text=True))
    assert "<span>I need a</span> <ins>short</ins> <span>check-in every Monday</span>" in seen


def test_the_open_check_in_comes_first_on_its_page(app: Flask) -> None:
    ada = person(app, "Ada")
    alliance = found(ada)
    home = f"/alliances/{alliance}"
    _, shown = _sent_from_page(ada, f"{home}/checkins", f"{alliance}/checkins", {})
    order = [shown.index(f'id="{part}"') for part in ("open", "rhythm", "closed-heading")]
    assert order == sorted(order) and 'name="relationship"' in shown[: order[1]]


def test_each_rating_is_eleven_choices_and_a_problem_is_said_beside_it(app: Flask) -> None:
    ada = person(app, "Ada")
    alliance = found(ada)
    home = f"/alliances/{alliance}"
    _, shown = _sent_from_page(ada, f"{home}/checkins", f"{alliance}/checkins", {})
    for item in ("relationship", "goals", "approach", "overall"):
        assert len(re.findall(rf'type="radio" name="{item}" value="\d+"', shown)) == 11
    assert "I did not feel heard, understood and respected" in shown
    page = ada.get(f"{home}/checkins").get_data(as_text=True)
    respond = re.search(r'action="([^"]*/responses)">(.*?)</form>', page, re.S)
    assert respond
    fields = r'<input type="hidden" name="(csrf_token|form|back)" value="([^"]*)"'
    hidden = dict(re.findall(fields, respond.group(2)))
    sent = {**hidden, "question": "feel", "relationship": "7", "goals": "12"}
    refused = ada.post(html.unescape(respond.group(1)), data=sent)
    again = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "Must be greater" not in again and "Missing data" not in again
    for item in ("goals", "approach", "overall"):
        assert f'id="{hidden["form"]}-{item}-problem">Choose one of 0 to 10.</p>' in again
    assert f'id="{hidden["form"]}-relationship-problem"' not in again
    assert 'name="relationship" value="7" checked' in again, "what was chosen comes back"
