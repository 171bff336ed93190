"""Waking the engine the moment any process records events, without polling: LISTEN for
the event store's NOTIFY on PostgreSQL, the doorbell on SQLite."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from projections import doorbell

log = logging.getLogger(__name__)


def listen(url: str, channel: str, wake: Callable[[], None], stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                while not stop.is_set():
                    # A short timeout only so that stopping is prompt; waiting costs no query.
                    for _ in conn.notifies(timeout=0.2, stop_after=1):
                        wake()
        except psycopg.OperationalError:
            # The engine still polls meanwhile; listening is only a shortcut.
            log.warning("lost the LISTEN connection; reconnecting", exc_info=True)
            stop.wait(1.0)


class Listener:
    """The thread that wakes the engine, and the way to stop it at once rather than at its
    next timeout: on SQLite, one last ring of the doorbell it is waiting on."""

    def __init__(self, thread: threading.Thread, views_file: Path | None) -> None:
        self.thread, self.views_file = thread, views_file

    def join(self) -> None:
        """Wait for the thread to end, once the stop event it was given is set."""
        if self.views_file is not None:
            bell = doorbell.Doorbell(self.views_file)
            bell.ring()
            bell.close()
        self.thread.join(timeout=5)


def start_listener(
    recorder: Any, store: Any, wake: Callable[[], None], stop: threading.Event
) -> Listener | None:
    """Wake the engine the moment any process records events: LISTEN on PostgreSQL, the
    doorbell on SQLite."""
    channel = getattr(recorder, "channel_name", None)
    url = getattr(store, "url", None)
    views_file = getattr(store, "path", None)
    target: Callable[..., None]
    args: tuple[Any, ...]
    if channel is not None and url is not None:
        target, args = listen, (url, channel, wake, stop)
    elif views_file is not None:
        target, args = doorbell.answer, (views_file, wake, stop)
    else:
        return None
    thread = threading.Thread(target=target, args=args, name="views-listener", daemon=True)
    thread.start()
    return Listener(thread, views_file if target is doorbell.answer else None)
