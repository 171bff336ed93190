"""Events a view could not apply, held for that view so that it, and every other view, goes on.

An event is held when applying it raised anything but a fault of the store itself (a lost
connection, a locked or full disk: those roll the batch back and are tried again). What is
held is listed by ``tracker quarantine`` and by ``/healthz`` (degraded), and retried on
demand, after a fix, in log order.

The later events of the same aggregate are held behind it, for that view alone: applied
without it, a retraction or a change of visibility would find nothing to change, and the
held event, applied at last, would undo them (a retracted note shown again).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
import psycopg.errors

from projections.db import Cursor

QUARANTINE = "projection_quarantine"

# Faults of the store, not of the event: the batch is rolled back and tried again later.
STORE_FAULTS: tuple[type[BaseException], ...] = (
    sqlite3.OperationalError,
    sqlite3.InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)

# SQLite's primary result codes that are the store's trouble: busy or locked, out of memory,
# read-only, interrupted, I/O, corrupt, full, cannot open, protocol. Its other errors of the
# same class ("no such column", "string or blob too big") are a view's with this event.
_SQLITE_STORE_CODES = frozenset({5, 6, 7, 8, 9, 10, 11, 13, 14, 15})

_ERROR_LENGTH = 2000  # the start of a message is what names the fault


def is_store_fault(error: BaseException) -> bool:
    """Whether trying the same again later may succeed: a fault of the store, which rolls
    the batch back, rather than of a view with an event, which holds the event. Treating
    the second as the first would stop every view on one event, for ever."""
    if isinstance(error, sqlite3.OperationalError):
        return (getattr(error, "sqlite_errorcode", 0) & 0xFF) in _SQLITE_STORE_CODES
    if isinstance(error, sqlite3.InterfaceError):
        return False  # a value the view could not bind: the event's
    if isinstance(error, psycopg.errors.ProgramLimitExceeded):
        return False  # a value too large for an index or a row: the event's
    return isinstance(error, STORE_FAULTS)


@dataclass(frozen=True)
class HeldEvent:
    view: str
    notification_id: int
    topic: str
    error: str
    held_at: str
    attempts: int
    originator_id: str | None = None  # the aggregate whose later events wait behind it


def create(cur: Cursor) -> None:
    cur.execute(
        f"CREATE TABLE IF NOT EXISTS {QUARANTINE} ("
        "engine TEXT NOT NULL, view TEXT NOT NULL, notification_id BIGINT NOT NULL, "
        "topic TEXT NOT NULL, error TEXT NOT NULL, held_at TEXT NOT NULL, "
        "attempts INTEGER NOT NULL, originator_id TEXT, "
        "PRIMARY KEY (engine, view, notification_id))"
    )
    try:
        with cur.savepoint():
            cur.execute(f"SELECT originator_id FROM {QUARANTINE} WHERE 1 = 0")
    except Exception:  # noqa: BLE001  (a table made before the column; either store's error)
        cur.execute(f"ALTER TABLE {QUARANTINE} ADD COLUMN originator_id TEXT")


def describe(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}"
    for note in getattr(error, "__notes__", ()):
        text += f" ({note})"
    # Errors may quote the event's own text; keep the record printable in any store.
    return text.replace("\x00", "\\x00")[:_ERROR_LENGTH]


def hold(
    cur: Cursor,
    engine: str,
    view: str,
    notification_id: int,
    topic: str,
    error: BaseException,
    originator_id: str | None,
) -> None:
    cur.execute(
        f"INSERT INTO {QUARANTINE} "
        "(engine, view, notification_id, topic, error, held_at, attempts, originator_id) "
        "VALUES (?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (engine, view, notification_id) "
        "DO UPDATE SET error = excluded.error, held_at = excluded.held_at, "
        f"attempts = {QUARANTINE}.attempts + 1",
        (engine, view, notification_id, topic, describe(error), _now(), originator_id),
    )


class HeldBehind(Exception):
    """An event of an aggregate whose earlier event the view holds: it waits for that one."""

    def __init__(self, originator_id: str) -> None:
        super().__init__(f"waits behind an earlier held event of {originator_id}")


def waiting(cur: Cursor, engine: str) -> dict[str, set[str]]:
    """For each view, the aggregates whose later events wait behind a held one."""
    cur.execute(
        f"SELECT DISTINCT view, originator_id FROM {QUARANTINE} "
        "WHERE engine = ? AND originator_id IS NOT NULL",
        (engine,),
    )
    found: dict[str, set[str]] = {}
    for row in cur.fetchall():
        found.setdefault(row["view"], set()).add(row["originator_id"])
    return found


def restore(cur: Cursor, engine: str, item: HeldEvent) -> None:
    """Hold again what another engine's store held (a rebuild's, adopted)."""
    cur.execute(
        f"INSERT INTO {QUARANTINE} "
        "(engine, view, notification_id, topic, error, held_at, attempts, originator_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            engine,
            item.view,
            item.notification_id,
            item.topic,
            item.error,
            item.held_at,
            item.attempts,
            item.originator_id,
        ),
    )


def release(cur: Cursor, engine: str, view: str, notification_id: int) -> None:
    cur.execute(
        f"DELETE FROM {QUARANTINE} WHERE engine = ? AND view = ? AND notification_id = ?",
        (engine, view, notification_id),
    )


def clear(cur: Cursor, engine: str) -> None:
    """A rebuild applies every event afresh: what it cannot apply it holds again."""
    cur.execute(f"DELETE FROM {QUARANTINE} WHERE engine = ?", (engine,))


def held(cur: Cursor, engine: str) -> list[HeldEvent]:
    cur.execute(
        "SELECT view, notification_id, topic, error, held_at, attempts, originator_id "
        f"FROM {QUARANTINE} WHERE engine = ? ORDER BY notification_id, view",
        (engine,),
    )
    return [
        HeldEvent(
            view=row["view"],
            notification_id=int(row["notification_id"]),
            topic=row["topic"],
            error=row["error"],
            held_at=row["held_at"],
            attempts=int(row["attempts"]),
            originator_id=row["originator_id"],
        )
        for row in cur.fetchall()
    ]


def count(cur: Cursor, engine: str) -> int:
    cur.execute(f"SELECT COUNT(*) AS held FROM {QUARANTINE} WHERE engine = ?", (engine,))
    row = cur.fetchone()
    return int(row["held"]) if row else 0


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
