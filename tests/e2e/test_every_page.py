"""Every page, at a laptop's size and a phone's, with every folded section opened: axe-core
(run inside chromium; WCAG 2.2 AA and its best practices) finds nothing to fault, nothing
is wider than the screen, no page weighs over 100 KB of HTML and CSS, and a screenshot of
each is kept with the test artefacts."""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from shell.demo import COACH_EMAIL
from tests.e2e.driving import ARTEFACTS, fits_the_screen, open_browser, sign_in

pytestmark = pytest.mark.slow

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SIZES = {"laptop": (1366, 900), "phone": (390, 844)}
STYLESHEET = Path(__file__).resolve().parents[2] / "web" / "static" / "style.css"
MOST_BYTES = 100_000  # of HTML and CSS together

# Each alliance page by its name for the screenshots, and its address under the alliance.
ALLIANCE_PAGES = {
    "agreement": "",
    "health": "/health",
    "alerts": "/alerts",
    "design": "/design",
    "feedback": "/feedback",
    "conflicts": "/conflicts",
    "checkins": "/checkins",
    "tending": "/redesigns",
    "history": "/history",
    "timeline": "/timeline",
    "settings": "/settings",
}
PERSON_PAGES = {
    "alliances": "/",
    "inbox": "/inbox",
    "account": "/account",
    "found": "/alliances/new",
}
SIGNED_OUT_PAGES = {"welcome": "/", "sign-in": "/signin", "sign-up": "/signup"}


def _axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{AXE} is missing: make test installs it with npm", pytrace=False)
        pytest.skip("axe-core is not installed (npm install)")
    return AXE.read_text()


def _faults(browser: WebDriver, axe: str) -> list[str]:
    """What axe-core finds on the page as it is now, every section opened first."""
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    browser.execute_script(axe)
    found: dict[str, Any] = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done({violations: r.violations.map(v => ({id: v.id, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))}))"
        ".catch(e => done({error: String(e)}));",
        RULES,
    )
    assert "error" not in found, found
    return [f"{v['id']} ({v['help']}): {', '.join(v['nodes'])}" for v in found["violations"]]


def _screenshot(browser: WebDriver, name: str, size: str) -> None:
    """The whole page, not the first screen of it (chromium draws beyond the window)."""
    width, height = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    shot = browser.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 8000), "scale": 1},
        },
    )
    folder = ARTEFACTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}-{size}.png").write_bytes(base64.b64decode(shot["data"]))


def _check(browser: WebDriver, address: str, name: str, size: str, axe: str) -> list[str]:
    browser.get(address)
    problems = [] if fits_the_screen(browser) else [f"{name}: wider than the screen"]
    html = browser.execute_script(
        "return performance.getEntriesByType('navigation')[0].decodedBodySize"
    )
    weight = int(html) + STYLESHEET.stat().st_size
    if not 0 < int(html) or weight > MOST_BYTES:
        problems.append(f"{name}: {weight} bytes of HTML and CSS")
    _screenshot(browser, name, size)
    problems += [f"{name}: {fault}" for fault in _faults(browser, axe)]
    return problems


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_passes_axe_and_fits_the_screen(demo_server: str, size: str) -> None:
    axe = _axe_source()
    browser = open_browser(*SIZES[size])
    try:
        problems: list[str] = []
        for name, path in SIGNED_OUT_PAGES.items():
            problems += _check(browser, f"{demo_server}{path}", name, size, axe)
        sign_in(browser, demo_server, COACH_EMAIL)
        alliance = re.sub(r"[#?].*", "", browser.current_url)
        for name, path in PERSON_PAGES.items():
            problems += _check(browser, f"{demo_server}{path}", name, size, axe)
        for name, path in ALLIANCE_PAGES.items():
            problems += _check(browser, f"{alliance}{path}", name, size, axe)
        browser.get(alliance)
        term = browser.find_element(By.XPATH, "//a[normalize-space()='Version 2']")
        problems += _check(browser, str(term.get_attribute("href")), "term", size, axe)
        missing = f"{demo_server}/alliances/00000000-0000-4000-8000-000000000000"
        problems += _check(browser, missing, "not-found", size, axe)
        assert not problems, "\n".join(problems)
    finally:
        browser.quit()
