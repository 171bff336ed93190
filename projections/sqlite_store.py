"""The views in a SQLite file: one writer at a time, readers on connections lent per
transaction, and a rebuild into a fresh file attached and copied over when it is done."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from projections.db import Cursor, Params, RebuildUnderWay, Row, SharedSnapshots, ViewStore
from tracker.private_files import create_private


class SQLiteCursor:
    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._cursor = connection.cursor()

    def execute(self, sql: str, params: Params = ()) -> None:
        self._cursor.execute(sql, params)

    def executemany(self, sql: str, rows: list[Params]) -> None:
        self._cursor.executemany(sql, rows)

    def execute_runs(self, runs: list[tuple[str, list[Params]]]) -> None:
        for sql, rows in runs:
            self._cursor.executemany(sql, rows)

    def fetchone(self) -> Row | None:
        row = self._cursor.fetchone()
        return dict(zip(self._names(), row, strict=True)) if row is not None else None

    def fetchall(self) -> list[Row]:
        rows = self._cursor.fetchall()
        if not rows:
            return []
        names = self._names()
        return [dict(zip(names, row, strict=True)) for row in rows]

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        self._cursor.execute("SAVEPOINT view_batch")
        try:
            yield
        except BaseException:
            self._cursor.execute("ROLLBACK TO view_batch")
            self._cursor.execute("RELEASE view_batch")
            raise
        self._cursor.execute("RELEASE view_batch")

    def _names(self) -> list[str]:
        # Plain tuples zipped with the column names once per query: building a sqlite3.Row
        # and then a dict from it, key by key, was most of the cost of reading a wide row.
        return [column[0] for column in self._cursor.description]


# Enough for a server's threads and the engine to find one waiting; more are opened as
# needed and closed when they come back.
IDLE_SQLITE_CONNECTIONS = 8


class SQLiteViewStore(SharedSnapshots):
    dialect = "sqlite"

    def __init__(self, path: Path, *, scratch: bool = False) -> None:
        super().__init__()
        self.path = path
        # A rebuild's fresh file is thrown away if anything stops the rebuild, and the next
        # one starts it again: it needs no write-ahead log and no syncing to disk.
        self.scratch = scratch
        # Connections are lent per transaction, not kept per thread: a server that starts
        # a thread for each request would otherwise open two files per request, for good.
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._generation = 0  # moved on by close(): what was lent before is closed on return
        self._rebuild_lock: int | None = None  # a fresh store's lock file, held

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        create_private(self.path)
        # isolation_level=None: transactions are begun explicitly, so a writer can ask
        # for the write lock up front (BEGIN IMMEDIATE) instead of upgrading mid-way.
        connection = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30
        )
        if self.scratch:
            connection.execute("PRAGMA journal_mode=MEMORY")
            connection.execute("PRAGMA synchronous=OFF")
            return connection
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA wal_autocheckpoint=10000")
        return connection

    @contextmanager
    def _lent(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            connection = self._idle.pop() if self._idle else None
            generation = self._generation
        if connection is None:
            connection = self._open()
        try:
            yield connection
        finally:
            with self._lock:
                keep = generation == self._generation and len(self._idle) < IDLE_SQLITE_CONNECTIONS
                if keep:
                    self._idle.append(connection)
            if not keep:
                connection.close()

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Cursor]:
        with self._lent() as connection, self._within(connection, begin) as cur:
            yield cur

    @staticmethod
    @contextmanager
    def _within(connection: sqlite3.Connection, begin: str) -> Iterator[Cursor]:
        connection.execute(begin)
        try:
            yield SQLiteCursor(connection)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def transaction(self) -> Any:
        return self._transaction("BEGIN IMMEDIATE")

    def _begin_read(self) -> AbstractContextManager[Cursor]:
        return self._transaction("BEGIN")

    def refresh_statistics(self, tables: Sequence[str]) -> None:
        # SQLite's own advice: analyses only the tables whose statistics would change plans.
        with self._lent() as connection:
            connection.execute("PRAGMA optimize")

    def fresh(self) -> SQLiteViewStore:
        path = self.path.with_name(self.path.name + ".rebuilding")
        # A lock file of its own, not the database: closing a descriptor of a database file
        # would drop SQLite's own locks on it. The lock ends with the process, however the
        # rebuild ends.
        lock_path = path.with_name(path.name + ".lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        create_private(lock_path)
        held = os.open(lock_path, os.O_RDWR)
        try:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(held)
            raise RebuildUnderWay() from None
        try:
            _remove_sqlite_file(path)
        except BaseException:
            os.close(held)
            raise
        fresh = SQLiteViewStore(path, scratch=True)
        fresh._rebuild_lock = held
        return fresh

    @contextmanager
    def adopt(self, fresh: ViewStore, tables: Sequence[str]) -> Iterator[Cursor]:
        # The rows are copied, in one transaction: renaming the file under the other
        # processes' open connections (and the old file's write-ahead log) is not safe.
        assert isinstance(fresh, SQLiteViewStore)
        with self._lent() as connection, self._attached(connection, fresh.path):
            with self._within(connection, "BEGIN IMMEDIATE") as cur:
                marks = ", ".join("?" for _ in tables)
                schema = connection.execute(
                    f"SELECT type, name, sql FROM fresh.sqlite_master WHERE tbl_name IN ({marks})"
                    " AND sql IS NOT NULL ORDER BY type = 'index'",
                    tuple(tables),
                ).fetchall()
                for table in tables:
                    connection.execute(f"DROP TABLE IF EXISTS main.{table}")
                for kind, name, ddl in schema:
                    connection.execute(ddl)  # unqualified: made in main
                    if kind == "table":
                        connection.execute(f"INSERT INTO main.{name} SELECT * FROM fresh.{name}")
                yield cur

    @staticmethod
    @contextmanager
    def _attached(connection: sqlite3.Connection, path: Path) -> Iterator[None]:
        connection.execute("ATTACH DATABASE ? AS fresh", (str(path),))  # not within one
        try:
            yield
        finally:
            connection.execute("DETACH DATABASE fresh")

    def discard(self) -> None:
        self.close()
        try:
            _remove_sqlite_file(self.path)
        finally:
            if self._rebuild_lock is not None:
                os.close(self._rebuild_lock)  # a lock file's: no database's locks go with it
                self._rebuild_lock = None

    def close(self) -> None:
        # Connections lent out when the store closes are closed as they come back.
        with self._lock:
            idle, self._idle = self._idle, []
            self._generation += 1
        for connection in idle:
            connection.close()


def _remove_sqlite_file(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
