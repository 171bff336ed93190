"""Each benchmark: the tracker's figure, the bare library's beside it where there is one."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from bench import (
    attention,
    feedback_page,
    health,
    library_projection,
    over_http,
    scheduler_load,
    workload,
)
from projections.catchup import CatchUpEngine
from projections.stores import open_store
from projections.views import all_views
from shell.bootstrap import Tracker
from shell.settings import Settings
from tracker.application import TrackerApplication
from tracker.clock import SystemClock
from tracker.domain.alliance import Alliance
from tracker.domain.feedback import FeedbackNote
from tracker.service import TrackerService

Fresh = Callable[[], Settings]


class BareApplication(Application[UUID]):
    """The library as a user would start with it, snapshotting and caching as the tracker does."""

    name = "Bare"
    snapshotting_intervals = TrackerApplication.snapshotting_intervals
    env = TrackerApplication.env


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def commands(settings: Settings, rounds: int = 5, per_round: int = 200) -> dict[str, Any]:
    """A command through the service (validation, membership check, save) against the bare
    library loading the same aggregate and saving the same event, alternating in rounds so
    that drift in the machine's speed falls on both alike."""
    env = settings.event_store_env()
    tracker_app, bare = TrackerApplication(env=env), BareApplication(env=env)
    try:
        coach, client = workload.people(tracker_app)
        service = TrackerService(tracker_app, SystemClock())
        ours = workload.pair(coach, client, workload.T0)
        theirs = workload.pair(coach, client, workload.T0)
        tracker_app.save(ours)
        bare.save(theirs)
        when = workload.T0 + timedelta(days=3)
        payload = {"at": when.isoformat()}
        tracker_time = bare_time = feedback_time = bare_note_time = 0.0
        for _ in range(rounds):
            started = time.perf_counter()
            for _ in range(per_round):
                service.schedule_design_conversation(coach, ours.id, payload)
            tracker_time += time.perf_counter() - started
            started = time.perf_counter()
            for _ in range(per_round):
                alliance: Alliance = bare.repository.get(theirs.id)
                alliance.trigger_event(
                    Alliance.DesignConversationScheduled,
                    timestamp=SystemClock().now(),
                    scheduled_for=when,
                    by=coach,
                )
                bare.save(alliance)
            bare_time += time.perf_counter() - started
            started = time.perf_counter()
            for _ in range(per_round):
                service.log_feedback(coach, ours.id, {"text": "I noticed.", "valence": "neutral"})
            feedback_time += time.perf_counter() - started
            started = time.perf_counter()
            for _ in range(per_round):
                note = FeedbackNote.log(
                    alliance_id=theirs.id,
                    author_id=coach,
                    text="I noticed.",
                    valence="neutral",
                    visibility="shared",
                    term_id=None,
                    term_version=None,
                    at=SystemClock().now(),
                )
                bare.save(note)
            bare_note_time += time.perf_counter() - started
        total = rounds * per_round
        return {
            "alliance_command_per_s": _rate(total, tracker_time),
            "bare_alliance_save_per_s": _rate(total, bare_time),
            "alliance_command_ratio": bare_time / tracker_time,
            "log_feedback_per_s": _rate(total, feedback_time),
            "bare_note_save_per_s": _rate(total, bare_note_time),
            "log_feedback_ratio": bare_note_time / feedback_time,
        }
    finally:
        tracker_app.close()
        bare.close()


def rebuild(
    settings: Settings, baseline: Settings, library: Settings, events: int = 100_000
) -> dict[str, Any]:
    """Our batched engine rebuilding every view, against the library's own projection of the
    same events (one event per transaction, the library's store settings) and against our
    engine made to commit every event (our store settings): the first is the target's
    baseline, the second shows how much of the gain is the batching alone."""
    app = TrackerApplication(env=settings.event_store_env())
    store = open_store(settings.views_target)
    single_store = open_store(baseline.views_target)
    projection = library_projection.open_projection(library)
    try:
        recorded = workload.history(app, events)
        engine = CatchUpEngine(app.recorder, app.mapper, store, all_views())
        engine.setup()
        started = time.perf_counter()
        applied = engine.rebuild()
        batched = time.perf_counter() - started
        sample = min(10_000, applied)
        started = time.perf_counter()
        library_projection.replay(app, projection, sample)
        library = time.perf_counter() - started
        single = CatchUpEngine(app.recorder, app.mapper, single_store, all_views(), batch_size=1)
        single.setup()
        started = time.perf_counter()
        for _ in range(sample):
            single._apply_next_batch()
        one_by_one = time.perf_counter() - started
        rate = _rate(applied, batched)
        return {
            "events": recorded,
            "rebuild_events_per_s": rate,
            "library_projection_events_per_s": _rate(sample, library),
            "rebuild_ratio": rate / _rate(sample, library),
            "engine_one_per_transaction_events_per_s": _rate(sample, one_by_one),
            "rebuild_batching_ratio": rate / _rate(sample, one_by_one),
        }
    finally:
        projection.view.datastore.close()
        store.close()
        single_store.close()
        app.close()


def read_your_writes(settings: Settings, samples: int = 300) -> dict[str, Any]:
    """From a command's return to the views including its event, with the engine in-process."""
    tracker = Tracker.build(settings)
    try:
        tracker.project_in_background()
        coach, client = workload.people(tracker.app)
        alliance = workload.pair(coach, client, workload.T0)
        tracker.app.save(alliance)
        payload = {"at": workload.T0.isoformat()}
        waits: list[float] = []
        for _ in range(samples):
            result = tracker.service.schedule_design_conversation(coach, alliance.id, payload)
            started = time.perf_counter()
            tracker.engine.wait_for(result.notification_id, timeout=10)
            waits.append(time.perf_counter() - started)
        return {
            "wait_p50_ms": statistics.median(waits) * 1000,
            "wait_p95_ms": _percentile(waits, 0.95) * 1000,
            "wait_p99_ms": _percentile(waits, 0.99) * 1000,
        }
    finally:
        tracker.close()


def load_long_alliance(
    settings: Settings, events: int = 10_000, samples: int = 200
) -> dict[str, Any]:
    app = TrackerApplication(env=settings.event_store_env())
    try:
        workload.people(app)
        alliance_id = workload.long_alliance(app, events)
        timings: list[float] = []
        version = app.repository.get(alliance_id).version
        for _ in range(samples):
            started = time.perf_counter()
            # Asking for the version bypasses the aggregate cache: this is a cold load, from
            # the latest snapshot and the events after it.
            app.repository.get(alliance_id, version=version)
            timings.append(time.perf_counter() - started)
        return {
            "alliance_events": app.repository.get(alliance_id).version,
            "load_p50_ms": statistics.median(timings) * 1000,
            "load_p95_ms": _percentile(timings, 0.95) * 1000,
        }
    finally:
        app.close()


def run_all(first: Settings, fresh: Fresh) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    figures.update(commands(first))
    figures.update(rebuild(fresh(), fresh(), fresh()))
    figures.update(read_your_writes(fresh()))
    figures.update(load_long_alliance(fresh()))
    figures.update(feedback_page.feedback_page(fresh(), fresh()))
    figures.update(scheduler_load.scheduler_load(fresh()))
    figures.update(health.reads(fresh(), fresh()))
    figures.update(health.rebuild(fresh(), fresh()))
    figures.update(attention.queue_reads(fresh(), fresh()))
    if over_http.missing_reason() is None:
        figures.update(over_http.log_a_note(fresh()))
    return figures


ROWS = [
    ("alliance command / bare save", "alliance_command_per_s", "bare_alliance_save_per_s",
     "alliance_command_ratio", ">= 0.80"),
    ("log feedback / bare note save", "log_feedback_per_s", "bare_note_save_per_s",
     "log_feedback_ratio", ""),
    ("rebuild ev/s / library projection", "rebuild_events_per_s",
     "library_projection_events_per_s", "rebuild_ratio", ">= 10; 20k/s SQLite, 10k/s PG"),
    ("rebuild ev/s / engine 1 ev per txn", "rebuild_events_per_s",
     "engine_one_per_transaction_events_per_s", "rebuild_batching_ratio", ""),
]  # fmt: skip


def table(results: dict[str, Any]) -> str:
    lines = [f"{'store':<11}{'measure':<34}{'tracker':>11}{'bare':>11}{'ratio':>8}  target"]
    for store, figures in results["stores"].items():
        for label, ours, bare, ratio, target in ROWS:
            lines.append(
                f"{store:<11}{label:<34}{figures[ours]:>11.0f}{figures[bare]:>11.0f}"
                f"{figures[ratio]:>8.2f}  {target}"
            )
        lines.append(
            f"{store:<11}{'read-your-writes wait p95 (ms)':<34}{figures['wait_p95_ms']:>11.2f}"
            f"{'':>11}{'':>8}  < 10"
        )
        lines.append(
            f"{store:<11}{'load 10k-event alliance p95 (ms)':<34}{figures['load_p95_ms']:>11.2f}"
            f"{'':>11}{'':>8}  < 10"
        )
        lines.append(
            f"{store:<11}{'feedback page p95 (ms), 100k/100':<34}"
            f"{figures['feedback_page_newest_p95_ms']:>11.2f}"
            f"{figures['feedback_page_newest_100_notes_p95_ms']:>11.2f}"
            f"{figures['feedback_page_newest_ratio']:>8.2f}  < 20; <= 1.5"
        )
        lines.append(
            f"{store:<11}{'10k check-ins due: latest prompt (s)':<34}"
            f"{figures['scheduler_latest_prompt_s']:>11.1f}{'':>11}{'':>8}  < 60"
        )
        lines.append(
            f"{store:<11}{'scheduler start-up (s), memory MB':<34}"
            f"{figures['scheduler_startup_s']:>11.2f}{figures['scheduler_max_rss_mb']:>11.0f}"
            f"{'':>8}  < 10"
        )
        if "http_log_feedback_per_s" in figures:
            lines.append(
                f"{store:<11}{'log note over HTTP / bare command':<34}"
                f"{figures['http_log_feedback_per_s']:>11.0f}"
                f"{figures['bare_log_feedback_per_s']:>11.0f}"
                f"{figures['http_log_feedback_ratio']:>8.2f}  >= 0.50"
            )
            lines.append(
                f"{store:<11}{'HTTP p99 (ms), errors':<34}{figures['http_p99_ms']:>11.2f}"
                f"{figures['http_errors']:>11d}{'':>8}  < 50; 0"
            )
            lines.append(
                f"{store:<11}{'floor: GET /healthz p99 (ms), req/s':<34}"
                f"{figures['http_floor_p99_ms']:>11.2f}{figures['http_floor_per_s']:>11.0f}"
                f"{'':>8}  (no target)"
            )
        lines.extend(health.rows(store, figures))
        lines.extend(attention.rows(store, figures))
    return "\n".join(lines)
