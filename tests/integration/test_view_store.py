"""The views' store on each database: a read sees one snapshot from its first statement to
its last, whatever is committed meanwhile."""

from __future__ import annotations

import os
import threading

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
