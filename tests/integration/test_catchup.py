"""The catch-up engine: exactly once, restartable, rebuildable, on each store."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest

from projections.catchup import RESTATE_AFTER, ViewsBehindError
from projections.db import Cursor
from tests.support import fresh_engine, rebuilt_copy, snapshot_views
from tracker import ids
from tracker.application import TrackerApplication
from tracker.bootstrap import Tracker
from tracker.demo import COACH_EMAIL
from tracker.domain.feedback import FeedbackNote
from tracker.settings import Settings

COACH = ids.account_id(COACH_EMAIL)


def test_rebuild_equals_the_live_views(tracker: Tracker, demo: UUID) -> None:
    live = snapshot_views(tracker.store)
    assert rebuilt_copy(tracker) == live
    assert tracker.engine.position() == tracker.app.recorder.max_notification_id()


def test_a_restarted_engine_continues_from_its_position(
    tracker: Tracker, clock: Any, settings: Settings
) -> None:
    from tracker.demo import load_demo

    load_demo(tracker.service, clock)
    first = fresh_engine(tracker.app, tracker.store, batch_size=50)
    assert first._apply_next_batch() == 50
    assert first.position() == 50
    second = fresh_engine(tracker.app, tracker.store, batch_size=50)
    applied = second.run_once()
    assert applied == tracker.app.recorder.max_notification_id() - 50
    live = snapshot_views(tracker.store)
    assert rebuilt_copy(tracker) == live


def test_engines_racing_apply_each_event_once(tracker: Tracker, clock: Any) -> None:
    from tracker.demo import load_demo

    load_demo(tracker.service, clock)
    engines = [fresh_engine(tracker.app, tracker.store, batch_size=7) for _ in range(4)]
    applied: list[int] = []
    threads = [threading.Thread(target=lambda e=e: applied.append(e.run_once())) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(applied) == tracker.app.recorder.max_notification_id()
    live = snapshot_views(tracker.store)
    assert rebuilt_copy(tracker) == live


class FailingView:
    name = "failing"

    def __init__(self, fail_on: type) -> None:
        self.fail_on = fail_on

    def create(self, cur: Cursor) -> None:
        pass

    def drop(self, cur: Cursor) -> None:
        pass

    def handle_batch(self, cur: Cursor, events: Sequence[tuple[int, object]]) -> None:
        if any(isinstance(event, self.fail_on) for _, event in events):
            raise RuntimeError("this view cannot cope")


def test_a_failing_view_rolls_back_its_whole_batch(tracker: Tracker, demo: UUID) -> None:
    before = snapshot_views(tracker.store)
    position = tracker.engine.position()
    tracker.service.request_tending(COACH, demo, {"message": "first, applied with the batch"})
    tracker.service.log_feedback(COACH, demo, {"text": "then this", "valence": "neutral"})
    engine = fresh_engine(tracker.app, tracker.store)
    engine.views.append(FailingView(FeedbackNote.Logged))
    with pytest.raises(RuntimeError):
        engine.run_once()
    assert engine.position() == position
    assert snapshot_views(tracker.store) == before, "nothing of the failed batch was written"
    assert gc.isenabled(), "the garbage collector resumes after a failed batch"


class CollectorWatchingView(FailingView):
    """Notes whether the cyclic garbage collector ran while the engine applied a batch."""

    def __init__(self) -> None:
        super().__init__(fail_on=type(None))
        self.collecting: list[bool] = []

    def handle_batch(self, cur: Cursor, events: Sequence[tuple[int, object]]) -> None:
        self.collecting.append(gc.isenabled())


def test_the_garbage_collector_waits_for_each_batch_and_resumes(
    tracker: Tracker, demo: UUID
) -> None:
    engine = fresh_engine(tracker.app, tracker.store, batch_size=50)
    watcher = CollectorWatchingView()
    engine.views.append(watcher)
    engine.rebuild()
    assert len(watcher.collecting) > 2 and not any(watcher.collecting)
    assert gc.isenabled()
    gc.disable()  # paused by someone else: the engine leaves it as it found it
    try:
        engine.rebuild()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_wait_for_returns_once_the_views_have_caught_up(tracker: Tracker, demo: UUID) -> None:
    result = tracker.service.request_tending(COACH, demo, {"message": "now"})
    with pytest.raises(ViewsBehindError) as behind:
        tracker.engine.wait_for(result.notification_id, timeout=0.05)
    assert behind.value.awaited == result.notification_id
    tracker.project_in_background(poll_interval=10)
    tracker.engine.wake()
    tracker.engine.wait_for(result.notification_id, timeout=5)
    later = tracker.service.request_tending(COACH, demo, {"message": "later"})
    tracker.engine.wait_for(later.notification_id, timeout=5)  # woken by the save itself


def _project_slowly(settings: Settings) -> None:
    tracker = Tracker.build(settings)
    tracker.engine.views.append(SlowView())
    tracker.engine.batch_size = 20
    tracker.engine.run_once()


class SlowView:
    """Slow enough that the engine is surely killed in the middle of a batch."""

    name = "slow"

    def create(self, cur: Cursor) -> None:
        pass

    def drop(self, cur: Cursor) -> None:
        pass

    def handle_batch(self, cur: Cursor, events: Sequence[tuple[int, object]]) -> None:
        time.sleep(0.003 * len(events))


@pytest.mark.slow
def test_an_engine_killed_mid_batch_leaves_views_a_restart_completes(
    tracker: Tracker, clock: Any, settings: Settings
) -> None:
    from tracker.demo import load_demo

    load_demo(tracker.service, clock)
    child = multiprocessing.get_context("spawn").Process(target=_project_slowly, args=(settings,))
    child.start()
    deadline = time.monotonic() + 30
    while tracker.engine.position() < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert child.pid is not None
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    reached = tracker.engine.position()
    assert 0 < reached < tracker.app.recorder.max_notification_id(), "killed mid-run"
    tracker.engine.run_once()
    live = snapshot_views(tracker.store)
    assert rebuilt_copy(tracker) == live


def test_encrypted_payloads_are_unreadable_at_rest(settings: Settings, clock: Any) -> None:
    from eventsourcing.cryptography import AESCipher

    from tracker.domain.account import Account

    key = AESCipher.create_key(32)
    secret = Settings(settings.data_dir, settings.database_url, cipher_key=key)
    app = TrackerApplication(env=secret.event_store_env())
    try:
        account = Account.register(email="secret@example.org", name="Sable Secret", at=clock.now())
        app.save(account)
        (stored,) = app.recorder.select_notifications(start=1, limit=10)
        assert b"Sable" not in stored.state and b"secret@" not in stored.state
        assert app.repository.get(account.id).name == "Sable Secret"
    finally:
        app.close()
    plain = TrackerApplication(env=settings.event_store_env())
    try:
        with pytest.raises(ValueError):
            plain.repository.get(account.id)
    finally:
        plain.close()


def test_views_of_a_new_shape_are_rebuilt_from_the_log(tracker: Tracker, demo: UUID) -> None:
    from projections.catchup import CatchUpEngine
    from projections.views import all_views
    from projections.views.directory import DirectoryView

    live = snapshot_views(tracker.store)
    with tracker.store.transaction() as cur:  # rows an older handler might have written
        cur.execute("UPDATE v_alliances SET title = 'stale'")

    unchanged = fresh_engine(tracker.app, tracker.store)
    assert unchanged.position() == tracker.app.recorder.max_notification_id()

    class Revised(DirectoryView):
        revision = DirectoryView.revision + 1

    views = [Revised() if isinstance(v, DirectoryView) else v for v in all_views()]
    revised = CatchUpEngine(tracker.app.recorder, tracker.app.mapper, tracker.store, views)
    revised.setup()
    assert revised.position() == 0
    revised.run_once()
    assert snapshot_views(tracker.store) == live
    again = CatchUpEngine(tracker.app.recorder, tracker.app.mapper, tracker.store, views)
    again.setup()
    assert again.position() == tracker.app.recorder.max_notification_id()


def _project_and_poll_only_every_minute(settings: Settings) -> None:
    tracker = Tracker.build(settings)
    tracker.engine.run_forever(threading.Event(), poll_interval=60)


@pytest.mark.slow
def test_a_save_in_one_process_wakes_the_projector_in_another(
    tracker: Tracker, demo: UUID, settings: Settings
) -> None:
    """How gunicorn runs: workers record, a `tracker project` process keeps the views. The
    projector polls only every minute here, so an answer within seconds means the save woke
    it: NOTIFY on PostgreSQL, the doorbell on SQLite."""
    child = multiprocessing.get_context("spawn").Process(
        target=_project_and_poll_only_every_minute, args=(settings,), daemon=True
    )
    child.start()
    try:
        tracker.engine.wait_for(tracker.app.recorder.max_notification_id() or 0, timeout=30)
        time.sleep(0.5)  # its listener is listening once it has caught up; a margin for that
        for turn in range(3):
            result = tracker.service.request_tending(COACH, demo, {"message": f"ring {turn}"})
            tracker.engine.wait_for(result.notification_id, timeout=10)
    finally:
        child.terminate()
        child.join()


def test_a_long_catch_up_leaves_the_planner_statistics_of_the_views(
    postgres_url: str, tmp_path: Path
) -> None:
    """Without them PostgreSQL planned a 100,000-note alliance's page as a scan of all of it."""
    tracker = Tracker.build(Settings(tmp_path, postgres_url, None))
    try:
        author = ids.account_id("ada@example.org")
        alliance = uuid4()
        notes = [
            FeedbackNote.log(
                alliance_id=alliance,
                author_id=author,
                text=f"note {number}",
                valence="neutral",
                visibility="shared",
                term_id=None,
                term_version=None,
                at=datetime(2026, 1, 1, tzinfo=UTC),
            )
            for number in range(RESTATE_AFTER)
        ]
        tracker.app.save(*notes)
        assert tracker.engine.run_once() == RESTATE_AFTER
        with psycopg.connect(postgres_url) as conn:
            row = conn.execute("SELECT reltuples FROM pg_class WHERE relname = 'v_feedback'")
            estimated = row.fetchone()
        assert estimated is not None and estimated[0] == RESTATE_AFTER
    finally:
        tracker.close()
