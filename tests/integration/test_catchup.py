"""The catch-up engine: exactly once, restartable, rebuildable, on each store."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent

from projections import quarantine
from projections.catchup import RESTATE_AFTER, ViewsBehindError
from projections.db import Cursor
from projections.postgres_store import FRESH_SCHEMA
from shell import cli
from shell.bootstrap import Tracker
from shell.demo import CLIENT_EMAIL, COACH_EMAIL
from shell.settings import Settings
from tests.support import fresh_engine, rebuilt_copy, snapshot_views
from tracker import ids
from tracker.application import TrackerApplication
from tracker.domain.feedback import FeedbackNote

COACH = ids.account_id(COACH_EMAIL)
CLIENT = ids.account_id(CLIENT_EMAIL)


def test_rebuild_equals_the_live_views(tracker: Tracker, demo: UUID) -> None:
    live = snapshot_views(tracker.store)
    assert rebuilt_copy(tracker) == live
    assert tracker.engine.position() == tracker.app.recorder.max_notification_id()


def test_a_restarted_engine_continues_from_its_position(
    tracker: Tracker, clock: Any, settings: Settings
) -> None:
    from shell.demo import load_demo

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
    from shell.demo import load_demo

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

    def __init__(
        self, fail_on: type, only: int | None = None, error: type[Exception] = RuntimeError
    ) -> None:
        self.fail_on = fail_on
        self.only = only
        self.error = error
        self.applied: list[int] = []

    def create(self, cur: Cursor) -> None:
        pass

    def drop(self, cur: Cursor) -> None:
        pass

    def shape(self) -> str:
        return "failing"

    def handle_batch(self, cur: Cursor, events: Sequence[tuple[int, object]]) -> None:
        for notification_id, event in events:
            if isinstance(event, self.fail_on) and self.only in (None, notification_id):
                error = self.error("this view cannot cope")
                if isinstance(error, sqlite3.Error):
                    error.sqlite_errorcode = 5  # SQLITE_BUSY, as a store under load says
                raise error
        self.applied += [n for n, e in events if isinstance(e, FeedbackNote.Logged)]


def test_an_event_a_view_cannot_apply_is_held_and_every_view_goes_on(
    tracker: Tracker, demo: UUID
) -> None:
    tracker.service.request_tending(COACH, demo, {"message": "first, in the same batch"})
    bad = tracker.service.log_feedback(COACH, demo, {"text": "held", "valence": "neutral"})
    after = tracker.service.log_feedback(COACH, demo, {"text": "after", "valence": "neutral"})
    engine = fresh_engine(tracker.app, tracker.store)
    failing = FailingView(FeedbackNote.Logged, only=bad.notification_id)
    engine.views.append(failing)
    engine.run_once()
    assert engine.position() == tracker.app.recorder.max_notification_id()
    assert failing.applied == [after.notification_id], "the view goes on past what it held"
    [held] = engine.held()
    assert (held.view, held.notification_id, held.attempts) == ("failing", bad.notification_id, 1)
    assert held.topic.endswith("FeedbackNote.Logged")
    assert "this view cannot cope" in held.error
    assert tracker.queries.note(demo, COACH, bad["note_id"]) is not None, (
        "the other views are not held back"
    )
    assert engine.held_count() == 1

    failing.only = None  # fixed: a retry applies it, and nothing stays held
    failing.fail_on = type(None)
    assert engine.retry_held() == []
    assert bad.notification_id in failing.applied


def test_the_later_events_of_an_aggregate_wait_behind_its_held_one(
    tracker: Tracker, demo: UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Applied without the note they change, a retraction found nothing to retract; the
    note, applied at last by a retry, was then shown to the other member as never taken
    back."""
    note = tracker.service.log_feedback(COACH, demo, {"text": "taken back", "valence": "concern"})
    records = next(view for view in tracker.engine.views if view.name == "records")
    handle_batch = records.handle_batch

    def cannot_cope_with_the_note(cur: Cursor, events: Sequence[tuple[int, object]]) -> None:
        if any(number == note.notification_id for number, _ in events):
            raise RuntimeError("records cannot cope")
        handle_batch(cur, events)

    monkeypatch.setattr(records, "handle_batch", cannot_cope_with_the_note)
    tracker.engine.run_once()
    retracted = tracker.service.retract_feedback(COACH, demo, note["note_id"])
    other = tracker.service.log_feedback(COACH, demo, {"text": "another", "valence": "neutral"})
    tracker.engine.run_once()
    held = tracker.engine.held()
    assert [(item.view, item.notification_id) for item in held] == [
        ("records", note.notification_id),
        ("records", retracted.notification_id),
    ]
    assert "waits behind" in held[1].error
    assert tracker.queries.note(demo, COACH, other["note_id"]) is not None, "others go on"
    assert tracker.engine.retry_held()[0].attempts == 2, "still failing: both stay held"
    assert len(tracker.engine.held()) == 2

    monkeypatch.setattr(records, "handle_batch", handle_batch)  # fixed
    assert tracker.engine.retry_held() == []
    assert tracker.queries.note(demo, CLIENT, note["note_id"]) is None, "taken back, as it was"
    live = snapshot_views(tracker.store)
    assert rebuilt_copy(tracker) == live


class FailingMapper:
    """The engine's mapper, except that one notification cannot be read back."""

    def __init__(self, mapper: Any, unreadable: int) -> None:
        self.mapper, self.unreadable = mapper, unreadable

    def __getattr__(self, name: str) -> Any:
        return getattr(self.mapper, name)

    def to_domain_event(self, stored: Any) -> Any:
        if stored.id == self.unreadable:
            raise ValueError("cannot be read back")
        return self.mapper.to_domain_event(stored)


def test_the_later_events_of_an_unreadable_one_wait_behind_it_in_its_own_batch(
    tracker: Tracker, demo: UUID
) -> None:
    note = tracker.service.log_feedback(COACH, demo, {"text": "taken back", "valence": "concern"})
    retracted = tracker.service.retract_feedback(COACH, demo, note["note_id"])
    mapper = tracker.engine.mapper
    tracker.engine.mapper = FailingMapper(mapper, note.notification_id)
    tracker.engine.run_once()
    held = {(item.view, item.notification_id) for item in tracker.engine.held()}
    assert ("records", retracted.notification_id) in held, "the retraction waits behind"
    tracker.engine.mapper = mapper  # readable again
    assert tracker.engine.retry_held() == []
    assert tracker.queries.note(demo, CLIENT, note["note_id"]) is None, "taken back, as it was"


def test_a_held_event_is_said_once_in_the_log_not_at_every_pass(
    tracker: Tracker, demo: UUID, caplog: pytest.LogCaptureFixture
) -> None:
    bad = tracker.service.log_feedback(COACH, demo, {"text": "held", "valence": "neutral"})
    engine = fresh_engine(tracker.app, tracker.store)
    engine.views.append(FailingView(FeedbackNote.Logged, only=bad.notification_id))
    for number in range(3):
        engine.run_once()
        tracker.service.log_feedback(COACH, demo, {"text": f"{number}", "valence": "neutral"})
    said = [r for r in caplog.records if f"notification {bad.notification_id} " in r.message]
    assert len(said) == 1 and said[0].levelname == "ERROR"


def test_a_retry_that_fails_again_keeps_the_event_held(tracker: Tracker, demo: UUID) -> None:
    bad = tracker.service.log_feedback(COACH, demo, {"text": "held", "valence": "neutral"})
    engine = fresh_engine(tracker.app, tracker.store)
    engine.views.append(FailingView(FeedbackNote.Logged))
    engine.run_once()
    [still] = engine.retry_held()
    assert (still.notification_id, still.attempts) == (bad.notification_id, 2)


def test_a_rebuild_applies_held_events_afresh(tracker: Tracker, demo: UUID) -> None:
    tracker.service.log_feedback(COACH, demo, {"text": "held", "valence": "neutral"})
    engine = fresh_engine(tracker.app, tracker.store)
    failing = FailingView(FeedbackNote.Logged)
    engine.views.append(failing)
    engine.run_once()
    assert engine.held_count() == 1
    failing.fail_on = type(None)
    engine.rebuild()
    assert engine.held() == []


def test_a_fault_of_the_store_rolls_the_batch_back_and_holds_nothing(
    tracker: Tracker, demo: UUID
) -> None:
    before = snapshot_views(tracker.store)
    position = tracker.engine.position()
    tracker.service.log_feedback(COACH, demo, {"text": "then this", "valence": "neutral"})
    engine = fresh_engine(tracker.app, tracker.store)
    engine.views.append(FailingView(FeedbackNote.Logged, error=sqlite3.OperationalError))
    with pytest.raises(sqlite3.OperationalError):
        engine.run_once()
    assert engine.position() == position
    assert snapshot_views(tracker.store) == before, "nothing of the failed batch was written"
    assert engine.held() == []
    assert gc.isenabled(), "the garbage collector resumes after a failed batch"


class BadSQLView(FailingView):
    """A view whose statement for one event is wrong: the store's error class, not its fault."""

    def handle_batch(self, cur: Cursor, events: Sequence[tuple[int, object]]) -> None:
        for notification_id, event in events:
            if isinstance(event, self.fail_on) and self.only in (None, notification_id):
                cur.execute("SELECT no_such_column FROM projection_positions")
        super().handle_batch(cur, events)


def test_a_view_s_bad_statement_holds_its_event_rather_than_stopping_every_view(
    tracker: Tracker, demo: UUID
) -> None:
    """ "no such column" comes as the same exception class as a locked database; taken for a
    fault of the store, it rolled every batch back, for ever."""
    bad = tracker.service.log_feedback(COACH, demo, {"text": "held", "valence": "neutral"})
    after = tracker.service.log_feedback(COACH, demo, {"text": "after", "valence": "neutral"})
    engine = fresh_engine(tracker.app, tracker.store)
    view = BadSQLView(FeedbackNote.Logged, only=bad.notification_id)
    engine.views.append(view)
    engine.run_once()
    assert engine.position() == tracker.app.recorder.max_notification_id()
    [held] = engine.held()
    assert (held.view, held.notification_id) == ("failing", bad.notification_id)
    assert view.applied[-1] == after.notification_id


def test_an_event_that_cannot_be_read_back_is_held_for_every_view(
    tracker: Tracker, demo: UUID
) -> None:
    tracker.app.recorder.insert_events(
        [StoredEvent(uuid4(), 1, "tracker.domain.gone:Vanished", b"{}")]
    )
    later = tracker.service.log_feedback(COACH, demo, {"text": "later", "valence": "neutral"})
    tracker.engine.run_once()
    held = tracker.engine.held()
    assert {item.view for item in held} == {view.name for view in tracker.engine.views}
    assert {item.topic for item in held} == {"tracker.domain.gone:Vanished"}
    assert tracker.engine.position() == later.notification_id
    assert tracker.queries.note(demo, COACH, later["note_id"]) is not None


def test_a_note_postgresql_cannot_store_is_held_and_later_notes_are_readable(
    tracker: Tracker, demo: UUID, clock: Any
) -> None:
    """A NUL in a text that reached the log (before the door refused it) stopped the views
    on PostgreSQL for everyone, forever."""
    note = FeedbackNote.log(
        alliance_id=demo,
        author_id=COACH,
        text="a NUL \x00 inside",
        valence="neutral",
        visibility="shared",
        term_id=None,
        term_version=None,
        at=clock.now(),
    )
    tracker.app.save(note)
    later = tracker.service.log_feedback(COACH, demo, {"text": "later", "valence": "neutral"})
    tracker.engine.run_once()
    assert tracker.engine.position() == later.notification_id
    assert tracker.queries.note(demo, COACH, later["note_id"]) is not None
    held = tracker.engine.held()
    if tracker.store.dialect == "postgresql":
        assert held and all("NUL" in item.error for item in held)
    else:
        assert held == []


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
    from shell.demo import load_demo

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


def test_the_quarantine_command_lists_what_is_held_and_retries_it(
    tracker: Tracker,
    demo: UUID,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TRACKER_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
    assert cli.main(["quarantine"]) == 0
    assert "No event is held" in capsys.readouterr().out
    with tracker.store.transaction() as cur:  # held as if the deliveries view had failed on it
        quarantine.hold(cur, "views", "deliveries", 1, "a.b:C", ValueError("it could not"), None)
        quarantine.hold(cur, "views", "nowhere", 2, "a.b:D", ValueError("nor this"), None)
    assert cli.main(["quarantine"]) == 1
    listed = capsys.readouterr().out
    assert "2 held" in listed
    assert "deliveries\t1\ta.b:C\t" in listed and "ValueError: it could not" in listed
    assert cli.main(["quarantine", "--retry"]) == 1, "a view that is gone cannot take it"
    retried = capsys.readouterr().out
    assert "1 held" in retried and "nowhere\t2" in retried and "deliveries" not in retried


class ProbingView(FailingView):
    """Runs ``probe`` on its first batch, as the rebuild's builder applies it."""

    def __init__(self, probe: Any) -> None:
        super().__init__(fail_on=type(None))
        self.probe = probe

    def handle_batch(self, cur: Cursor, events: Sequence[tuple[int, object]]) -> None:
        probe, self.probe = self.probe, None
        if probe is not None:
            probe()


def test_a_rebuild_serves_the_old_views_until_it_replaces_them_whole(
    tracker: Tracker, demo: UUID
) -> None:
    live = snapshot_views(tracker.store)
    seen_meanwhile: list[dict[str, Any]] = []
    tracker.engine.views.append(
        ProbingView(lambda: seen_meanwhile.append(snapshot_views(tracker.store)))
    )
    tracker.engine.rebuild()
    assert seen_meanwhile == [live], "readers saw the whole old views while it rebuilt"
    assert snapshot_views(tracker.store) == live
    assert tracker.engine.position() == tracker.app.recorder.max_notification_id()
    # The lock file stays: removing it while another process may be opening it would let
    # two rebuilds each hold a lock of their own.
    leftovers = {path.name for path in tracker.settings.data_dir.glob("*.rebuilding*")}
    assert leftovers <= {"views.sqlite.rebuilding.lock"}, "the fresh store is removed"
    with tracker.store.read() as cur:
        if cur.dialect == "postgresql":
            cur.execute(
                "SELECT COUNT(*) AS n FROM information_schema.schemata WHERE schema_name = ?",
                (FRESH_SCHEMA,),
            )
            assert cur.fetchone() == {"n": 0}, "the fresh schema is dropped"


def test_a_failed_rebuild_leaves_the_views_as_they_were(tracker: Tracker, demo: UUID) -> None:
    live = snapshot_views(tracker.store)
    position = tracker.engine.position()
    tracker.engine.views.append(FailingView(FeedbackNote.Logged, error=sqlite3.OperationalError))
    with pytest.raises(sqlite3.OperationalError):
        tracker.engine.rebuild()
    assert snapshot_views(tracker.store) == live
    assert tracker.engine.position() == position
    tracker.engine.views.pop()
    assert rebuilt_copy(tracker) == live, "and the next rebuild starts clean"


def test_a_rebuild_catches_up_with_what_was_recorded_while_it_ran(
    tracker: Tracker, demo: UUID
) -> None:
    def meanwhile() -> None:
        tracker.service.log_feedback(COACH, demo, {"text": "meanwhile", "valence": "neutral"})
        tracker.engine.run_once()  # the live views move past the rebuild

    tracker.engine.views.append(ProbingView(meanwhile))
    tracker.engine.rebuild()
    assert tracker.engine.position() == tracker.app.recorder.max_notification_id()
    tracker.engine.views.pop()
    live = snapshot_views(tracker.store)
    assert rebuilt_copy(tracker) == live, "each event is in the views exactly once"
