"""A PostgreSQL recorder whose notification ids have no gaps.

The library's recorder takes the notification id from a sequence while inserting; when the
insert then fails on a version clash, that id is spent and the log has a hole. Readers cope,
but an audit log with holes invites the question "what was deleted?". Inserts are already
serialised by the library's table lock, so checking for the clash after taking the lock and
before touching the sequence is race-free, and raises the same IntegrityError.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier


class GaplessPostgresApplicationRecorder(PostgresApplicationRecorder):
    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        self._lock_table(curs)
        self._refuse_taken_versions(curs, stored_events)
        self._notify_channel(curs)
        PostgresAggregateRecorder._insert_stored_events(self, curs, stored_events, **kwargs)

    def _refuse_taken_versions(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent]
    ) -> None:
        first_versions: dict[Any, int] = {}
        for event in stored_events:
            first_versions.setdefault(event.originator_id, event.originator_version)
        statement = SQL(
            "SELECT max(originator_version) AS max FROM {schema}.{table} WHERE originator_id = %s"
        ).format(
            schema=Identifier(self.datastore.schema),
            table=Identifier(self.events_table_name),
        )
        for originator_id, first_version in first_versions.items():
            curs.execute(statement, (originator_id,), prepare=True)
            row = curs.fetchone()
            taken = row["max"] if row and row["max"] is not None else 0
            if first_version <= taken:
                raise IntegrityError(
                    f"version {first_version} of {originator_id} is already recorded"
                )


# Any fixed number will do; it only has to be the same in every process of the tracker.
SCHEMA_LOCK_KEY = 0x7472_6163_6B65_72  # "tracker"


@contextmanager
def schema_lock(env: Mapping[str, str]) -> Iterator[None]:
    """Serialise creating the event store's tables across processes.

    The library creates its tables, types and functions when an application starts; two
    processes doing so at the same moment (gunicorn workers, say) can collide inside
    PostgreSQL's catalog ("tuple concurrently updated"). SQLite needs no such lock.
    """
    if env.get("PERSISTENCE_MODULE") != "eventsourcing.postgres":
        yield
        return
    with psycopg.connect(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"],
        password=env.get("POSTGRES_PASSWORD") or None,
        autocommit=True,
    ) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK_KEY,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))
