"""The event-sourced application: the event store, its snapshots and who hears of new events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent, Repository
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Recording,
    Transcoder,
)

from tracker.domain.alliance import Alliance
from tracker.persistence import schema_lock
from tracker.repository import CopyUnderLockRepository
from tracker.stored_form import QuickReadingJSONTranscoder, RecurringUUIDAsHex

NewEventsListener = Callable[[int], None]


class TrackerApplication(Application[UUID]):
    name = "Tracker"
    # An alliance is long-lived and chatty; a snapshot every 100 events keeps any load to
    # one snapshot plus fewer than 100 events, however old the alliance.
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Alliance: 100}
    # Nearly every command loads the alliance to check membership. Cached aggregates are
    # fast-forwarded with any newer events from the store before use (the library's default),
    # so another process's writes are never missed; the cache only spares the replay.
    env: ClassVar[dict[str, str]] = {"AGGREGATE_CACHE_MAXSIZE": "1000"}

    def __init__(self, env: dict[str, str] | None = None) -> None:
        with schema_lock(env or {}):
            super().__init__(env)
        self._listeners: list[NewEventsListener] = []

    def construct_repository(self) -> Repository[UUID]:
        library = super().construct_repository()
        return CopyUnderLockRepository(
            event_store=library.event_store,
            snapshot_store=library.snapshot_store,
            cache_maxsize=int(self.env.get(self.AGGREGATE_CACHE_MAXSIZE) or 0) or None,
            fastforward=library.fastforward,
            fastforward_skipping=library.fastforward_skipping,
            deepcopy_from_cache=library.deepcopy_from_cache,
        )

    def construct_transcoder(self) -> Transcoder:
        transcoder = QuickReadingJSONTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        transcoder.register(RecurringUUIDAsHex())
        transcoder.register(DecimalAsStr())
        transcoder.register(DatetimeAsISO())

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        recordings = super()._record(processing_event)
        repository = self.repository
        if isinstance(repository, CopyUnderLockRepository) and repository.fastforward:
            for aggregate_id, aggregate in processing_event.aggregates.items():
                repository.saved(aggregate_id, aggregate)
        return recordings

    def on_new_events(self, listener: NewEventsListener) -> None:
        """Call ``listener`` with the last notification id after every save in this process."""
        self._listeners.append(listener)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        if recordings and self._listeners:
            last = recordings[-1].notification.id
            for listener in self._listeners:
                listener(last)
