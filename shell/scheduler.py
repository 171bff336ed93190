"""The check-in scheduler: at each slot of an agreed rhythm, one CheckIn prompt.

A pass reads what is due from the views (projections.views.schedules) and gives the
service's commands; it keeps nothing in memory, so a restart, an amended rhythm or a second
scheduler needs no coordination:

- Exactly once: a check-in's id comes from (alliance, slot), so a second scheduler, a
  retry or a pass over views that lag a little is refused as AlreadyPrompted.
- Downtime: of the slots missed while nothing ran, only the latest is prompted, and only if
  it is at most GRACE old; older ones are let go and the next slot is awaited.
- A check-in stays open until the rhythm's next slot, at most LONGEST_OPEN; then it is closed
  (Missed: the answers given so far are revealed to all).

APScheduler drives the passes (every TICK); tests drive ``run_due`` with a clock of their own.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from projections.alerts.checks import AlertChecks
from shell.outbox import Deliveries, Outbox
from tracker.domain import errors
from tracker.domain.checkin import LONGEST_OPEN, closing_time
from tracker.domain.rhythm import Rhythm

if TYPE_CHECKING:
    from eventsourcing.persistence import ApplicationRecorder

    from projections.catchup import CatchUpEngine
    from projections.readers.background import BackgroundReader
    from shell.bootstrap import Tracker
    from tracker.service import TrackerService

log = logging.getLogger(__name__)

TICK = timedelta(seconds=20)  # so a prompt is recorded within half a minute of its slot
# Saves come in runs (a check-in started, its deliveries queued): the outbox, woken by the
# first, waits this long so that one pass takes the whole run.
SETTLE = 0.2  # seconds
GRACE = timedelta(hours=24)  # how late a missed slot may still be prompted after downtime
# What prompts the members to open a redesign, besides a review that is due:
MISSED_IN_A_ROW = 3
TENDING_UNANSWERED = timedelta(days=7)


@dataclass
class Pass:
    """What one pass did, for the log and the tests."""

    prompted: list[tuple[UUID, datetime]] = field(default_factory=list)
    let_go: list[tuple[UUID, datetime]] = field(default_factory=list)  # older than GRACE
    closed: list[UUID] = field(default_factory=list)
    suggested: list[tuple[UUID, str]] = field(default_factory=list)  # (alliance, cause)
    alerts: list[tuple[UUID, str, str]] = field(default_factory=list)  # (alliance, rule, cause)
    deliveries: Deliveries = field(default_factory=Deliveries)


class CheckInScheduler:
    """``outbox``: where prompts are delivered from, after they are recorded; without one
    (as in most tests) prompts are recorded and shown in the app only."""

    def __init__(
        self,
        service: TrackerService,
        reads: BackgroundReader,
        engine: CatchUpEngine,
        recorder: ApplicationRecorder,
        outbox: Outbox | None = None,
        alerts: AlertChecks | None = None,
    ) -> None:
        # What it uses, not the whole tracker: the commands it records, the background
        # reads, the engine to wait on and the log's end to wait for.
        self.service, self.reads, self.engine, self.recorder = service, reads, engine, recorder
        self.outbox = outbox
        self.alerts = alerts
        self._background: BackgroundScheduler | None = None
        self._lock = threading.Lock()  # one pass at a time in a process
        self._doorbell = threading.Event()
        self._stopping = threading.Event()
        self._deliverer: threading.Thread | None = None
        self._let_go: set[tuple[UUID, datetime]] = set()

    @classmethod
    def for_tracker(cls, tracker: Tracker, outbox: Outbox | None = None) -> CheckInScheduler:
        return cls(
            tracker.service,
            tracker.queries,
            tracker.engine,
            tracker.app.recorder,
            outbox,
            AlertChecks(tracker.store),
        )

    def run_due(self, now: datetime | None = None) -> Pass:
        """Prompt every due slot and close every window that has passed, as of ``now``."""
        now = now or self.service.clock.now()
        done = Pass()
        with self._lock:
            for row in self.reads.due_rhythms(now):
                self._prompt(row, now, done)
            for row in self.reads.overdue_checkins(now):
                self._close(UUID(row["alliance_id"]), UUID(row["checkin_id"]), done)
            self._suggest_redesigns(now, done)
            self._raise_alerts(now, done)
            if self.outbox is not None:
                self._views_caught_up()  # new prompts, and the last pass's outcomes
                done.deliveries = self.outbox.run(now)
        sent = done.deliveries
        if done.prompted or done.closed or done.let_go or done.alerts or sent.queued or sent.failed:
            log.info(
                "scheduler pass: %d prompted, %d closed, %d let go, %d alerts; %d sent, %d failed",
                len(done.prompted),
                len(done.closed),
                len(done.let_go),
                len(done.alerts),
                len(sent.sent),
                len(sent.failed),
            )
        return done

    def _prompt(self, row: dict[str, object], now: datetime, done: Pass) -> None:
        alliance_id = UUID(str(row["alliance_id"]))
        rhythm = Rhythm.from_record(row)
        try:
            slot = rhythm.latest_at_or_before(now)
            following = rhythm.next_after(slot) if slot else None
        except (ValueError, OverflowError):
            log.warning("the rhythm of alliance %s cannot be worked out; skipped", alliance_id)
            return
        if slot is None:
            return
        if now - slot > GRACE:
            if (alliance_id, slot) not in self._let_go:
                self._let_go.add((alliance_id, slot))  # said once, not at every pass
                done.let_go.append((alliance_id, slot))
            return
        closes_at = closing_time(slot, following)
        payload = {"slot": slot.isoformat(), "closes_at": closes_at.isoformat()}
        try:
            self.service.prompt_checkin(alliance_id, payload)
        except (errors.AlreadyPrompted, errors.AllianceEnded, errors.ConcurrentWrite):
            return  # another scheduler, or an earlier pass the views had not shown yet
        done.prompted.append((alliance_id, slot))

    def _close(self, alliance_id: UUID, checkin_id: UUID, done: Pass) -> None:
        try:
            self.service.close_checkin(alliance_id, checkin_id)
        except (errors.CheckInClosed, errors.CheckInStillOpen, errors.ConcurrentWrite):
            return  # completed meanwhile, or closed by another scheduler
        done.closed.append(checkin_id)

    def _suggest_redesigns(self, now: datetime, done: Pass) -> None:
        queries = self.reads
        causes: list[tuple[str, str, str]] = []
        for row in queries.reviews_due(now):
            every = row["review_every_months"]
            causes.append(
                (
                    row["alliance_id"],
                    f"review:{row['review_due_at']}",
                    "the agreement is due for its review "
                    + (f"(every {every} months)" if every > 1 else "(every month)"),
                )
            )
        for row in queries.missed_in_a_row(now - LONGEST_OPEN, MISSED_IN_A_ROW):
            causes.append(
                (
                    row["alliance_id"],
                    row["key"],
                    f"{MISSED_IN_A_ROW} check-ins in a row were missed",
                )
            )
        for row in queries.tending_unanswered(now - TENDING_UNANSWERED):
            causes.append(
                (
                    row["alliance_id"],
                    f"tending:{row['signal_id']}",
                    "a call for tending has gone unanswered for a week",
                )
            )
        for alliance, key, reason in causes:
            try:
                self.service.suggest_redesign(UUID(alliance), key, reason)
            except (
                errors.AlreadySuggested,
                errors.RedesignAlreadyOpen,
                errors.AllianceEnded,
                errors.ConcurrentWrite,
            ):
                continue  # suggested already (views a step behind), or no longer fitting
            done.suggested.append((UUID(alliance), key))

    def _raise_alerts(self, now: datetime, done: Pass) -> None:
        """One alert for each cause a rule meets: its id is the cause's, so asking again at
        every pass, or from a second scheduler, raises nothing twice. The views are read as
        they are: answers that a window closed in this pass revealed are judged at the next."""
        if self.alerts is None:
            return
        for cause in self.alerts.unraised(now):
            try:
                self.service.raise_alert(UUID(cause.alliance_id), **cause.recorded())
            except (errors.AlreadyRaised, errors.AllianceEnded, errors.ConcurrentWrite):
                continue  # raised already (by another pass or scheduler), or ended meanwhile
            done.alerts.append((UUID(cause.alliance_id), cause.rule, cause.cause))

    # --- running it -------------------------------------------------------------------

    def start(self, tick: timedelta = TICK) -> None:
        """Passes in a background thread: one at start, then every ``tick``."""
        scheduler = BackgroundScheduler(timezone="UTC")
        scheduler.add_job(
            self._tick,
            IntervalTrigger(seconds=tick.total_seconds(), timezone="UTC"),
            id="check-in-pass",
            next_run_time=datetime.now().astimezone(),
            max_instances=1,  # a long pass delays the next rather than running beside it
            coalesce=True,
            misfire_grace_time=int(tick.total_seconds()),
        )
        scheduler.start()
        self._background = scheduler
        if self.outbox is not None:
            self._stopping.clear()
            self._deliverer = threading.Thread(
                target=self._deliver_when_rung, name="outbox-doorbell", daemon=True
            )
            self._deliverer.start()

    def deliver_soon(self, _last: int = 0) -> None:
        """Ring the outbox: it runs within a moment rather than at the next tick. Given to
        the application as a listener of new events, a check-in started now reaches the
        members' mail at once, not up to a tick later."""
        self._doorbell.set()

    def _deliver_when_rung(self) -> None:
        while True:
            self._doorbell.wait()
            if self._stopping.is_set():
                return
            time.sleep(SETTLE)
            self._doorbell.clear()  # what the pass itself records rings once more, at most
            try:
                with self._lock:
                    assert self.outbox is not None
                    self._views_caught_up()
                    self.outbox.run(self.service.clock.now())
            except Exception:
                log.exception("delivering at the doorbell failed; the next tick tries again")

    def _tick(self) -> None:
        try:
            self._views_caught_up()
            self.run_due()
        except Exception:
            # The next tick tries again; a failing pass must not stop the scheduler.
            log.exception("scheduler pass failed")

    def _views_caught_up(self) -> None:
        """Act on views that include every event recorded so far, when whoever keeps them
        (this process or `tracker project`) gets there in time; stale views only mean a
        refused duplicate or a prompt one pass later."""
        latest = self.recorder.max_notification_id() or 0
        try:
            self.engine.wait_for(latest, timeout=TICK.total_seconds() / 2)
        except TimeoutError:
            log.warning("the views are behind the log; this pass reads them as they are")

    def stop(self) -> None:
        if self._background is not None:
            self._background.shutdown(wait=True)
            self._background = None
        if self._deliverer is not None:
            self._stopping.set()
            self._doorbell.set()
            self._deliverer.join(timeout=10)
            self._deliverer = None
