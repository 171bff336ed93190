"""The tracker's parts as a request sees them: one accessor for each, and the only module
that knows where the app keeps them (create_app puts them in current_app.extensions)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app

from delivery.mail import Mailer
from projections.attention.queue import AttentionQueue
from projections.catchup import CatchUpEngine
from projections.health.reading import HealthReader
from projections.queries import Queries
from tracker.service import TrackerService
from web.access import Access

if TYPE_CHECKING:
    from shell.bootstrap import Tracker
    from shell.settings import Settings


def _tracker() -> Tracker:
    tracker: Tracker = current_app.extensions["tracker"]
    return tracker


def service() -> TrackerService:
    return _tracker().service


def queries() -> Queries:
    return _tracker().queries


def health() -> HealthReader:
    return _tracker().health


def attention() -> AttentionQueue:
    return _tracker().attention


def settings() -> Settings:
    return _tracker().settings


def now() -> datetime:
    return _tracker().service.clock.now()


def one_snapshot() -> AbstractContextManager[None]:
    """A page's reads, in a block with no commands, share one snapshot of the views."""
    snapshot: AbstractContextManager[None] = _tracker().store.snapshot()
    return snapshot


def access() -> Access:
    found: Access = current_app.extensions["access"]
    return found


def mailer() -> Mailer | None:
    """The mail channel, or None where no SMTP server is configured."""
    found: Mailer | None = current_app.extensions.get("mailer")
    return found


def engine() -> CatchUpEngine:
    """The catch-up engine: how far the views have come, what they hold back."""
    return _tracker().engine
