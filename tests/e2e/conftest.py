"""What the end-to-end tests start: a store, `tracker serve` on it (empty, or with the demo
loaded by `tracker demo`), and browsers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from shell.settings import Settings
from tests.e2e.test_processes import _tracker, serving

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var", database_url=None, cipher_key=None)


@pytest.fixture
def server(settings: Settings) -> Iterator[str]:
    with serving(settings) as base:
        yield base


@pytest.fixture
def demo_server(settings: Settings) -> Iterator[str]:
    """`tracker serve` on a store with the demo alliance loaded by `tracker demo`."""
    assert _tracker(settings, "demo").returncode == 0
    with serving(settings) as base:
        yield base


@pytest.fixture
def browsers() -> Iterator[list[WebDriver]]:
    from tests.e2e.driving import open_browser  # only where a test module drives chromium

    opened: list[WebDriver] = []
    try:
        opened.extend([open_browser(), open_browser()])
        yield opened
    finally:
        for driver in opened:
            driver.quit()
