"""The views in a PostgreSQL database: a pool of connections, reads in repeatable-read
snapshots, and a rebuild into a schema of its own swapped in when it is done."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql as pgsql
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from projections.db import Cursor, Params, RebuildUnderWay, Row, SharedSnapshots, ViewStore


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


FRESH_SCHEMA = "views_rebuilding"
REBUILD_LOCK_KEY = 0x7265_6275_696C_64  # "rebuild": held by the session that owns the schema


class PostgresViewStore(SharedSnapshots):
    dialect = "postgresql"

    def __init__(self, url: str, max_size: int = 10, schema: str | None = None) -> None:
        super().__init__()
        self.url = url
        self._max_size = max_size
        self._schema = schema  # None: the database's own search path
        self._pool: ConnectionPool[psycopg.Connection[Row]] | None = None
        self._lock = threading.Lock()
        self._rebuild_lock: psycopg.Connection[Any] | None = None  # a fresh store's, held

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
        # The same database (the log is beside it), another schema, renamed into place. A
        # session lock of its own says whose it is; it ends with the session, however the
        # rebuild ends.
        held = psycopg.connect(self.url, autocommit=True)
        try:
            row = held.execute("SELECT pg_try_advisory_lock(%s)", (REBUILD_LOCK_KEY,)).fetchone()
            if row is None or not row[0]:
                raise RebuildUnderWay()
            with self._connection(reading=False) as conn, conn.transaction():
                dropped = pgsql.SQL("DROP SCHEMA IF EXISTS {} CASCADE")
                conn.execute(dropped.format(_fresh_schema()))
                conn.execute(pgsql.SQL("CREATE SCHEMA {}").format(_fresh_schema()))
        except BaseException:
            held.close()
            raise
        fresh = PostgresViewStore(self.url, max_size=2, schema=FRESH_SCHEMA)
        fresh._rebuild_lock = held
        return fresh

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
        try:
            with psycopg.connect(self.url, autocommit=True) as conn:
                dropped = pgsql.SQL("DROP SCHEMA IF EXISTS {} CASCADE")
                conn.execute(dropped.format(_fresh_schema()))
        finally:
            if self._rebuild_lock is not None:
                self._rebuild_lock.close()  # the lock ends with its session
                self._rebuild_lock = None

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None


def _fresh_schema() -> pgsql.Identifier:
    return pgsql.Identifier(FRESH_SCHEMA)
