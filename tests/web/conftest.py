"""The app as `tracker serve` builds it (views kept in-process), and an API client of it.
A test file that needs another app (the demo loaded, mail configured) defines its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from shell.bootstrap import Tracker
from tests.receivers import Inbox, smtp_inbox
from web import create_app, serve


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on loopback, and its port."""
    with smtp_inbox() as running:
        yield running


# One app per worker, pointed at each test's own tracker: building one compiles every
# route again, a seventh of a second in each of some three hundred tests, and the app holds
# nothing of a store but the parts web.serve replaces.
_built: list[Flask] = []


@pytest.fixture
def app(tracker: Tracker) -> Iterator[Flask]:
    tracker.project_in_background(poll_interval=0.05)
    if _built:
        serve(_built[0], tracker)
    else:
        _built.append(create_app({"TESTING": True, "SECRET_KEY": "test"}, tracker=tracker))
    yield _built[0]


@pytest.fixture
def api(app: Flask) -> FlaskClient:
    return app.test_client()
