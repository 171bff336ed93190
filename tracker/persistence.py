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
from uuid import UUID

import psycopg
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier


class GaplessPostgresApplicationRecorder(PostgresApplicationRecorder):
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not self.datastore.enable_db_functions or not stored_events:
            inserted: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
            return inserted
        # The library's database function inserts in one statement, past the check below:
        # take the table's lock and check first, in the function's own transaction.
        pg_stored_events = [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for e in stored_events
        ]
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._lock_table(curs)
            self._refuse_taken_versions(curs, stored_events)
            self._notify_channel(curs)
            curs.execute(
                self.sql_invoke_pg_function_insert_events, (pg_stored_events,), prepare=True
            )
            ids: list[int] = [row[self.pg_function_name_insert_events] for row in curs.fetchall()]
            return ids

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
        """The IntegrityError the insert would raise, raised before any notification id is
        spent: a version the batch holds twice, or one already recorded (whichever event of
        the batch it is; a lower version that is free is as welcome as it is to the library)."""
        versions: dict[Any, list[int]] = {}
        for event in stored_events:
            taken_here = versions.setdefault(self._as_stored(event.originator_id), [])
            if event.originator_version in taken_here:
                raise IntegrityError(
                    f"version {event.originator_version} of {event.originator_id} is twice "
                    "in one batch"
                )
            taken_here.append(event.originator_version)
        statement = SQL(
            "SELECT originator_version FROM {schema}.{table} "
            "WHERE originator_id = %s AND originator_version = ANY(%s) LIMIT 1"
        ).format(
            schema=Identifier(self.datastore.schema),
            table=Identifier(self.events_table_name),
        )
        for originator_id, wanted in versions.items():
            curs.execute(statement, (originator_id, wanted), prepare=True)
            row = curs.fetchone()
            if row is not None:
                raise IntegrityError(
                    f"version {row['originator_version']} of {originator_id} is already recorded"
                )

    def _as_stored(self, originator_id: Any) -> Any:
        # A text column compares with text; a UUID given for one is stored as its hex form
        # (as psycopg writes it into the library's composite type), and is looked for so.
        if self.datastore.originator_id_type == "text" and isinstance(originator_id, UUID):
            return originator_id.hex
        return originator_id


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
