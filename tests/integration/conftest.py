"""What the delivery tests listen with: a real SMTP server and a real HTTP receiver for
webhook calls, each on loopback, started for the test and stopped after it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.receivers import Hooks, Inbox, smtp_inbox, webhook_receiver


@pytest.fixture
def mail() -> Iterator[tuple[Inbox, int]]:
    with smtp_inbox() as running:
        yield running


@pytest.fixture
def hooks() -> Iterator[tuple[Hooks, str]]:
    with webhook_receiver() as running:
        yield running
