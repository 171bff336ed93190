"""A real browser against `tracker serve`: two people who have never met the app design an
alliance together, log notes and report a conflict, and read the health history."""

from __future__ import annotations

import base64

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.wait import WebDriverWait

from shell.demo import CLIENT_EMAIL, COACH_EMAIL
from tests.e2e.driving import (
    ARTEFACTS,
    accept_everything_offered,
    button,
    choose,
    fill,
    fits_the_screen,
    log_a_note,
    resize,
    sign_in,
    sign_up,
    submit_form_of,
    tab_to,
    until,
)

pytestmark = pytest.mark.slow


@pytest.mark.slow
def test_two_people_design_an_alliance_in_a_real_browser(
    server: str, browsers: list[WebDriver]
) -> None:
    ada, ben = browsers
    ada.get(f"{server}/signup")
    sign_up(ada, "Ada", "ada@example.org")
    ada.find_element(By.LINK_TEXT, "Start a new alliance").click()
    fill(ada, "title", "Ada and Ben co-found")
    fill(ada, "purpose", "A calm, candid company")
    ada.find_element(By.CSS_SELECTOR, "#kind option[value=partnership]").click()
    fill(ada, "role", "CEO")
    submit_form_of(ada, "role")
    until(ada, "<h1>The design conversation</h1>")

    ada.find_element(By.XPATH, "//summary[normalize-space()='Invite someone']").click()
    fill(ada, "invite-email", "ben@example.org")
    fill(ada, "invite-role", "CTO")
    submit_form_of(ada, "invite-role")
    until(ada, "Invited, not yet joined")
    link = ada.find_element(By.CSS_SELECTOR, "code.link").text

    ben.get(link)
    until(ben, "You are invited to Ada and Ben co-found")
    ben.find_element(By.LINK_TEXT, "Create an account").click()
    sign_up(ben, "Ben", "ben@example.org")
    button(ben, "Join, agreeing to version 0").click()
    until(ben, "You have joined Ada and Ben co-found as CTO")

    ada.get(ada.current_url.split("#")[0])
    fill(ada, "answer-feel-text", "I want this to feel calm and candid")
    submit_form_of(ada, "answer-feel-text")
    until(ada, "Proposed, awaiting acceptance")
    ben.find_element(By.LINK_TEXT, "Design").click()
    fill(ben, "answer-rhythm-text", "I need a check-in every Monday")
    submit_form_of(ben, "answer-rhythm-text")
    until(ben, "I need a check-in every Monday <span")

    ben.find_element(By.LINK_TEXT, "Agreement").click()
    accept_everything_offered(ben)
    assert "agreement version 1" in ben.page_source
    ada.find_element(By.LINK_TEXT, "Agreement").click()
    accept_everything_offered(ada)
    assert "agreement version 2" in ada.page_source
    ben.refresh()
    assert (
        "agreement version 2" in ben.page_source
        and "None. A proposal is adopted" in ben.page_source
    )

    term = ada.find_element(
        By.XPATH, "//p[normalize-space()='I want this to feel calm and candid']"
    )
    item = term.find_element(By.XPATH, "./ancestor::li")
    item.find_element(By.XPATH, ".//summary[normalize-space()='Change']").click()
    item.find_element(By.XPATH, ".//summary[normalize-space()='Amend it']").click()
    wording = item.find_element(By.CSS_SELECTOR, "textarea[name=text]")
    wording.clear()
    wording.send_keys("I want this to feel calm, candid and kind")
    button(item, "Propose the amendment").click()
    until(ada, "awaiting Ben")

    ben.refresh()
    accept_everything_offered(ben)
    until(ben, "agreement version 3")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    ben.save_screenshot(str(ARTEFACTS / "agreement.png"))
    amended = ben.find_element(
        By.XPATH, "//p[normalize-space()='I want this to feel calm, candid and kind']"
    )
    amended.find_element(By.XPATH, "./ancestor::li//a[normalize-space()='Version 2']").click()
    until(ben, "<ins>")
    added = ben.find_elements(By.TAG_NAME, "ins")
    assert any("kind" in segment.text for segment in added), ben.page_source


def test_a_phone_sized_visit_with_the_keyboard_alone(
    server: str, browsers: list[WebDriver]
) -> None:
    phone = browsers[0]
    resize(phone, 390, 844)
    phone.get(f"{server}/signup")
    tab_to(phone, "name")
    phone.switch_to.active_element.send_keys("Ada")
    tab_to(phone, "email")
    phone.switch_to.active_element.send_keys("ada@example.org")
    tab_to(phone, "password")
    phone.switch_to.active_element.send_keys("Ada keeps it calm" + Keys.ENTER)
    until(phone, "Signed in as Ada")
    assert fits_the_screen(phone)

    phone.get(f"{server}/alliances/new")
    tab_to(phone, "title")
    phone.switch_to.active_element.send_keys("Phone alliance")
    tab_to(phone, "kind")
    phone.switch_to.active_element.send_keys("team")  # typing picks the option, as in a select
    tab_to(phone, "role")
    phone.switch_to.active_element.send_keys("lead" + Keys.ENTER)
    until(phone, "<h1>The design conversation</h1>")
    assert fits_the_screen(phone)
    tab_to(phone, "answer-feel-text", most=60)
    phone.switch_to.active_element.send_keys("I want it light")
    phone.switch_to.active_element.send_keys(Keys.TAB, Keys.ENTER)  # to the button, and press
    until(phone, "<li>I want it light</li>")  # the only member's proposal: adopted at once
    assert fits_the_screen(phone)


def test_notes_and_a_conflict_reach_the_other_member_and_the_term_history(
    demo_server: str, browsers: list[WebDriver]
) -> None:
    server = demo_server
    cora, cliff = browsers
    sign_in(cora, server, COACH_EMAIL)
    sign_in(cliff, server, CLIENT_EMAIL)

    log_a_note(cora, "Journal: I rushed Cliff today", "private", "Communication:")
    log_a_note(cora, "Your written notes kept me on track", "shared", "Communication:")
    assert "agreement version" in cora.page_source, "back on the page it was logged from"

    cliff.find_element(By.LINK_TEXT, "Feedback").click()
    until(cliff, "Your written notes kept me on track")
    assert "I rushed Cliff" not in cliff.page_source
    note = cliff.find_element(By.XPATH, "//li[contains(., 'Your written notes kept me on track')]")
    note.find_element(By.XPATH, ".//summary[normalize-space()='Reply']").click()
    reply = note.find_element(By.CSS_SELECTOR, "textarea[name=text]")
    reply.send_keys("Glad they help")
    button(note, "Reply").click()
    until(cliff, "Cliff Osei: Glad they help")

    cliff.find_element(By.LINK_TEXT, "Conflicts").click()
    fill(cliff, "report-description", "The Monday note came as a call")
    cliff.execute_script("document.getElementById('report-occurred_at').value = '2026-11-23T09:30'")
    cliff.find_element(By.XPATH, "//select[@id='report-zone']/option[.='Europe/London']").click()
    cliff.find_element(By.CSS_SELECTOR, "#report-severity option[value=medium]").click()
    choose(cliff, "report-term_id", "Communication:")
    submit_form_of(cliff, "report-description")
    until(cliff, "The Monday note came as a call")

    cora.find_element(By.LINK_TEXT, "Conflicts").click()
    report = cora.find_element(By.XPATH, "//li[contains(., 'The Monday note came as a call')]")
    button(report, "Acknowledge").click()
    WebDriverWait(cora, 15).until(staleness_of(report))  # the page came back
    report = cora.find_element(By.XPATH, "//li[contains(., 'The Monday note came as a call')]")
    report.find_element(By.XPATH, ".//summary[normalize-space()='Resolve']").click()
    report.find_element(By.CSS_SELECTOR, "textarea[name=resolution]").send_keys(
        "Notes stay written; a call only when asked"
    )
    button(report, "Resolve").click()
    until(cora, "Notes stay written; a call only when asked")

    cliff.refresh()
    cliff.find_element(By.LINK_TEXT, "history").click()
    until(cliff, "History of a communication term")
    cited = cliff.find_element(By.XPATH, "//li[h2][.//*[contains(., 'Citing this version')]]")
    assert "The Monday note came as a call" in cited.text and "resolved" in cited.text
    assert "Your written notes kept me on track" in cited.text
    assert "I rushed Cliff" not in cliff.page_source
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    cliff.save_screenshot(str(ARTEFACTS / "term-history.png"))


def test_the_demo_alliances_health_history_is_drawn_with_its_redesign_marked(
    demo_server: str, browsers: list[WebDriver]
) -> None:
    server = demo_server
    cora = browsers[0]
    sign_in(cora, server, COACH_EMAIL)
    cora.find_element(By.LINK_TEXT, "Health").click()
    until(cora, "Week by week")
    cards = cora.find_elements(By.CSS_SELECTOR, ".health-card")
    assert len(cards) == 7 and all(card.is_displayed() for card in cards)
    chart = cora.find_element(By.CSS_SELECTOR, "svg.health-chart")
    assert chart.size["width"] > 600 and chart.size["height"] > 500, "drawn, at full size"
    lines = chart.find_elements(By.CSS_SELECTOR, "polyline.series")
    assert len(lines) >= 7 and all(line.size["width"] > 0 for line in lines)
    redesigns = chart.find_elements(By.CSS_SELECTOR, "line.mark-redesign")
    assert redesigns and all(mark.is_displayed() for mark in redesigns)
    title = redesigns[0].find_element(By.TAG_NAME, "title").get_attribute("textContent")
    assert title and "Redesign opened" in title
    # The redesign sits between the lowest week and the recovery after it.
    ratings = chart.find_element(By.CSS_SELECTOR, ".panel-srs polyline.series")
    points = [
        tuple(float(v) for v in point.split(","))
        for point in (ratings.get_attribute("points") or "").split()
    ]
    lowest = max(points, key=lambda point: point[1])  # lowest rating: largest y
    mark_x = float(redesigns[0].get_attribute("x1") or 0)
    assert lowest[0] <= mark_x + 1 < points[-1][0]
    assert points[-1][1] < lowest[1], "the ratings after the redesign are higher"
    table = cora.find_element(By.CSS_SELECTOR, "table.health-table")
    assert len(table.find_elements(By.CSS_SELECTOR, "tbody tr")) >= 26

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    cora.save_screenshot(str(ARTEFACTS / "health-history.png"))
    printed = base64.b64decode(cora.print_page())
    assert printed.startswith(b"%PDF") and len(printed) > 10_000
    (ARTEFACTS / "health-history.pdf").write_bytes(printed)
