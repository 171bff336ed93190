"""The views' store on each database: a read sees one snapshot from its first statement to
its last, whatever is committed meanwhile."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from projections.db import RebuildUnderWay
from projections.sqlite_store import SQLiteViewStore
from projections.stores import open_store
from shell.settings import Settings


def test_a_read_sees_one_snapshot_while_a_write_commits(settings: Settings) -> None:
    store = open_store(settings.views_target)
    try:
        with store.transaction() as cur:
            cur.execute("CREATE TABLE snapshot_probe (n INTEGER NOT NULL)")
            cur.execute("INSERT INTO snapshot_probe (n) VALUES (1)")

        def write() -> None:  # another thread: another connection
            with store.transaction() as cur:
                cur.execute("UPDATE snapshot_probe SET n = 2")

        with store.read() as cur:
            cur.execute("SELECT n FROM snapshot_probe")
            first = cur.fetchone()
            writer = threading.Thread(target=write)
            writer.start()
            writer.join(timeout=10)
            assert not writer.is_alive(), "a read must not hold a writer back"
            cur.execute("SELECT n FROM snapshot_probe")
            again = cur.fetchone()
        assert first == again == {"n": 1}
        with store.read() as cur:
            cur.execute("SELECT n FROM snapshot_probe")
            assert cur.fetchone() == {"n": 2}, "the next read sees the commit"
        with store.transaction() as cur:  # a write after reads on the same connections
            cur.execute("UPDATE snapshot_probe SET n = 3")
        with store.read() as cur:
            cur.execute("SELECT n FROM snapshot_probe")
            assert cur.fetchone() == {"n": 3}
    finally:
        store.close()


def test_reads_within_a_snapshot_share_it_and_the_next_read_sees_the_commit(
    settings: Settings,
) -> None:
    store = open_store(settings.views_target)
    try:
        with store.transaction() as cur:
            cur.execute("CREATE TABLE snapshot_probe (n INTEGER NOT NULL)")
            cur.execute("INSERT INTO snapshot_probe (n) VALUES (1)")

        def read() -> object:
            with store.read() as cur:
                cur.execute("SELECT n FROM snapshot_probe")
                return cur.fetchone()

        def write() -> None:
            with store.transaction() as cur:
                cur.execute("UPDATE snapshot_probe SET n = n + 1")

        seen_elsewhere: list[object] = []
        with store.snapshot():
            first = read()
            writer = threading.Thread(target=write)
            writer.start()
            writer.join(timeout=10)
            assert not writer.is_alive()
            with store.snapshot():  # nested: still the same snapshot
                again = read()
            # Another thread is not in this snapshot: it sees the commit.
            other = threading.Thread(target=lambda: seen_elsewhere.append(read()))
            other.start()
            other.join(timeout=10)
        assert first == again == {"n": 1}
        assert seen_elsewhere == [{"n": 2}]
        assert read() == {"n": 2}
        write()  # the thread writes again once its snapshot is over
        assert read() == {"n": 3}
    finally:
        store.close()


def test_a_thread_for_each_request_does_not_keep_connections_open(settings: Settings) -> None:
    # `tracker serve` starts a thread per request; a connection kept for each thread ran
    # the process out of file descriptors after some thousands of requests.
    store = open_store(settings.views_target)
    try:
        with store.transaction() as cur:
            cur.execute("CREATE TABLE fd_probe (n INTEGER NOT NULL)")

        def request() -> None:
            with store.read() as cur:
                cur.execute("SELECT n FROM fd_probe")
            with store.transaction() as cur:
                cur.execute("INSERT INTO fd_probe (n) VALUES (1)")

        def open_descriptors() -> int:
            return len(os.listdir("/proc/self/fd"))

        request()
        before = open_descriptors()
        for _ in range(200):
            thread = threading.Thread(target=request)
            thread.start()
            thread.join()
        assert open_descriptors() - before < 20
    finally:
        store.close()


def test_another_process_closing_the_views_leaves_this_one_s_write_ahead_log(
    tmp_path: Path,
) -> None:
    """A new connection once opened and closed the file first, which dropped every POSIX
    lock this process held on it: the next process to close then believed itself the last,
    and deleted the write-ahead log under this one (after `tracker rebuild` beside `tracker
    serve`, the two processes saw different views)."""
    path = tmp_path / "views.sqlite"
    store = SQLiteViewStore(path)
    try:
        with store.transaction() as cur:
            cur.execute("CREATE TABLE probe (n INTEGER NOT NULL)")
        reading, written = threading.Event(), threading.Event()

        def read_meanwhile() -> None:
            with store.read() as cur:
                cur.execute("SELECT count(*) AS n FROM probe")
                reading.set()
                written.wait(10)

        reader = threading.Thread(target=read_meanwhile)
        reader.start()
        reading.wait(10)
        with store.transaction() as cur:  # a second connection, opened while one is
            cur.execute("INSERT INTO probe (n) VALUES (1)")
        written.set()
        reader.join()
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"import sqlite3; c = sqlite3.connect({str(path)!r}); "
                "c.execute('SELECT count(*) FROM probe'); c.close()",
            ],
            check=True,
        )
        assert (tmp_path / "views.sqlite-wal").exists(), "this process still has it open"
        with store.transaction() as cur:
            cur.execute("INSERT INTO probe (n) VALUES (2)")
        seen = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import sqlite3; print(sqlite3.connect({str(path)!r})"
                ".execute('SELECT count(*) FROM probe').fetchone()[0])",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        assert seen.stdout.strip() == "2", "another process sees every write"
    finally:
        store.close()


def test_one_rebuild_at_a_time_holds_the_fresh_store(settings: Settings) -> None:
    """Two rebuilds at once would each drop the other's fresh tables."""
    store = open_store(settings.views_target)
    try:
        fresh = store.fresh()
        with pytest.raises(RebuildUnderWay):
            store.fresh()
        fresh.discard()
        store.fresh().discard()  # free again once the first is done
    finally:
        store.close()
