"""The recorders keep the library's promises: the eventsourcing package's own recorder test
cases, run against the tracker's SQLite and PostgreSQL recorders beside the library's own,
in each variant the library supports (text or UUID originator ids, a first version of 0 or
1, PostgreSQL's database functions, SQLite's in-memory and URI names). Every case that passes
on the library's recorder passes on the tracker's."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, Literal

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore
from eventsourcing.tests.persistence import (
    ApplicationRecorderTestCase,
    NonInterleavingNotificationIDsBaseCase,
)

from tests.postgres_cluster import PostgresCluster
from tracker.persistence import GaplessPostgresApplicationRecorder
from tracker.sqlite_recorder import TrackerSQLiteApplicationRecorder


class _Variant:
    recorder_class: ClassVar[Any]
    # Cases the variant cannot pass on the library's recorder either, with the reason.
    beyond: ClassVar[dict[str, str]] = {}
    originator_id_type: ClassVar[Literal["uuid", "text"]] = "uuid"
    datastore: Any

    def new_originator_id(self) -> uuid.UUID | str:
        value = uuid.uuid4()
        return str(value) if self.originator_id_type == "text" else value

    def create_recorder(self) -> Any:
        recorder = self.recorder_class(self.datastore)
        recorder.create_table()
        return recorder

    @contextmanager
    def _threads_joined(self) -> Iterator[None]:
        """The library's concurrent case stops its readers without waiting for them: closing
        the store under a reader mid-query would crash the interpreter."""
        yield
        for thread in threading.enumerate():
            if "read_continuously" in thread.name:  # Python names a thread after its target
                thread.join(timeout=10)

    @pytest.fixture(autouse=True)
    def _within_reach(self, request: pytest.FixtureRequest) -> None:
        if request.function.__name__ in self.beyond:
            pytest.skip(self.beyond[request.function.__name__])


class _SQLite(_Variant):
    db_name: ClassVar[str] = ""  # "": a file in a fresh folder

    @pytest.fixture(autouse=True)
    def _store(self, tmp_path: Path) -> Iterator[None]:
        working = tmp_path / "working"
        working.mkdir()
        before = Path.cwd()
        os.chdir(working)  # whatever the recorder leaves beside a name it was given, is seen
        name = self.db_name or str(tmp_path / "events.sqlite")
        self.datastore = SQLiteDatastore(name, originator_id_type=self.originator_id_type)
        try:
            with self._threads_joined():
                yield
        finally:
            self.datastore.close()
            os.chdir(before)
        assert sorted(p.name for p in working.iterdir()) == [], "nothing left behind"


class _Postgres(_Variant):
    enable_db_functions: ClassVar[bool] = False

    @pytest.fixture(autouse=True)
    def _store(self, postgres_cluster: PostgresCluster) -> Iterator[None]:
        name = postgres_cluster.create_database()
        self.datastore = PostgresDatastore(
            name,
            "127.0.0.1",
            postgres_cluster.port,
            "postgres",
            "",
            originator_id_type=self.originator_id_type,
            enable_db_functions=self.enable_db_functions,
            pool_size=4,
            max_overflow=8,
        )
        try:
            with self._threads_joined():
                yield
        finally:
            self.datastore.close()
            postgres_cluster.drop_database(name)


IN_MEMORY = {
    "test_concurrent_no_conflicts": "each connection to :memory: is a database of its own",
    "test_concurrent_throughput": "each connection to :memory: is a database of its own",
    "test": "each connection to :memory: is a database of its own",
}


def _variants() -> Iterator[tuple[str, type, dict[str, Any]]]:
    sqlite = {"library": SQLiteApplicationRecorder, "tracker": TrackerSQLiteApplicationRecorder}
    postgres = {
        "library": PostgresApplicationRecorder,
        "tracker": GaplessPostgresApplicationRecorder,
    }
    for whose in ("library", "tracker"):
        for id_type in ("uuid", "text"):
            for first in (1, 0):
                common = {"originator_id_type": id_type, "INITIAL_VERSION": first}
                tag = f"{whose.title()}{id_type.title()}From{first}"
                yield f"SQLite{tag}", _SQLite, {**common, "recorder_class": sqlite[whose]}
                yield f"Postgres{tag}", _Postgres, {**common, "recorder_class": postgres[whose]}
                yield (
                    f"PostgresFunctions{tag}",
                    _Postgres,
                    {**common, "recorder_class": postgres[whose], "enable_db_functions": True},
                )
        yield (
            f"SQLiteMemory{whose.title()}",
            _SQLite,
            {"recorder_class": sqlite[whose], "db_name": ":memory:", "beyond": IN_MEMORY},
        )
        # One database shared by every connection of the process.
        uri = "file:events?mode=memory&cache=shared"
        yield (
            f"SQLiteUri{whose.title()}",
            _SQLite,
            {"recorder_class": sqlite[whose], "db_name": uri},
        )


# The library's own recorder interleaves two batches' notification ids when it inserts
# through its database functions; the tracker's, which keeps the log gapless, does not.
INTERLEAVES = {"test": "the library's recorder interleaves batches with database functions"}

for _name, _base, _attributes in _variants():
    _title = f"Test{_name}"
    globals()[_title] = type(
        _title, (_base, ApplicationRecorderTestCase), {**_attributes, "__module__": __name__}
    )
    _apart = dict(_attributes)
    if _name.startswith("PostgresFunctionsLibrary"):
        _apart["beyond"] = {**_apart.get("beyond", {}), **INTERLEAVES}
    globals()[f"{_title}NonInterleaving"] = type(
        f"{_title}NonInterleaving",
        (_base, NonInterleavingNotificationIDsBaseCase),
        {**_apart, "__module__": __name__},
    )


def _event(originator: uuid.UUID | str, version: int) -> StoredEvent:
    return StoredEvent(originator, version, "tests:Happened", b"{}")


@pytest.fixture(params=[False, True], ids=["insert", "db-functions"])
def gapless(request: pytest.FixtureRequest, postgres_cluster: PostgresCluster) -> Iterator[Any]:
    name = postgres_cluster.create_database()
    datastore = PostgresDatastore(
        name,
        "127.0.0.1",
        postgres_cluster.port,
        "postgres",
        "",
        enable_db_functions=request.param,
    )
    recorder = GaplessPostgresApplicationRecorder(datastore)
    recorder.create_table()
    yield recorder
    datastore.close()
    postgres_cluster.drop_database(name)


def test_a_refused_batch_spends_no_notification_id(gapless: Any) -> None:
    first = uuid.uuid4()
    assert gapless.insert_events([_event(first, 1)]) == [1]
    twice_in_the_batch = [_event(uuid.uuid4(), 1), _event(uuid.uuid4(), 1)]
    twice_in_the_batch[1] = _event(twice_in_the_batch[0].originator_id, 1)
    clash_second = [_event(uuid.uuid4(), 1), _event(first, 1)]
    for batch in (twice_in_the_batch, clash_second):
        with pytest.raises(IntegrityError):
            gapless.insert_events(batch)
    assert gapless.insert_events([_event(uuid.uuid4(), 1)]) == [2], "no gap in the log"
    assert gapless.insert_events([_event(first, 5)]) == [3]
    assert gapless.insert_events([_event(first, 3)]) == [4], "a lower free version is taken"
    assert gapless.insert_events([_event(uuid.uuid4(), 0)]) == [5], "a first version of 0"


@pytest.mark.parametrize(
    "recorder_class", [PostgresApplicationRecorder, GaplessPostgresApplicationRecorder]
)
def test_a_text_originator_id_may_be_given_as_a_uuid(
    postgres_cluster: PostgresCluster, recorder_class: Any
) -> None:
    name = postgres_cluster.create_database()
    datastore = PostgresDatastore(
        name, "127.0.0.1", postgres_cluster.port, "postgres", "", originator_id_type="text"
    )
    try:
        recorder = recorder_class(datastore)
        recorder.create_table()
        given = uuid.uuid4()
        recorder.insert_events([_event(given, 1)])
        with pytest.raises(IntegrityError):
            recorder.insert_events([_event(given, 1)])
        recorder.insert_events([_event(given, 2)])
        if recorder_class is GaplessPostgresApplicationRecorder:
            ids = [n.id for n in recorder.select_notifications(None, 5)]
            assert ids == [1, 2], "the clash was found before an id was spent"
        # Stored as its hex form, as psycopg writes a UUID into the library's composite type.
        assert [(n.id, n.originator_id) for n in recorder.select_notifications(None, 5)][-1][1] == (
            given.hex
        )
    finally:
        datastore.close()
        postgres_cluster.drop_database(name)


def test_a_file_uri_names_the_same_database_and_its_writers_queue_beside_it(
    tmp_path: Path,
) -> None:
    uri = f"file:{tmp_path}/events.sqlite?mode=rwc"
    one, two = SQLiteDatastore(uri), SQLiteDatastore(uri)
    try:
        first, second = TrackerSQLiteApplicationRecorder(one), TrackerSQLiteApplicationRecorder(two)
        first.create_table()
        first.insert_events([_event(uuid.uuid4(), 1)])
        second.insert_events([_event(uuid.uuid4(), 1)])
        assert [n.id for n in first.select_notifications(start=None, limit=5)] == [1, 2]
        assert (tmp_path / "events.sqlite.writers").exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "events.sqlite",
            "events.sqlite-shm",
            "events.sqlite-wal",
            "events.sqlite.writers",
        ]
    finally:
        one.close()
        two.close()
