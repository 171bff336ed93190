"""The one catch-up engine that keeps every view.

It reads the application's notification log in batches and applies each batch to every view
together with its own position, in one transaction of the view store. The position is read
inside that same write transaction, so two engines racing, or a crash at any instant, can
neither apply an event twice nor skip one: exactly once, and restartable anywhere.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Mapper
from eventsourcing.utils import get_topic

from projections import quarantine, rebuilding, view_tables
from projections.db import BatchingCursor, Cursor, ViewStore
from projections.listen import start_listener
from projections.quarantine import HeldEvent
from projections.view_tables import POSITIONS, View, position_of

log = logging.getLogger(__name__)

RESTATE_AFTER = 10_000  # events applied in one catch-up before the statistics are refreshed


class ViewsBehindError(TimeoutError):
    def __init__(self, awaited: int, reached: int, timeout: float) -> None:
        super().__init__(
            f"the views reached notification {reached}, not {awaited}, within {timeout:g} s"
        )
        self.awaited = awaited
        self.reached = reached


class CatchUpEngine:
    def __init__(
        self,
        recorder: ApplicationRecorder,
        mapper: Mapper[Any],
        store: ViewStore,
        views: Sequence[View],
        *,
        name: str = "views",
        # A batch is one transaction. Over a long log its commit writes every page the batch
        # touched, and inserts keyed by random ids touch a page each: rebuilding the health
        # view from a million events spent 19 of 57 us an event writing and committing in
        # batches of 5,000, 9 of 39 in batches of 20,000 (the process at 110 MB), and no
        # less in batches of 50,000 (at 190 MB).
        batch_size: int = 20_000,
        # What is kept beside the views from the views themselves (the attention queue's
        # places): brought up to date after every catch-up of run_forever, and as time passes.
        keepers: Sequence[Callable[[], object]] = (),
    ) -> None:
        self.recorder = recorder
        self.keepers = list(keepers)
        self._keeper_failing: str | None = None
        self.mapper = mapper
        self.store = store
        self.views = list(views)
        self.name = name
        self.batch_size = batch_size
        self._wakeup = threading.Event()
        self._advanced = threading.Condition()
        self._reached = 0
        self._polling = threading.Lock()  # one thread at a time asks the store for the position

    def setup(self) -> None:
        """Create the position table and every view's tables; safe to repeat."""
        with self.store.transaction() as cur:
            view_tables.set_up(cur, self.name, self.views)

    def position(self) -> int:
        return position_of(self.store, self.name)

    def run_once(self) -> int:
        """Apply batches until caught up; returns how many events were applied."""
        applied = 0
        while True:
            with _collector_paused():
                count = self._apply_next_batch()
            applied += count
            if count < self.batch_size:
                # A short batch was the end of the log: asking again would cost a transaction
                # for nothing (the log is gapless; whatever comes next wakes the engine).
                break
        if applied >= RESTATE_AFTER:
            # After a rebuild or a long catch-up the planner's statistics describe tables a
            # fraction of their size: PostgreSQL then scanned every note of an alliance for a
            # page of 25 until autovacuum came round to analyse them.
            self.store.refresh_statistics(
                [table for view in self.views for table in getattr(view, "tables", ())]
            )
        return applied

    def _apply_next_batch(self) -> int:
        try:
            return self._apply_batch(careful=False)
        except Exception as error:
            if quarantine.is_store_fault(error):
                raise
            # Rolled back whole. Again, each view within a savepoint and, where that fails,
            # event by event: savepoints cost a round trip each on PostgreSQL (a third of a
            # catch-up of one event), so only a batch that needs them pays for them.
            return self._apply_batch(careful=True)

    def _apply_batch(self, *, careful: bool) -> int:
        with self.store.transaction() as cur:
            lock = " FOR UPDATE" if cur.dialect == "postgresql" else ""
            cur.execute(f"SELECT position FROM {POSITIONS} WHERE name = ?{lock}", (self.name,))
            row = cur.fetchone()
            position = int(row["position"]) if row else 0
            notifications = self.recorder.select_notifications(
                start=position, limit=self.batch_size, inclusive_of_start=False
            )
            if not notifications:
                self._note_reached(position)
                return 0
            batch = BatchingCursor(cur)
            waiting = quarantine.waiting(batch, self.name)
            events, unreadable = self._decode(batch, notifications)
            last = notifications[-1].id
            # One view at a time over the whole batch: views never read each other's tables,
            # and a view's like statements then sit side by side, for BatchingCursor to merge.
            for view in self.views:
                behind = waiting.get(view.name, set())
                mine = events
                if behind or unreadable:
                    mine = self._hold_behind(batch, view, events, behind, unreadable)
                if careful:
                    self._apply(batch, view, mine)
                else:
                    view.handle_batch(batch, mine)
            batch.execute(f"UPDATE {POSITIONS} SET position = ? WHERE name = ?", (last, self.name))
            try:
                batch.flush()
            except Exception as error:
                if quarantine.is_store_fault(error):
                    log.exception(
                        "writing notifications %d to %d failed", notifications[0].id, last
                    )
                raise
        self._note_reached(last)
        return len(notifications)

    def _decode(
        self, cur: Cursor, notifications: Sequence[Any]
    ) -> tuple[list[tuple[int, Any]], dict[str, int]]:
        """The batch's events, and for each aggregate with an event that cannot be read back
        the first such notification: it is held for every view, and its aggregate's later
        events wait behind it."""
        events = []
        unreadable: dict[str, int] = {}
        for notification in notifications:
            try:
                events.append((notification.id, self.mapper.to_domain_event(notification)))
            except Exception as error:
                if quarantine.is_store_fault(error):
                    raise
                originator = str(notification.originator_id)
                unreadable.setdefault(originator, notification.id)
                for view in self.views:
                    self._hold(
                        cur, view.name, notification.id, notification.topic, error, originator
                    )
        return events, unreadable

    def _hold_behind(
        self,
        cur: Cursor,
        view: View,
        events: Sequence[tuple[int, Any]],
        behind: set[str],
        unreadable: dict[str, int],
    ) -> list[tuple[int, Any]]:
        """The events ``view`` may apply: those of an aggregate it holds an event of, or of
        one with an earlier event in this batch that could not be read back, wait."""
        mine = []
        for notification_id, event in events:
            originator = str(event.originator_id)
            if (
                originator in behind
                or unreadable.get(originator, notification_id) < notification_id
            ):
                error = quarantine.HeldBehind(originator)
                self._hold(cur, view.name, notification_id, _topic(event), error, originator)
            else:
                mine.append((notification_id, event))
        return mine

    def _apply(self, cur: BatchingCursor, view: View, events: Sequence[tuple[int, Any]]) -> None:
        """The whole batch at once; if the view cannot apply it, one event at a time, and each
        event it cannot apply is held, with the later events of its aggregate behind it, so
        the view and the others go on past it."""
        if _refusal(cur, view, events) is None:
            return
        behind: set[str] = set()  # aggregates with an event held in this batch
        for notification_id, event in events:
            originator = str(event.originator_id)
            error: Exception | None = quarantine.HeldBehind(originator)
            if originator not in behind:
                error = _refusal(cur, view, [(notification_id, event)])
            if error is not None:
                self._hold(cur, view.name, notification_id, _topic(event), error, originator)
                behind.add(originator)

    def _hold(
        self,
        cur: Cursor,
        view: str,
        notification_id: int,
        topic: str,
        error: Exception,
        originator_id: str | None,
    ) -> None:
        # Said once: a held event is not tried again until someone asks.
        log.error(
            "view %s cannot apply notification %d (%s); it is held in quarantine and the "
            "views go on without it: %s",
            view,
            notification_id,
            topic,
            quarantine.describe(error),
        )
        quarantine.hold(cur, self.name, view, notification_id, topic, error, originator_id)

    def held(self) -> list[HeldEvent]:
        """The events held in quarantine, in log order."""
        with self.store.read() as cur:
            return quarantine.held(cur, self.name)

    def held_count(self) -> int:
        with self.store.read() as cur:
            return quarantine.count(cur, self.name)

    def retry_held(self) -> list[HeldEvent]:
        """Apply each held event to its view again, in log order (after whatever came since,
        so a view that depends on order may still refuse it); returns what is still held. An
        event waiting behind an earlier one of its aggregate is tried only once that one is
        applied."""
        views = {view.name: view for view in self.views}
        still: set[tuple[str, str | None]] = set()  # (view, aggregate) still held
        for item in self.held():
            if item.originator_id is not None and (item.view, item.originator_id) in still:
                continue
            with self.store.transaction() as cur:
                notifications = self.recorder.select_notifications(
                    start=item.notification_id, limit=1, inclusive_of_start=True
                )
                view = views.get(item.view)
                error: Exception | None
                try:
                    if view is None or not notifications:
                        raise LookupError(f"no view {item.view} or no such notification")
                    event = self.mapper.to_domain_event(notifications[0])
                except Exception as unreadable:
                    if quarantine.is_store_fault(unreadable):
                        raise
                    error = unreadable
                else:
                    error = _refusal(BatchingCursor(cur), view, [(item.notification_id, event)])
                if error is not None:
                    quarantine.hold(
                        cur,
                        self.name,
                        item.view,
                        item.notification_id,
                        item.topic,
                        error,
                        item.originator_id,
                    )
                    still.add((item.view, item.originator_id))
                    continue
                quarantine.release(cur, self.name, item.view, item.notification_id)
                log.info("view %s applied held notification %d", item.view, item.notification_id)
        return self.held()

    def _note_reached(self, position: int) -> None:
        with self._advanced:
            if position > self._reached:
                self._reached = position
                self._advanced.notify_all()

    def rebuild(self) -> int:
        """Replay the whole log into fresh tables while these serve, then put them in place of
        these in one transaction; returns the events applied. A rebuild that fails leaves the
        views as they were."""
        applied, reached = rebuilding.replay_into_fresh(self)
        with self._advanced:
            self._reached = reached
        return applied

    def wake(self) -> None:
        self._wakeup.set()

    def run_forever(self, stop: threading.Event, poll_interval: float = 1.0) -> None:
        """Catch up whenever woken, or every poll_interval for writes from other processes."""
        listener = start_listener(self.recorder, self.store, self.wake, stop)
        failing: str | None = None
        try:
            while not stop.is_set():
                self._wakeup.clear()
                try:
                    self.run_once()
                except Exception as error:
                    # Said once while it lasts: a store that is down fails every second.
                    if quarantine.describe(error) != failing:
                        failing = quarantine.describe(error)
                        log.exception("catching up failed; trying again every %g s", poll_interval)
                    stop.wait(poll_interval)
                    continue
                if failing is not None:
                    log.info("catching up again")
                    failing = None
                self._keep_up()
                self._wakeup.wait(poll_interval)
        finally:
            if listener is not None:
                listener.join()

    def _keep_up(self) -> None:
        for keep in self.keepers:
            try:
                keep()
            except Exception as error:
                # The views go on whatever a keeper meets, and it tries again next pass; said
                # once while it lasts.
                if quarantine.describe(error) != self._keeper_failing:
                    self._keeper_failing = quarantine.describe(error)
                    log.exception("keeping %r up to date failed", keep)
            else:
                self._keeper_failing = None

    def wait_for(self, notification_id: int, timeout: float = 5.0) -> None:
        """Return once the views include ``notification_id`` (read-your-writes)."""
        deadline = time.monotonic() + timeout
        pause = 0.0005
        while True:
            with self._advanced:
                if self._reached >= notification_id:
                    return
            # Another process's engine may be the one keeping these views. One waiting thread
            # asks the store; the others wait for what it learns (notify_all wakes them).
            if self._polling.acquire(blocking=False):
                try:
                    self._note_reached(self.position())
                finally:
                    self._polling.release()
            with self._advanced:
                if self._reached >= notification_id:
                    return
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ViewsBehindError(notification_id, self._reached, timeout)
                self._advanced.wait(min(pause, remaining))
            pause = min(pause * 2, 0.02)


def _refusal(
    cur: BatchingCursor, view: View, events: Sequence[tuple[int, Any]]
) -> Exception | None:
    """Apply ``events`` to ``view`` within a savepoint; what it raised, or None. A fault of the
    store is no refusal of the events: it is raised, and the batch rolled back."""
    try:
        with cur.savepoint():
            view.handle_batch(cur, events)
    except Exception as error:
        if quarantine.is_store_fault(error):
            raise
        return error
    return None


def _topic(event: Any) -> str:
    return get_topic(type(event))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector for one batch.

    A batch allocates a dozen containers per event, nearly all freed by reference counting,
    yet each few hundred allocations start a collection, and the batch's thousands of live
    events soon drive full ones over everything the process holds: 6 of 48 us per event
    in a rebuild of the health view. Collections resume after the batch, so whatever cycles
    it left are freed then (the batch itself by then, or that first collection would walk it),
    and memory stays bounded by one batch.
    """
    if not gc.isenabled():  # someone else has paused it; they will resume it
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
