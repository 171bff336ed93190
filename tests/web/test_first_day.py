"""A new alliance's home shows its first steps, each linking to where it is done, until
they are done or the alliance is living (a check-in completed)."""

from __future__ import annotations

import re
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.browsing import found, invite_and_join, page, person, sign_in_as_coach
from tests.web.test_design import answer

pytestmark = pytest.mark.pages


def _steps(client: FlaskClient, alliance: UUID) -> dict[str, str]:
    shown = page(client, alliance)
    block = re.search(r'<ol class="steps">(.*?)</ol>', shown, re.S)
    if block is None:
        return {}
    items = re.findall(r'<li class="(done|to-do)">(.*?)</li>', block.group(1), re.S)
    spoken = {re.sub(r"<[^>]+>|[✓○]", "", text).strip(): state for state, text in items}
    for label, state in spoken.items():  # what a screen reader says first, by the state
        assert label.startswith("Done:" if state == "done" else "To do:"), label
    return {re.sub(r"^(Done|To do):\s+", "", label): state for label, state in spoken.items()}


def test_the_checklist_follows_the_first_steps_and_links_to_each(app: Flask) -> None:
    ada, ben = person(app, "Ada"), person(app, "Ben")
    alliance = found(ada)
    steps = _steps(ada, alliance)
    assert list(steps.values()) == ["to-do", "to-do", "to-do", "done", "to-do"]  # none await
    assert any("only you so far" in label for label in steps)
    assert "answered so far: Ada 0 of 10" in " ".join(steps)
    shown = page(ada, alliance)
    for place in ("#stake", "#invitations", "#conversation", "#prompt-rhythm"):
        assert f'href="/alliances/{alliance}/design{place}"' in shown

    invite_and_join(ada, ben, alliance)
    answer(ada, alliance, "feel", "I want calm weeks")
    steps = _steps(ben, alliance)
    joined = next(state for label, state in steps.items() if label.startswith("Invite"))
    assert joined == "done"
    assert "answered so far: Ada 1 and Ben 0 of 10" in " ".join(steps)
    assert any("1 awaits you" in label for label in steps), steps


def test_a_living_alliance_shows_no_checklist(app: Flask, demo: UUID) -> None:
    client = app.test_client()
    sign_in_as_coach(client)
    assert _steps(client, demo) == {}
