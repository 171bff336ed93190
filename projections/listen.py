"""LISTEN for the event store's NOTIFY on PostgreSQL, to wake the engine without polling."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from psycopg import sql

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
