"""The tracker's SQLite recorder: writers in every process queue for the write lock, and the
log is read back without the library's per-row overhead.

SQLite admits one writer at a time. A writer that finds the database locked sleeps in
SQLite's busy handler (1, 2, 5, 10 ms and longer) before trying again, so when gunicorn's
workers record at once the lock sits idle while they sleep: fewer notes per second, and the
slowest answers wait tens of milliseconds. An exclusive flock on a file beside the database
makes writers queue in the kernel instead, which hands the lock over the moment it is
released. Threads of one process queue on a plain lock first (flock is held per open file,
not per thread).

Reading: the library builds each notification from a row looked up by column name, a new
UUID from text and a frozen dataclass's field-by-field constructor; over a long log those
were half the cost of reading it.
"""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote, urlsplit
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

from tracker.stored_form import recurring_uuid


class TrackerSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        self._turns_path = _turns_path(datastore.pool.db_name)
        self._in_process = threading.Lock()
        self._turns: int | None = None  # opened on first write, in the process that writes

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        with self._writer_turn():
            return super().insert_events(stored_events, **kwargs)

    def convert_originator_id(self, originator_id: str) -> UUID | str:
        if self.datastore.originator_id_type == "uuid":
            return recurring_uuid(originator_id)
        return originator_id

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        conditions: list[str] = []
        params: list[int | str] = []
        if start is not None:
            conditions.append("rowid >= ?" if inclusive_of_start else "rowid > ?")
            params.append(start)
        if stop is not None:
            conditions.append("rowid <= ?")
            params.append(stop)
        if topics:
            conditions.append(f"topic IN ({', '.join('?' * len(topics))})")
            params.extend(topics)
        where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
        params.append(limit)
        statement = (
            "SELECT rowid, originator_id, originator_version, topic, state "
            f"FROM {self.events_table_name} {where}ORDER BY rowid LIMIT ?"
        )
        convert = self.convert_originator_id
        with self.datastore.transaction(commit=False) as c:
            c.execute(statement, params)
            return [
                _notification(
                    {
                        "id": row[0],
                        "originator_id": convert(row[1]),
                        "originator_version": row[2],
                        "topic": row[3],
                        "state": row[4],
                    }
                )
                for row in c.fetchall()
            ]

    @contextmanager
    def _writer_turn(self) -> Iterator[None]:
        with self._in_process:
            if self._turns_path is None:  # in memory: no other process can write to it
                yield
                return
            if self._turns is None:
                self._turns = os.open(self._turns_path, os.O_RDWR | os.O_CREAT, 0o600)
                weakref.finalize(self, os.close, self._turns)
            fcntl.flock(self._turns, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._turns, fcntl.LOCK_UN)


def _turns_path(db_name: str) -> str | None:
    """The file beside the database that writers of every process queue on; None for a
    database in memory, which only this process can reach. A file: URI names its path."""
    if db_name == ":memory:" or "mode=memory" in db_name or db_name.startswith("file::memory:"):
        return None
    if db_name.startswith("file:"):
        return unquote(urlsplit(db_name).path) + ".writers"
    return f"{db_name}.writers"


def _notification(fields: dict[str, Any]) -> Notification:
    """A Notification given its fields at once, as the library's mapper makes domain events:
    the frozen dataclass's constructor sets them one by one through object.__setattr__."""
    notification = object.__new__(Notification)
    object.__setattr__(notification, "__dict__", fields)
    return notification
