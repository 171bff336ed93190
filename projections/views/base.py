"""What the views share: a handler table by event type, and the text form of an id."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, ClassVar
from uuid import UUID

from projections.db import Cursor

Handler = Callable[[Any, Cursor, Any, int], None]


def schedule_json(schedule: dict[str, str] | None) -> str | None:
    """A rhythm's schedule as the views keep it (read back by projections.readers)."""
    return json.dumps(schedule, sort_keys=True) if schedule else None


# A rebuild of a thousand alliances meets some 14,000 recurring ids (alliances, members,
# terms, check-ins) between the notes' own: with room for 4,096 a third of calls missed.
@lru_cache(maxsize=65536)
def sid(value: UUID) -> str:
    return str(value)


class TableView:
    """A view made of tables; subclasses list their DDL and map event types to handlers."""

    name: ClassVar[str]
    tables: ClassVar[dict[str, str]]  # table name -> column definitions
    indexes: ClassVar[list[str]] = []
    handlers: ClassVar[dict[type, Handler]] = {}
    # Event types whose handlers only insert rows that nothing else in the view writes or
    # reads while handling: they are applied first, a type at a time, so that each insert
    # goes out as one long run. Every other handler then runs in log order, and finds each
    # row it updates already there, as it would one event at a time.
    inserts_first: ClassVar[tuple[type, ...]] = ()
    # Raise when a handler starts writing different rows for the same events: the engine then
    # rebuilds the views. Tables and indexes count by themselves.
    revision: ClassVar[int] = 1

    def shape(self) -> str:
        return repr((self.revision, sorted(self.tables.items()), sorted(self.indexes)))

    def create(self, cur: Cursor) -> None:
        for table, columns in self.tables.items():
            cur.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
        for index in self.indexes:
            cur.execute(f"CREATE INDEX IF NOT EXISTS {index}")

    def drop(self, cur: Cursor) -> None:
        for table in self.tables:
            cur.execute(f"DROP TABLE IF EXISTS {table}")

    def handle_batch(self, cur: Cursor, events: Sequence[tuple[int, object]]) -> None:
        first = self.inserts_first
        for kind in first:
            self._handle(cur, [item for item in events if type(item[1]) is kind])
        self._handle(cur, [item for item in events if type(item[1]) not in first])

    def _handle(self, cur: Cursor, events: Sequence[tuple[int, object]]) -> None:
        handlers = self.handlers
        for notification_id, event in events:
            handler = handlers.get(type(event))
            if handler is None:
                continue
            try:
                handler(self, cur, event, notification_id)
            except Exception as error:
                error.add_note(f"notification {notification_id} ({type(event).__qualname__})")
                raise
