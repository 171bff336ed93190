"""Helpers shared by integration tests: build a Tracker on a store, compare views."""

from __future__ import annotations

from typing import Any

from projections.catchup import CatchUpEngine
from projections.db import ViewStore
from projections.stores import open_store
from projections.view_tables import position_of
from projections.views import all_views
from shell.bootstrap import Tracker
from shell.settings import Settings
from tracker.application import TrackerApplication


def snapshot_views(store: ViewStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every view table, in a stable order, for equality checks."""
    tables = [table for view in all_views() for table in view.tables]  # type: ignore[attr-defined]
    contents: dict[str, list[tuple[Any, ...]]] = {}
    with store.read() as cur:
        for table in tables:
            cur.execute(f"SELECT * FROM {table}")
            rows = [tuple(str(value) for value in row.values()) for row in cur.fetchall()]
            contents[table] = sorted(rows)
    return contents


def fresh_engine(app: TrackerApplication, store: ViewStore, **kwargs: Any) -> CatchUpEngine:
    engine = CatchUpEngine(app.recorder, app.mapper, store, all_views(), **kwargs)
    engine.setup()
    return engine


def rebuilt_copy(tracker: Tracker) -> dict[str, list[tuple[Any, ...]]]:
    """The views as a rebuild makes them."""
    tracker.engine.rebuild()
    return snapshot_views(tracker.store)


def views_position(settings: Settings) -> int:
    """How far the views of a store that other processes keep have come."""
    store = open_store(settings.views_target)
    try:
        return position_of(store)
    finally:
        store.close()
