"""The library's own way of keeping views: the baseline for the engine's rebuild.

eventsourcing hands each event to a ``Projection``, whose view is a ``TrackingRecorder`` that
writes the event's effect and its tracking record in one transaction: one event, one
transaction, in a store opened with the library's own settings. The same view classes do the
writing here as in the engine, so what differs is how events are grouped into transactions
and how each side sets up its store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import InfrastructureFactory, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.projection import Projection
from eventsourcing.sqlite import SQLiteTrackingRecorder
from eventsourcing.utils import Environment

from projections.db import Cursor
from projections.postgres_store import PostgresCursor
from projections.sqlite_store import SQLiteCursor
from projections.view_tables import View
from projections.views import all_views
from shell.settings import Settings
from tracker.application import TrackerApplication

VIEWS = all_views()


class SQLiteLibraryViews(SQLiteTrackingRecorder):
    views: ClassVar[Sequence[View]] = VIEWS

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as c:
            _create(SQLiteCursor(c.sqlite_cursor.connection), self.views)

    def apply(self, event: Any, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            _apply(SQLiteCursor(c.sqlite_cursor.connection), event, tracking, self.views)
            self._insert_tracking(c, tracking)


class PostgresLibraryViews(PostgresTrackingRecorder):
    views: ClassVar[Sequence[View]] = VIEWS

    def create_table(self) -> None:
        super().create_table()
        with self.datastore.transaction(commit=True) as c:
            _create(PostgresCursor(c), self.views)

    def apply(self, event: Any, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            _apply(PostgresCursor(c), event, tracking, self.views)
            self._insert_tracking(c, tracking)


def _create(cur: Cursor, views: Sequence[View]) -> None:
    for view in views:
        view.create(cur)


def _apply(cur: Cursor, event: Any, tracking: Tracking, views: Sequence[View]) -> None:
    for view in views:
        view.handle_batch(cur, [(tracking.notification_id, event)])


class LibraryProjection(Projection[Any]):
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.apply(domain_event, tracking)


def open_projection(settings: Settings, views: Sequence[View] | None = None) -> LibraryProjection:
    """The library's projection into every view, or into ``views`` alone."""
    env = settings.event_store_env()
    if settings.database_url is None:
        env["SQLITE_DBNAME"] = settings.views_target
        views_class: type[Any] = SQLiteLibraryViews
    else:
        views_class = PostgresLibraryViews
    if views is not None:
        views_class = type(views_class.__name__, (views_class,), {"views": list(views)})
    factory = InfrastructureFactory.construct(Environment("LibraryViews", env))
    return LibraryProjection(view=factory.tracking_recorder(views_class))


def replay(app: TrackerApplication, projection: LibraryProjection, limit: int) -> int:
    """Feed the projection as the library's ProjectionRunner does: notifications read in
    pages, each event processed with its tracking record on its own."""
    position = projection.view.max_tracking_id(app.name) or 0
    processed = 0
    while processed < limit:
        page = app.recorder.select_notifications(
            start=position, limit=min(500, limit - processed), inclusive_of_start=False
        )
        if not page:
            break
        for notification in page:
            event = app.mapper.to_domain_event(notification)
            projection.process_event(event, Tracking(app.name, notification.id))
        position = page[-1].id
        processed += len(page)
    return processed
