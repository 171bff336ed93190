"""The main jobs, walked in a real browser by the demo's two people at a laptop's size and a
phone's, Cora with the mouse and Cliff with the keyboard alone, counting the clicks each job
takes: logging a note at most 2 from any alliance page; answering a check-in at most 2 from
the inbox or from the link in its mail; seeing how the alliance is doing 1 from the list.
(A check-in started by hand is named by its minute, so each size answers one: one person
from the inbox, the other from the mail.)

A click is anything activated: a link followed, a button pressed, a menu opened (for the
keyboard, each Enter). Typing, choosing a value (an option, a rating) and moving the focus
with Tab are not clicks."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from shell.demo import CLIENT_EMAIL, COACH_EMAIL, DEMO_PASSWORDS
from shell.settings import Settings
from tests.e2e.driving import open_browser, until
from tests.e2e.test_processes import _tracker, serving
from tests.receivers import Inbox, smtp_inbox

pytestmark = pytest.mark.slow

SIZES = {"laptop": (1366, 900), "phone": (390, 844)}
ALLIANCE_PAGES = ("", "/health", "/design", "/feedback", "/conflicts", "/checkins")
ALLIANCE_PAGES += ("/redesigns", "/history", "/timeline", "/settings")
RATINGS = {"relationship": 8, "goals": 7, "approach": 9, "overall": 8}


class Walk:
    """One person in one browser, counting their clicks; with ``keyboard``, every field is
    reached with Tab and every click is an Enter."""

    def __init__(self, browser: WebDriver, email: str, *, keyboard: bool) -> None:
        self.browser, self.email, self.keyboard, self.clicks = browser, email, keyboard, 0
        self.name = "Cliff" if email == CLIENT_EMAIL else "Cora"

    def click(self, element: WebElement) -> None:
        self.clicks += 1
        if self.keyboard:
            self._focus(element)
            element.send_keys(Keys.ENTER)
        else:
            element.click()

    def type(self, element: WebElement, text: str) -> None:
        if self.keyboard:
            self._focus(element)
        else:
            element.click()  # a click into a field is not counted: it chooses where to type
        element.send_keys(text)

    def rate(self, scope: WebElement, item: str, value: int) -> None:
        """A rating is a row of eleven radios: the keyboard reaches the row, takes 0 with the
        space bar and moves along it with the arrow key."""
        radios = scope.find_elements(By.CSS_SELECTOR, f"input[type=radio][name={item}]")
        if not self.keyboard:
            radios[value].click()
            return
        self._focus(radios[0])
        radios[0].send_keys(Keys.SPACE, *[Keys.ARROW_RIGHT] * value)
        assert radios[value].is_selected()

    def _focus(self, element: WebElement, most: int = 300) -> None:
        """Tab until the element has the focus, as someone without a mouse would."""
        for _ in range(most):
            if self.browser.switch_to.active_element == element:
                return
            self.browser.switch_to.active_element.send_keys(Keys.TAB)
        raise AssertionError(f"Tab never reached {element.get_attribute('outerHTML')[:120]}")


@pytest.fixture
def mailed_server(settings: Settings) -> Iterator[tuple[str, Inbox]]:
    """`tracker serve` on the demo, mailing its check-in prompts to an SMTP server here."""
    assert _tracker(settings, "demo").returncode == 0
    with smtp_inbox() as (inbox, smtp_port):
        smtp = f"smtp://127.0.0.1:{smtp_port}?from=tracker@example.org"
        with serving(settings, TRACKER_SMTP_URL=smtp) as base:  # its links lead to itself
            yield base, inbox


def sign_in(walk: Walk, server: str) -> None:
    walk.browser.get(f"{server}/signin")
    walk.type(walk.browser.find_element(By.ID, "email"), walk.email)
    password = DEMO_PASSWORDS[walk.email]
    walk.type(walk.browser.find_element(By.ID, "password"), password + Keys.ENTER)
    until(walk.browser, "Signed in as")


def alliance_address(walk: Walk, server: str) -> str:
    walk.browser.get(f"{server}/")
    link = walk.browser.find_element(By.PARTIAL_LINK_TEXT, "Cora & Cliff")
    return str(link.get_attribute("href"))


def log_a_note_from(walk: Walk, page: str, number: int) -> int:
    """From ``page``, the clicks it takes to log a note."""
    walk.browser.get(page)
    before = walk.clicks
    opener = walk.browser.find_elements(By.CSS_SELECTOR, ".quick-note > summary, a.log-link")
    walk.click(opener[0])
    text = f"Walked note {number}, from {page.rsplit('/', 1)[-1]}"
    walk.type(walk.browser.find_element(By.ID, "log-text"), text)
    walk.click(walk.browser.find_element(By.XPATH, "//button[normalize-space()='Log it']"))
    until(walk.browser, "Your note is logged.")
    return walk.clicks - before


def answer_the_open_check_in(walk: Walk) -> None:
    """On the check-in page, the check-in the link named: each rating, then send (one
    click)."""
    until(walk.browser, "This week, from 0 to 10")
    named = walk.browser.current_url.partition("#")[2]
    assert named.startswith("checkin-"), walk.browser.current_url
    scope = walk.browser.find_element(By.ID, named)
    for item, value in RATINGS.items():
        walk.rate(scope, item, value)
    walk.click(scope.find_element(By.XPATH, ".//button[normalize-space()='Send my answers']"))
    until(walk.browser, "Your answers are in.")


def mailed_link(inbox: Inbox, to: str, seen: int, wait: float = 45) -> str:
    """The check-in link in the newest mail to ``to`` after the first ``seen`` messages."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        for message in inbox.messages[seen:]:
            if to in str(message["To"]):
                assert isinstance(message, EmailMessage)
                body = message.get_body(("plain",))
                assert body is not None
                found = re.search(r"http://\S+/checkins#checkin-[0-9a-f-]{36}", body.get_content())
                if found:
                    return found.group(0)
        time.sleep(0.5)
    raise AssertionError(f"no check-in mail reached {to}")


def start_a_check_in(walk: Walk, alliance: str) -> None:
    """Setting the scene, outside any count."""
    walk.browser.get(f"{alliance}/checkins")
    walk.browser.find_element(
        By.XPATH, "//button[normalize-space()='Start a check-in now']"
    ).click()
    until(walk.browser, "Check-in started")


@pytest.mark.parametrize("size", list(SIZES))
def test_the_main_jobs_take_few_clicks_by_mouse_and_by_keyboard(
    mailed_server: tuple[str, Inbox], size: str
) -> None:
    server, inbox = mailed_server
    browsers = [open_browser(*SIZES[size]), open_browser(*SIZES[size])]
    try:
        cora = Walk(browsers[0], COACH_EMAIL, keyboard=False)
        cliff = Walk(browsers[1], CLIENT_EMAIL, keyboard=True)
        sign_in(cora, server)
        sign_in(cliff, server)
        alliance = alliance_address(cora, server)
        counted: dict[str, int] = {}

        for walk in (cora, cliff):
            walk.browser.get(f"{server}/")
            before = walk.clicks
            walk.click(walk.browser.find_element(By.PARTIAL_LINK_TEXT, "Cora & Cliff"))
            strip = walk.browser.find_element(By.CSS_SELECTOR, ".health-strip")
            top = strip.location["y"]
            assert strip.is_displayed() and top < walk.browser.execute_script(
                "return window.innerHeight"
            ), f"{walk.name}, {size}: the health strip is on the first screen"
            counted[f"{walk.name} sees how the alliance is doing"] = walk.clicks - before

        for number, view in enumerate(ALLIANCE_PAGES):
            for walk in (cora, cliff):
                clicks = log_a_note_from(walk, f"{alliance}{view}", number)
                counted[f"{walk.name} logs a note from {view or 'the home'}"] = clicks

        # One check-in: one of them answers it from the inbox, the other from its mail; at
        # the other size, the other way round.
        seen = len(inbox.messages)
        start_a_check_in(cora, alliance)
        from_inbox, from_mail = (cora, cliff) if size == "laptop" else (cliff, cora)
        from_inbox.browser.get(f"{server}/inbox")
        before = from_inbox.clicks
        from_inbox.click(from_inbox.browser.find_element(By.LINK_TEXT, "Answer it"))
        answer_the_open_check_in(from_inbox)
        counted[f"{from_inbox.name} answers a check-in from the inbox"] = from_inbox.clicks - before
        from_mail.browser.get(mailed_link(inbox, from_mail.email, seen))
        before = from_mail.clicks
        answer_the_open_check_in(from_mail)
        counted[f"{from_mail.name} answers a check-in from its mail"] = from_mail.clicks - before

        most = {"sees how": 1, "logs a note": 2, "answers a check-in": 2}
        over = [
            f"{job}: {clicks} clicks"
            for job, clicks in counted.items()
            for kind, limit in most.items()
            if kind in job and clicks > limit
        ]
        assert not over, f"{size}: " + "; ".join(over)
        assert len(counted) == 2 + 2 * len(ALLIANCE_PAGES) + 2
    finally:
        for browser in browsers:
            browser.quit()
