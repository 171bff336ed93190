"""On SQLite, the way a process that records events wakes the process keeping the views.

PostgreSQL has NOTIFY (see listen.py). SQLite has nothing across processes, so without this
the projector of a gunicorn deployment would notice a write only at its next poll, and every
answer that waits to read its own write would wait that long. The doorbell is a Unix datagram
socket in Linux's abstract namespace, named after the views' file: no file to leave behind,
no path-length limit, and a ring costs one system call. Ringing is best effort: with nobody
listening, or the listener's queue full, it is dropped, and the engine's poll still comes.
"""

from __future__ import annotations

import hashlib
import logging
import select
import socket
import threading
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)


def address(views_file: Path) -> bytes:
    digest = hashlib.sha256(str(views_file.resolve()).encode()).hexdigest()[:32]
    return b"\0alliance-tracker-views-" + digest.encode()


class Doorbell:
    def __init__(self, views_file: Path) -> None:
        self._address = address(views_file)
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.setblocking(False)

    def ring(self, _notification_id: int | None = None) -> None:
        try:
            self._socket.sendto(b"!", self._address)
        except OSError:
            pass  # nobody listening, or already rung enough: the poll will catch up

    def close(self) -> None:
        self._socket.close()


def answer(views_file: Path, wake: Callable[[], None], stop: threading.Event) -> None:
    """Wake the engine at each ring, until stopped. Only one process can answer a doorbell;
    any other engine on the same views simply polls."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        listener.bind(address(views_file))
    except OSError:
        log.info("another process answers the views' doorbell; polling instead")
        listener.close()
        return
    listener.setblocking(False)
    try:
        while not stop.is_set():
            # A short wait only so that stopping is prompt.
            ready, _, _ = select.select([listener], [], [], 0.2)
            if ready:
                _drain(listener)
                wake()
    finally:
        listener.close()


def _drain(listener: socket.socket) -> None:
    """Many rings while the engine was busy mean one catch-up, not many."""
    while True:
        try:
            listener.recv(64)
        except BlockingIOError:
            return
