"""What the views share: a handler table by event type, and one way to write a time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar

from projections.db import Cursor

Handler = Callable[[Any, Cursor, Any, int], None]


def iso(when: datetime) -> str:
    """UTC with a fixed width, so text comparison orders times on SQLite and PostgreSQL alike."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class TableView:
    """A view made of tables; subclasses list their DDL and map event types to handlers."""

    name: ClassVar[str]
    tables: ClassVar[dict[str, str]]  # table name -> column definitions
    indexes: ClassVar[list[str]] = []
    handlers: ClassVar[dict[type, Handler]] = {}

    def create(self, cur: Cursor) -> None:
        for table, columns in self.tables.items():
            cur.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
        for index in self.indexes:
            cur.execute(f"CREATE INDEX IF NOT EXISTS {index}")

    def drop(self, cur: Cursor) -> None:
        for table in self.tables:
            cur.execute(f"DROP TABLE IF EXISTS {table}")

    def handle(self, cur: Cursor, event: object, notification_id: int) -> None:
        handler = self.handlers.get(type(event))
        if handler is not None:
            handler(self, cur, event, notification_id)
