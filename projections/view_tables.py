"""The tables every set of views keeps beside its own: how far it has read the log
(its position), and its shape, a digest of what its rows mean; and setting them up."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from typing import Any, Protocol

from projections import quarantine
from projections.db import Cursor, ViewStore

log = logging.getLogger(__name__)

POSITIONS = "projection_position"
SHAPES = "projection_shape"
SETUP_LOCK_KEY = 0x7669_6577_73  # "views"


class View(Protocol):
    @property
    def name(self) -> str: ...

    def shape(self) -> str:
        """What the view's rows mean: its tables and the revision of its handlers. When it
        changes, the rows on disk were made by other code and are rebuilt."""

    def create(self, cur: Cursor) -> None: ...

    def drop(self, cur: Cursor) -> None: ...

    def handle_batch(self, cur: Cursor, events: Sequence[tuple[int, Any]]) -> None:
        """Apply a batch of (notification id, event), in log order, ignoring other types."""


def position_of(store: ViewStore, name: str = "views") -> int:
    """The last notification the views named ``name`` include."""
    with store.read() as cur:
        cur.execute(f"SELECT position FROM {POSITIONS} WHERE name = ?", (name,))
        row = cur.fetchone()
    return int(row["position"]) if row else 0


def set_up(cur: Cursor, name: str, views: Sequence[View]) -> None:
    """Create the position table and every view's tables, after dropping views whose shape
    has changed; safe to repeat."""
    if cur.dialect == "postgresql":
        # Web workers start together; concurrent CREATE TABLE IF NOT EXISTS can still
        # collide in PostgreSQL's catalog, so they take turns.
        cur.execute("SELECT pg_advisory_xact_lock(?)", (SETUP_LOCK_KEY,))
    _drop_if_reshaped(cur, name, views)
    _create(cur, name, views)


def _shape(views: Sequence[View]) -> str:
    described = "\n".join(f"{view.name}: {view.shape()}" for view in views)
    return hashlib.sha256(described.encode()).hexdigest()


def _drop_if_reshaped(cur: Cursor, name: str, views: Sequence[View]) -> None:
    """A new table, column or formula in any view is applied by replaying the log into
    fresh views (from the next catch-up on), never by migrating rows in place."""
    cur.execute(
        f"CREATE TABLE IF NOT EXISTS {SHAPES} (name TEXT PRIMARY KEY, digest TEXT NOT NULL)"
    )
    cur.execute(f"SELECT digest FROM {SHAPES} WHERE name = ?", (name,))
    row = cur.fetchone()
    shape = _shape(views)
    if row is not None and row["digest"] == shape:
        return
    if row is not None:
        log.warning("the views' shape has changed; they are rebuilt from the log")
        for view in views:
            view.drop(cur)
        cur.execute(f"DELETE FROM {POSITIONS} WHERE name = ?", (name,))
        quarantine.create(cur)
        quarantine.clear(cur, name)
    cur.execute(
        f"INSERT INTO {SHAPES} (name, digest) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET digest = excluded.digest",
        (name, shape),
    )


def _create(cur: Cursor, name: str, views: Sequence[View]) -> None:
    cur.execute(
        f"CREATE TABLE IF NOT EXISTS {POSITIONS} (name TEXT PRIMARY KEY, position BIGINT NOT NULL)"
    )
    cur.execute(
        f"INSERT INTO {POSITIONS} (name, position) VALUES (?, 0) ON CONFLICT (name) DO NOTHING",
        (name,),
    )
    quarantine.create(cur)
    for view in views:
        view.create(cur)
