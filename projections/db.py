"""Where the views live: one interface over a SQLite file or a PostgreSQL database.

Views write SQL once, with ``?`` placeholders and portable types, and it runs on both.
Connections open lazily, in the process and thread that use them, so a store may be built
before a fork and used after it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

import psycopg
from psycopg import sql as pgsql
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

Row = dict[str, Any]
Params = Sequence[Any]


class Cursor(Protocol):
    dialect: str

    def execute(self, sql: str, params: Params = ()) -> None: ...

    def executemany(self, sql: str, rows: list[Params]) -> None: ...

    def execute_runs(self, runs: list[tuple[str, list[Params]]]) -> None: ...

    def fetchone(self) -> Row | None: ...

    def fetchall(self) -> list[Row]: ...

    def savepoint(self) -> AbstractContextManager[None]:
        """Within a write transaction: an error inside undoes only what was written inside,
        and is raised again; the transaction goes on."""
        ...


class BatchingCursor:
    """Holds a view's writes for a whole batch, then sends each run of the same statement
    with one executemany. Order is kept exactly (only neighbours merge), so the effect is the
    same as executing one by one; the saving is the per-statement cost, which on PostgreSQL
    is most of a rebuild. A SELECT sends what is held first, so reads see every write."""

    def __init__(self, inner: Cursor) -> None:
        self.inner = inner
        self.dialect = inner.dialect
        self._runs: list[tuple[str, list[Params]]] = []

    def execute(self, sql: str, params: Params = ()) -> None:
        if sql.startswith("SELECT"):
            self.flush()
            self.inner.execute(sql, params)
        elif self._runs and self._runs[-1][0] == sql:
            self._runs[-1][1].append(params)
        else:
            self._runs.append((sql, [params]))

    def executemany(self, sql: str, rows: list[Params]) -> None:
        for row in rows:
            self.execute(sql, row)

    def execute_runs(self, runs: list[tuple[str, list[Params]]]) -> None:
        for sql, rows in runs:
            self.executemany(sql, rows)

    def fetchone(self) -> Row | None:
        return self.inner.fetchone()

    def fetchall(self) -> list[Row]:
        return self.inner.fetchall()

    def flush(self) -> None:
        runs, self._runs = self._runs, []
        if runs:
            self.inner.execute_runs(runs)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        # What is held belongs before the savepoint, and what is written within is sent
        # before it is released, so that its errors are raised within.
        self.flush()
        with self.inner.savepoint():
            yield
            self.flush()


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


class PostgresCursor:
    dialect = "postgresql"

    def __init__(
        self, cursor: psycopg.Cursor[Row], pipeline: psycopg.Pipeline | None = None
    ) -> None:
        self._cursor = cursor
        self._pipeline = pipeline

    def execute(self, sql: str, params: Params = ()) -> None:
        # Views never put a literal '?' or '%' in their SQL, so the swap is safe.
        self._cursor.execute(sql.replace("?", "%s"), tuple(params))

    def executemany(self, sql: str, rows: list[Params]) -> None:
        self._cursor.executemany(sql.replace("?", "%s"), [tuple(row) for row in rows])

    def execute_runs(self, runs: list[tuple[str, list[Params]]]) -> None:
        for sql, rows in runs:
            if len(rows) == 1:
                self.execute(sql, rows[0])
            else:
                self.executemany(sql, rows)

    def fetchone(self) -> Row | None:
        self._to_latest_result()
        return self._cursor.fetchone()

    def fetchall(self) -> list[Row]:
        self._to_latest_result()
        return self._cursor.fetchall()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        # psycopg's nested transaction is a savepoint, and it knows how to recover a pipeline
        # that an error aborted.
        with self._cursor.connection.transaction():
            yield
            if self._pipeline is not None:
                self._pipeline.sync()  # errors of what was sent within are raised within

    def _to_latest_result(self) -> None:
        # In pipeline mode the cursor keeps a result for each statement sent since the last
        # fetch, oldest first; a fetch means the latest, as it does on SQLite.
        if self._pipeline is not None:
            self._pipeline.sync()
            while self._cursor.nextset():
                pass


class ViewStore(Protocol):
    dialect: str

    def transaction(self) -> Any: ...  # context manager yielding a Cursor; one writer at a time

    def read(self) -> Any: ...  # context manager yielding a Cursor over a consistent snapshot

    def snapshot(self) -> Any: ...  # context manager: this thread's reads within share one

    def refresh_statistics(self, tables: Sequence[str]) -> None: ...  # after bulk writes

    def fresh(self) -> ViewStore:
        """An empty store beside this one, for views built anew while these serve."""
        ...

    def adopt(self, fresh: ViewStore, tables: Sequence[str]) -> AbstractContextManager[Cursor]:
        """A write transaction in which the named tables are replaced by those of ``fresh``,
        all at once when it commits; the caller adds its own writes to it."""
        ...

    def discard(self) -> None:
        """Close this store and remove it (a fresh one, adopted or given up)."""
        ...

    def close(self) -> None: ...


def open_store(target: str) -> ViewStore:
    """A ``postgresql://`` URL or the path of a SQLite file."""
    if target.startswith(("postgresql://", "postgres://")):
        return PostgresViewStore(target)
    return SQLiteViewStore(Path(target))


class _SharedSnapshots:
    """Reads on one thread within ``snapshot()`` share one read transaction: a page's reads
    then see one state of the views, and on PostgreSQL cost one BEGIN and one COMMIT between
    them rather than one each (a read was three round trips; the home page makes 21 reads,
    and its p50 went from 15.7 to 9.8 ms). Nothing may be written on that thread meanwhile:
    SQLite refuses it, as a transaction within a transaction."""

    def __init__(self) -> None:
        self._held = threading.local()

    def _begin_read(self) -> AbstractContextManager[Cursor]:
        raise NotImplementedError

    @contextmanager
    def read(self) -> Iterator[Cursor]:
        held: Cursor | None = getattr(self._held, "cursor", None)
        if held is not None:
            yield held
            return
        with self._begin_read() as cur:
            yield cur

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        if getattr(self._held, "cursor", None) is not None:
            yield
            return
        with self._begin_read() as cur:
            self._held.cursor = cur
            try:
                yield
            finally:
                self._held.cursor = None


# Enough for a server's threads and the engine to find one waiting; more are opened as
# needed and closed when they come back.
IDLE_SQLITE_CONNECTIONS = 8


class SQLiteViewStore(_SharedSnapshots):
    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        # Connections are lent per transaction, not kept per thread: a server that starts
        # a thread for each request would otherwise open two files per request, for good.
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._generation = 0  # moved on by close(): what was lent before is closed on return

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # 0600 before SQLite opens it: its -wal and -shm files take its permissions.
        os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600))
        # isolation_level=None: transactions are begun explicitly, so a writer can ask
        # for the write lock up front (BEGIN IMMEDIATE) instead of upgrading mid-way.
        connection = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30
        )
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
        _remove_sqlite_file(path)
        return SQLiteViewStore(path)

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
        _remove_sqlite_file(self.path)

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


FRESH_SCHEMA = "views_rebuilding"


class PostgresViewStore(_SharedSnapshots):
    dialect = "postgresql"

    def __init__(self, url: str, max_size: int = 10, schema: str | None = None) -> None:
        super().__init__()
        self.url = url
        self._max_size = max_size
        self._schema = schema  # None: the database's own search path
        self._pool: ConnectionPool[psycopg.Connection[Row]] | None = None
        self._lock = threading.Lock()

    def _get_pool(self) -> ConnectionPool[psycopg.Connection[Row]]:
        with self._lock:
            if self._pool is None:
                kwargs: dict[str, Any] = {"row_factory": dict_row}
                if self._schema is not None:
                    kwargs["options"] = f"-c search_path={self._schema}"
                self._pool = ConnectionPool(
                    self.url,
                    min_size=1,
                    max_size=self._max_size,
                    kwargs=kwargs,
                    connection_class=psycopg.Connection[Row],
                    open=True,
                    name="views",
                )
            return self._pool

    @contextmanager
    def _connection(self, *, reading: bool) -> Iterator[psycopg.Connection[Row]]:
        with self._get_pool().connection() as conn:
            # Set on every checkout (no round trip: psycopg puts them in the next BEGIN), as
            # pooled connections serve reads and writes in turn.
            if reading:
                # One snapshot for all of a read's statements, as SQLite's BEGIN gives: under
                # READ COMMITTED each statement saw whatever the engine had committed by then,
                # so a page could add up weeks and members from two different batches.
                conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                conn.read_only = True
            else:
                conn.isolation_level = None  # the server's default, READ COMMITTED
                conn.read_only = None
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        # Pipeline mode sends a batch's statements without waiting for each answer: views
        # write many rows per batch, and a round trip per row would dominate on PostgreSQL.
        with self._connection(reading=False) as conn, conn.transaction(), conn.pipeline() as p:
            with conn.cursor() as cur:
                yield PostgresCursor(cur, p)

    @contextmanager
    def _begin_read(self) -> Iterator[Cursor]:
        # Without a pipeline: one sending BEGIN with the first query and COMMIT at its end
        # made a home page slower, its syncs costing more than the round trip they spared.
        with self._connection(reading=True) as conn, conn.transaction():
            with conn.cursor() as cur:
                yield PostgresCursor(cur)

    def refresh_statistics(self, tables: Sequence[str]) -> None:
        # The views' tables alone: the event store's are the library's, and large.
        with self._connection(reading=False) as conn, conn.transaction():
            conn.execute(
                pgsql.SQL("ANALYZE {}").format(pgsql.SQL(", ").join(map(pgsql.Identifier, tables)))
            )

    def fresh(self) -> PostgresViewStore:
        # The same database (the log is beside it), another schema, renamed into place.
        with self._connection(reading=False) as conn, conn.transaction():
            conn.execute(pgsql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(_fresh_schema()))
            conn.execute(pgsql.SQL("CREATE SCHEMA {}").format(_fresh_schema()))
        return PostgresViewStore(self.url, max_size=2, schema=FRESH_SCHEMA)

    @contextmanager
    def adopt(self, fresh: ViewStore, tables: Sequence[str]) -> Iterator[Cursor]:
        assert isinstance(fresh, PostgresViewStore) and fresh._schema is not None
        with self._connection(reading=False) as conn, conn.transaction():
            row = conn.execute("SELECT current_schema() AS here").fetchone()
            assert row is not None
            here, there = pgsql.Identifier(row["here"]), pgsql.Identifier(fresh._schema)
            for table in map(pgsql.Identifier, tables):
                conn.execute(pgsql.SQL("DROP TABLE IF EXISTS {}.{}").format(here, table))
                conn.execute(
                    pgsql.SQL("ALTER TABLE {}.{} SET SCHEMA {}").format(there, table, here)
                )
            with conn.cursor() as cur:
                yield PostgresCursor(cur)

    def discard(self) -> None:
        assert self._schema is not None, "only a fresh store is discarded"
        self.close()
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(pgsql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(_fresh_schema()))

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None


def _fresh_schema() -> pgsql.Identifier:
    return pgsql.Identifier(FRESH_SCHEMA)
