"""Health on the pages and over the API, on the demo alliance: the cards on its home page,
the history with its chart and table, the exports, and private figures kept to their author."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from shell.bootstrap import Tracker
from shell.demo import CLIENT_EMAIL, COACH_EMAIL, DEMO_PASSWORDS
from tests.builders import problem, token_for
from tests.web.browsing import sign_in_as_client, sign_in_as_coach
from tracker import ids
from web import create_app
from web.api.schemas.health import HealthHistorySchema

pytestmark = pytest.mark.pages


@pytest.fixture
def app(tracker: Tracker, demo: UUID) -> Iterator[Flask]:
    yield create_app({"TESTING": True, "SECRET_KEY": "test"}, tracker=tracker)


@pytest.fixture
def coach(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in_as_coach(client)
    return client


@pytest.fixture
def cliff(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in_as_client(client)
    return client


def test_the_home_shows_a_strip_and_the_health_page_leads_with_the_cards(
    coach: FlaskClient, demo: UUID, tracker: Tracker
) -> None:
    home = coach.get(f"/alliances/{demo}").get_data(as_text=True)
    assert home.index('id="health-strip"') < home.index('id="terms"'), "a glance, then the terms"
    assert 'class="card health-card' not in home, "the cards themselves are on the Health page"
    assert re.search(r"The last four weeks, since Monday \d{1,2} [A-Z][a-z]+\.", home)
    page = coach.get(f"/alliances/{demo}/health").get_data(as_text=True)
    assert page.index('id="health-heading"') < page.index('class="chart"'), "cards come first"
    for key in ("ratings", "positivity", "adherence", "conflicts", "participation", "divergence"):
        assert f'id="health-{key}"' in page
    assert 'class="overall status-' in page and "What moved it" in page
    assert re.search(r"\d of 7 green", home), "what is well is counted, not listed"
    assert not re.search(r'class="card health-card status-(?:yellow|red)"', page), "all green"
    coach_id = ids.account_id(COACH_EMAIL)
    tracker.service.set_review_cadence(coach_id, demo, {"every_months": 1})
    tracker.engine.run_once()
    page = coach.get(f"/alliances/{demo}/health").get_data(as_text=True)
    asking = re.findall(r'<li class="card health-card status-(?:yellow|red)".*?</li>', page, re.S)
    assert asking, "a review a month: the agreement is due for one"
    home = coach.get(f"/alliances/{demo}").get_data(as_text=True)
    for worth_a_look in re.findall(
        r'class="card health-card status-(?:yellow|red)" id="([^"]+)"', page
    ):
        assert f'/health#{worth_a_look}"' in home, f"the strip links to {worth_a_look}"
    for card in asking:
        said = r'<p class="advice">[^<]+ <a href="/alliances/[^"]+">On the [A-Z][a-z-]+ page</a>'
        assert re.search(said, card), f"what to do, and where: {card}"


def test_the_history_page_draws_the_series_with_the_redesign_marked(
    coach: FlaskClient, demo: UUID
) -> None:
    page = coach.get(f"/alliances/{demo}/health").get_data(as_text=True)
    assert '<svg class="health-chart"' in page and "<script>" not in page, "no inline script"
    for line in ("l-total", "l-a", "l-b", "l-c", "l-d"):  # total, ratio, adherence; 4 items
        assert f'class="{line} series"' in page
    assert 'class="l-bar"' in page, "open conflicts as bars"
    assert 'class="mark mark-redesign redesign_opened"' in page
    assert 'class="mark mark-redesign redesign_concluded"' in page
    assert "Redesign opened: Ratings have fallen for five weeks" in page
    assert '<th scope="row">2026-07-27</th>' in page, "the table holds the weeks too"
    assert "How each colour is decided" in page and "Gottman" in page


def test_a_range_narrows_the_weeks_and_a_bad_one_is_refused(coach: FlaskClient, demo: UUID) -> None:
    page = coach.get(f"/alliances/{demo}/health?from=2026-07-01&to=2026-07-31")
    text = page.get_data(as_text=True)
    weeks = re.findall(r'<th scope="row">([0-9-]{10})</th>', text)
    assert weeks == [
        "2026-07-27",
        "2026-07-20",
        "2026-07-13",
        "2026-07-06",
        "2026-06-29",
    ]
    bad = coach.get(f"/alliances/{demo}/health?from=soon")
    assert bad.status_code == 422 and "from must be a day" in bad.get_data(as_text=True)
    backwards = coach.get(f"/alliances/{demo}/health?from=2026-08-01&to=2026-07-01")
    assert backwards.status_code == 422


def _export(client: FlaskClient, demo: UUID) -> list[dict[str, str]]:
    response = client.get(f"/alliances/{demo}/health.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_exports_hold_each_members_own_private_figures_and_no_one_elses(
    coach: FlaskClient, cliff: FlaskClient, demo: UUID
) -> None:
    cora_rows, cliff_rows = _export(coach, demo), _export(cliff, demo)

    def private(rows: list[dict[str, str]], kind: str) -> int:
        return sum(int(row[f"your_private_{kind}"] or 0) for row in rows)

    # Cora kept two private neutral notes; Cliff a neutral one and a concern.
    assert (private(cora_rows, "neutrals"), private(cora_rows, "concerns")) == (2, 0)
    assert (private(cliff_rows, "neutrals"), private(cliff_rows, "concerns")) == (1, 1)
    shared = [{k: v for k, v in row.items() if "private" not in k} for row in cora_rows]
    assert shared == [{k: v for k, v in row.items() if "private" not in k} for row in cliff_rows]
    dip = next(row for row in cora_rows if row["week"] == "2026-07-27")
    assert dip["srs_total"] == "19.0" and dip["adherence"] == "0.0"

    exported = coach.get(f"/alliances/{demo}/health.json?from=2026-07-01").get_json()
    assert exported["from"] == "2026-06-29" and exported["weeks"][0]["week"] == "2026-06-29"


def test_the_api_answers_health_now_and_its_history(
    app: Flask, demo: UUID, tracker: Tracker
) -> None:
    api = app.test_client()
    cora = token_for(api, COACH_EMAIL, DEMO_PASSWORDS[COACH_EMAIL])
    cliff = token_for(api, CLIENT_EMAIL, DEMO_PASSWORDS[CLIENT_EMAIL])
    now = api.get(f"/api/v1/alliances/{demo}/health", headers=cora).get_json()
    assert [c["key"] for c in now["components"]] == [
        "ratings",
        "positivity",
        "adherence",
        "conflicts",
        "participation",
        "divergence",
        "freshness",
    ]
    assert now["overall"]["status"] in {"green", "yellow", "red", "no_data"}
    assert {t["component"] for t in now["thresholds"]} >= {"ratings", "freshness"}

    history = api.get(
        f"/api/v1/alliances/{demo}/health/history?from=2026-06-01&to=2026-09-30", headers=cora
    ).get_json()
    totals = [week["srs_total"] for week in history["weeks"]]
    redesign = next(m for m in history["marks"] if m["kind"] == "redesign_opened")
    before = [w["srs_total"] for w in history["weeks"] if w["starts_at"] < redesign["at"]]
    after = [w["srs_total"] for w in history["weeks"] if w["starts_at"] > redesign["at"]]
    assert min(before) < before[0] and after[-1] > min(before), "a dip, then a recovery"
    assert len(totals) == 18

    assert HealthHistorySchema().dump(history) == history, "sent as is: already the shape"

    theirs: Any = api.get(f"/api/v1/alliances/{demo}/health/history", headers=cliff).get_json()
    mine: Any = api.get(f"/api/v1/alliances/{demo}/health/history", headers=cora).get_json()
    cora_private = [w["week"] for w in mine["weeks"] if "private" in w]
    cliff_private = [w["week"] for w in theirs["weeks"] if "private" in w]
    assert cora_private and cliff_private and not set(cora_private) & set(cliff_private)

    wrong = api.get(f"/api/v1/alliances/{demo}/health/history?from=2026-13-01", headers=cora)
    assert "from" in problem(wrong, 422)["errors"]
    backwards = api.get(
        f"/api/v1/alliances/{demo}/health/history?from=2026-08-01&to=2026-07-01", headers=cora
    )
    assert "from" in problem(backwards, 422)["errors"]


def test_a_period_beyond_the_alliances_life_holds_only_its_weeks(app: Flask, demo: UUID) -> None:
    api = app.test_client()
    cora = token_for(api, COACH_EMAIL, DEMO_PASSWORDS[COACH_EMAIL])
    whole = api.get(
        f"/api/v1/alliances/{demo}/health/history?from=1900-01-01&to=2199-12-31", headers=cora
    ).get_json()
    assert whole["from"] == "2026-05-04" and len(whole["weeks"]) < 60
    before = api.get(
        f"/api/v1/alliances/{demo}/health/history?from=1900-01-01&to=1900-01-31", headers=cora
    ).get_json()
    assert len(before["weeks"]) == 1 and before["weeks"][0]["answers"] == 0


def test_what_moved_each_component_links_to_the_alliance_s_own_pages(
    app: Flask, demo: UUID
) -> None:
    # The read side names what moved a component as data; the web makes the addresses.
    api = app.test_client()
    health = api.get(
        f"/api/v1/alliances/{demo}/health",
        headers=token_for(api, COACH_EMAIL, DEMO_PASSWORDS[COACH_EMAIL]),
    ).get_json()
    links = [link for c in health["components"] for link in c["links"]]
    assert links and all(link["href"].startswith(f"/alliances/{demo}/") for link in links)
    checkins = [link["href"] for link in links if "/checkins" in link["href"]]
    assert checkins and all(re.search(r"/checkins#checkin-[0-9a-f-]{36}$", h) for h in checkins)
    notes = [link["href"] for link in links if "/feedback?" in link["href"]]
    assert notes and all("since=" in h and "until=" in h for h in notes)
    assert "moved_by" not in health["components"][0]  # the data stays on the read side


def test_a_new_alliance_shows_what_will_make_its_health_appear(
    coach: FlaskClient, tracker: Tracker
) -> None:
    form = {"title": "Fresh start", "purpose": "A calm team", "kind": "team", "role": "lead"}
    alliance = tracker.service.found_alliance(ids.account_id(COACH_EMAIL), form)["alliance_id"]
    tracker.engine.run_once()
    home = coach.get(f"/alliances/{alliance}").get_data(as_text=True)
    assert "Health: not enough data yet" in home and "The cards appear once most" in home
    page = coach.get(f"/alliances/{alliance}/health").get_data(as_text=True)
    assert "Nothing to show yet: the cards appear once most of them have enough data" in page
    assert 'class="card health-card' not in page, "no card without a reading"
    assert "Not enough data." in page and "Green." not in page
    assert "What each card needs" in page and "No check-in was answered and closed" in page


def test_the_check_ins_page_shows_the_latest_closed_and_pages_back(
    coach: FlaskClient, demo: UUID
) -> None:
    first = coach.get(f"/alliances/{demo}/checkins").get_data(as_text=True)
    shown = re.findall(r'<details class="card closed-checkin" id="(checkin-[0-9a-f-]{36})"', first)
    older = re.search(r'<a href="([^"]+)">Older check-ins</a>', first)
    assert len(shown) == 8 and older, "eight of the demo's twenty-six, then a link"
    second = coach.get(html.unescape(older.group(1))).get_data(as_text=True)
    then = re.findall(r'<details class="card closed-checkin" id="(checkin-[0-9a-f-]{36})"', second)
    assert len(then) == 8 and not set(then) & set(shown) and ">The latest</a>" in second
    refused = coach.get(f"/alliances/{demo}/checkins?before=last+week")
    assert refused.status_code == 422 and "before" in refused.get_data(as_text=True)
