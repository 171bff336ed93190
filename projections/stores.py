"""Opening the view store a target names."""

from __future__ import annotations

from pathlib import Path

from projections.db import ViewStore
from projections.postgres_store import PostgresViewStore
from projections.sqlite_store import SQLiteViewStore


def open_store(target: str) -> ViewStore:
    """A ``postgresql://`` URL or the path of a SQLite file."""
    if target.startswith(("postgresql://", "postgres://")):
        return PostgresViewStore(target)
    return SQLiteViewStore(Path(target))
