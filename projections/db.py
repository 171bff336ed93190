"""Where the views live: one interface over a SQLite file (projections.sqlite_store) or a
PostgreSQL database (projections.postgres_store), opened by projections.stores.

Views write SQL once, with ``?`` placeholders and portable types, and it runs on both.
Connections open lazily, in the process and thread that use them, so a store may be built
before a fork and used after it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

Row = dict[str, Any]
Params = Sequence[Any]


class RebuildUnderWay(RuntimeError):
    """Another rebuild holds the fresh store: two would each drop the other's tables."""

    def __init__(self) -> None:
        super().__init__("another rebuild of these views is under way; wait for it to end")


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


class ViewStore(Protocol):
    dialect: str

    def transaction(self) -> Any: ...  # context manager yielding a Cursor; one writer at a time

    def read(self) -> Any: ...  # context manager yielding a Cursor over a consistent snapshot

    def snapshot(self) -> Any: ...  # context manager: this thread's reads within share one

    def refresh_statistics(self, tables: Sequence[str]) -> None: ...  # after bulk writes

    def fresh(self) -> ViewStore:
        """An empty store beside this one, for views built anew while these serve; one at a
        time (RebuildUnderWay while another is), until it is discarded."""
        ...

    def adopt(self, fresh: ViewStore, tables: Sequence[str]) -> AbstractContextManager[Cursor]:
        """A write transaction in which the named tables are replaced by those of ``fresh``,
        all at once when it commits; the caller adds its own writes to it."""
        ...

    def discard(self) -> None:
        """Close this store and remove it (a fresh one, adopted or given up)."""
        ...

    def close(self) -> None: ...


class SharedSnapshots:
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
