"""Driving Debian's chromium through selenium and Debian's chromedriver, as a person would:
open a browser at a size, wait for the page a click leads to, fill and send forms, sign in.
A test module that imports this one is skipped where chromium is missing (and fails under
CI=true, where it must be there)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from shell.demo import DEMO_PASSWORDS

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artefacts"

if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("CI") == "true":
        pytest.fail("chromium and chromedriver are required under CI=true", pytrace=False)
    pytest.skip("Debian's chromium and chromium-driver are not installed", allow_module_level=True)

# Selenium Manager must never fetch a browser or driver: Debian's are the ones to use.
os.environ.setdefault("SE_OFFLINE", "true")

from selenium import webdriver  # noqa: E402  (only once chromium is known to be here)
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402


def open_browser(width: int = 1200, height: int = 1800) -> WebDriver:
    options = Options()
    assert CHROMIUM
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument(f"--window-size={width},{height}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    resize(driver, width, height)
    return driver


def resize(driver: WebDriver, width: int, height: int) -> None:
    """The page's viewport exactly this size: a window is never narrower than 500 pixels,
    and its height counts the browser's own bars, so a phone's size is set on the page."""
    driver.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def until(browser: WebDriver, text: str) -> None:
    """Wait for the page the last click led to; a click returns before the page arrives."""
    WebDriverWait(browser, 15).until(
        lambda driver: text in driver.page_source, f"{text!r} never appeared"
    )


def fill(browser: WebDriver, field_id: str, text: str) -> None:
    field = browser.find_element(By.ID, field_id)
    field.clear()
    field.send_keys(text)


def submit_form_of(browser: WebDriver, field_id: str) -> None:
    form = browser.find_element(By.ID, field_id).find_element(By.XPATH, "./ancestor::form")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def button(scope: WebDriver | WebElement, label: str) -> WebElement:
    return scope.find_element(By.XPATH, f".//button[normalize-space()='{label}']")


def sign_up(browser: WebDriver, name: str, email: str) -> None:
    fill(browser, "name", name)
    fill(browser, "email", email)
    fill(browser, "password", f"{name} designs with care")
    submit_form_of(browser, "password")
    until(browser, f"Signed in as {name}")


ACCEPT = "//button[normalize-space()='Accept']"


def accept_everything_offered(browser: WebDriver) -> None:
    """On the agreement page (waited for: a click returns before its page arrives), accept
    each proposal offered. Once the page is there, and after each click the wait below has
    seen the next, none left is an answer, not a page still loading: no implicit wait."""
    until(browser, 'id="proposals"')
    browser.implicitly_wait(0)
    try:
        while True:
            offered = browser.find_elements(By.XPATH, ACCEPT)
            if not offered:
                return
            before = len(offered)
            offered[0].click()
            WebDriverWait(browser, 15).until(
                lambda driver, before=before: len(driver.find_elements(By.XPATH, ACCEPT)) < before
            )
    finally:
        browser.implicitly_wait(5)


def tab_to(browser: WebDriver, element_id: str, most: int = 25) -> None:
    """Press Tab until the field has the focus, as someone without a mouse would."""
    for _ in range(most):
        if browser.switch_to.active_element.get_attribute("id") == element_id:
            return
        browser.switch_to.active_element.send_keys(Keys.TAB)
    raise AssertionError(f"Tab never reached #{element_id}")


def fits_the_screen(browser: WebDriver) -> bool:
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - window.innerWidth"
    )
    return int(overflow) <= 0


def sign_in(browser: WebDriver, server: str, email: str) -> None:
    browser.get(f"{server}/signin")
    fill(browser, "email", email)
    fill(browser, "password", DEMO_PASSWORDS[email])
    submit_form_of(browser, "password")
    until(browser, "Signed in as")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Cora & Cliff").click()
    until(browser, "agreement version")


def log_a_note(browser: WebDriver, text: str, visibility: str, term: str) -> None:
    """The short form every alliance page carries: open it, type, choose, log."""
    browser.find_element(By.XPATH, "//summary[normalize-space()='Log a note']").click()
    fill(browser, "log-text", text)
    browser.find_element(By.CSS_SELECTOR, f"#log-visibility option[value={visibility}]").click()
    choose(browser, "log-term_id", term)
    submit_form_of(browser, "log-text")
    until(browser, "Your note is logged.")


def choose(browser: WebDriver, select_id: str, starting: str) -> None:
    option = f"option[starts-with(normalize-space(), '{starting}')]"
    browser.find_element(By.XPATH, f"//select[@id='{select_id}']/{option}").click()
