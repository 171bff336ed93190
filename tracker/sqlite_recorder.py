"""A SQLite recorder whose writers, in every process, queue for the write lock.

SQLite admits one writer at a time. A writer that finds the database locked sleeps in
SQLite's busy handler (1, 2, 5, 10 ms and longer) before trying again, so when gunicorn's
workers record at once the lock sits idle while they sleep: fewer notes per second, and the
slowest answers wait tens of milliseconds. An exclusive flock on a file beside the database
makes writers queue in the kernel instead, which hands the lock over the moment it is
released. Threads of one process queue on a plain lock first (flock is held per open file,
not per thread).
"""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore


class QueuedWritersSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        self._turns_path = f"{datastore.pool.db_name}.writers"
        self._in_process = threading.Lock()
        self._turns: int | None = None  # opened on first write, in the process that writes

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        with self._writer_turn():
            return super().insert_events(stored_events, **kwargs)

    @contextmanager
    def _writer_turn(self) -> Iterator[None]:
        with self._in_process:
            if self._turns is None:
                self._turns = os.open(self._turns_path, os.O_RDWR | os.O_CREAT, 0o600)
                weakref.finalize(self, os.close, self._turns)
            fcntl.flock(self._turns, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._turns, fcntl.LOCK_UN)
