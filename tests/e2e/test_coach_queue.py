"""A coach's Monday in a real browser: of three alliances, the one whose Session Rating Scale
dropped is at the top of the queue with its reason; the coach opens its alert, acknowledges
it and records a commitment, and the next check-in opens by asking about that commitment."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from shell.bootstrap import Tracker
from shell.settings import Settings
from tests.conftest import PASSWORDS
from tests.e2e.driving import button, fill, open_browser, submit_form_of, until
from tests.e2e.test_processes import serving
from tracker.clock import SettableClock

pytestmark = pytest.mark.slow

HIGH = {"relationship": 10, "goals": 9, "approach": 10, "overall": 9}  # 38 of 40
DROPPED = {"relationship": 10, "goals": 8, "approach": 10, "overall": 10}  # 38: goals 9 to 8
SECRET = "a coach's long secret"


def three_alliances(settings: Settings) -> None:
    """Cora coaches Maya, Tom and Lee; each has checked in twice, and Maya's second check-in
    rated goals a point lower than her first."""
    clock = SettableClock(datetime.now(UTC) - timedelta(days=3))
    tracker = Tracker.build(settings, clock, PASSWORDS)
    try:
        service = tracker.service
        people = {}
        for name in ("Cora", "Maya", "Tom", "Lee"):
            email = f"{name.lower()}@example.org"
            account = {"email": email, "name": name, "password": SECRET}
            people[name] = service.register_account(account)["account_id"]
            service.verify_address(people[name], email, via="mail")
        cora = people["Cora"]
        for name in ("Tom", "Maya", "Lee"):
            founded = {"title": f"{name}'s coaching", "purpose": "", "kind": "coaching",
                       "role": "coach"}  # fmt: skip
            alliance = service.found_alliance(cora, founded)["alliance_id"]
            invited = service.invite_member(
                cora, alliance, {"email": f"{name.lower()}@example.org", "role": "client"}
            )
            joined = {"invitation_id": invited["invitation_id"], "agreed_version": 0}
            service.join_alliance(people[name], alliance, joined)
            for second in (HIGH, DROPPED if name == "Maya" else HIGH):
                clock.advance(timedelta(hours=1))
                checkin = service.start_checkin_now(cora, alliance)["checkin_id"]
                for member, ratings in ((cora, HIGH), (people[name], second)):
                    answer = {"answers": {}, "ratings": ratings}
                    service.respond_to_checkin(member, alliance, checkin, answer)
        tracker.engine.run_once()
    finally:
        tracker.close()


def queue_with_alert(browser: WebDriver, server: str) -> None:
    """The alliances page, once the server's scheduler has raised the alert (its first pass
    runs as it starts)."""
    give_up = time.monotonic() + 60
    while True:
        browser.get(f"{server}/")
        if "Alert: A rating dropped" in browser.page_source or time.monotonic() > give_up:
            return
        time.sleep(0.5)


def test_a_coach_sees_the_dropped_rating_first_answers_it_and_is_asked_at_the_next_check_in(
    settings: Settings,
) -> None:
    three_alliances(settings)
    with serving(settings) as server:
        browser = open_browser()
        try:
            browser.get(f"{server}/signin")
            fill(browser, "email", "cora@example.org")
            fill(browser, "password", SECRET)
            submit_form_of(browser, "password")
            until(browser, "Signed in as")
            queue_with_alert(browser, server)

            cards = browser.find_elements(By.CSS_SELECTOR, "ol.queue > li")
            assert len(cards) == 3
            first = cards[0]
            assert first.find_element(By.CSS_SELECTOR, "h2 a").text == "Maya's coaching"
            reasons = first.find_element(By.CSS_SELECTOR, ".reasons").text
            assert "Alert: A rating dropped" in reasons
            assert "Maya's ratings dropped at the check-in of " in reasons
            assert "goals 9 to 8" in reasons

            first.find_element(By.LINK_TEXT, "1").click()  # its open alerts
            until(browser, "Open (1)")
            alert = browser.find_element(By.CSS_SELECTOR, "#open li.card")
            assert "A rating dropped" in alert.text and "goals 9 to 8" in alert.text
            button(alert, "I have seen it").click()
            until(browser, "Acknowledged: the others see that you have seen it.")
            assert "seen by Cora" in browser.find_element(By.CSS_SELECTOR, "#open li.card").text

            browser.find_element(By.LINK_TEXT, "Look at what made it fire").click()
            until(browser, "Record a commitment")
            latest = browser.find_element(By.CSS_SELECTOR, "details.closed-checkin[open]")
            latest.find_element(
                By.XPATH, ".//summary[normalize-space()='Record a commitment']"
            ).click()
            what = latest.find_element(By.CSS_SELECTOR, "input[name=what]")
            what.send_keys("Ask Maya what would make the goals feel ours again")
            button(latest, "Record the commitment").click()
            until(browser, "Commitment recorded, due ")

            button(browser, "Start a check-in now").click()
            until(browser, "Commitments since the last check-in")
            asked = browser.find_element(By.CSS_SELECTOR, "section.commitments")
            assert "Ask Maya what would make the goals feel ours again" in asked.text
            asked.find_element(By.XPATH, ".//input[@value='done']").click()
            button(asked, "Answer for it").click()
            until(browser, "Marked done.")
        finally:
            browser.quit()
