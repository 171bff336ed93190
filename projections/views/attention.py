"""Which alliances' places in the attention queue are out of date.

The queue orders a person's alliances by need, and need is health, open conflicts, calls for
tending and overdue commitments taken together: too much to compute for fifty alliances on
every read. Each alliance's place is therefore kept in ``v_attention`` by
projections.attention.keeper, which reads the other views once they are committed. This view
only says which places every event has made stale: it stamps the alliance's row with the
event's notification, and the keeper writes a place only while the stamp it read is still
there, so a place is never written from views older than an event already applied.

Events of an alliance's notes, conflicts, check-ins, commitments and alerts name the alliance only
when the aggregate is created; ``v_attention_parts`` remembers whose each is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from projections.db import Cursor
from projections.views.base import TableView, sid

# The aggregates whose events move an alliance's place, by the class their events are
# nested in; accounts (a renamed member) and deliveries do not.
_ALLIANCE = "Alliance"
_PARTS = frozenset({"FeedbackNote", "ConflictReport", "CheckIn", "Commitment", "Alert"})


class AttentionView(TableView):
    name = "attention"
    tables: ClassVar[dict[str, str]] = {
        # marked: the last notification that touched the alliance; refreshed: the mark its
        # place was computed at; fresh_until: when time alone may move it ('' once marked).
        "v_attention": (
            "alliance_id TEXT PRIMARY KEY, marked BIGINT NOT NULL, "
            "refreshed BIGINT NOT NULL DEFAULT 0, fresh_until TEXT NOT NULL DEFAULT '', "
            "need INTEGER NOT NULL DEFAULT 9, waiting_since TEXT NOT NULL DEFAULT '', "
            "place TEXT"
        ),
        "v_attention_parts": "part_id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL",
    }
    indexes: ClassVar[list[str]] = ["ix_attention_fresh ON v_attention (fresh_until)"]

    def handle_batch(self, cur: Cursor, events: Sequence[tuple[int, object]]) -> None:
        marks: dict[str, int] = {}  # alliance -> its last notification in the batch
        parts: dict[str, str] = {}  # parts created in this batch
        unplaced: list[tuple[int, str]] = []  # events of parts made before this batch
        for notification_id, event in events:
            owner = _owner(type(event))
            if owner is None:
                continue
            originator = sid(event.originator_id)  # type: ignore[attr-defined]
            if owner == _ALLIANCE:
                marks[originator] = notification_id
            elif (alliance := getattr(event, "alliance_id", None)) is not None:
                parts[originator] = owned_by = sid(alliance)
                marks[owned_by] = notification_id
            elif originator in parts:
                marks[parts[originator]] = notification_id
            else:
                unplaced.append((notification_id, originator))
        if parts:
            cur.executemany(
                "INSERT INTO v_attention_parts (part_id, alliance_id) VALUES (?, ?) "
                "ON CONFLICT (part_id) DO NOTHING",
                [(part, alliance) for part, alliance in parts.items()],
            )
        for notification_id, alliance in _placed(cur, unplaced):
            marks[alliance] = max(marks.get(alliance, 0), notification_id)
        if marks:
            cur.executemany(
                "INSERT INTO v_attention (alliance_id, marked) VALUES (?, ?) "
                "ON CONFLICT (alliance_id) DO UPDATE SET marked = excluded.marked, "
                "fresh_until = ''",
                [(alliance, mark) for alliance, mark in sorted(marks.items())],
            )


_OWNERS: dict[type, str | None] = {}


def _owner(kind: type) -> str | None:
    """The aggregate an event type belongs to, where its events move a place in the queue."""
    if kind not in _OWNERS:
        outer = kind.__qualname__.split(".")[0]
        _OWNERS[kind] = outer if outer == _ALLIANCE or outer in _PARTS else None
    return _OWNERS[kind]


def _placed(cur: Cursor, unplaced: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Each event of a part made in an earlier batch, with the alliance the part belongs to."""
    wanted = sorted({part for _, part in unplaced})
    owners: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        cur.execute(
            "SELECT part_id, alliance_id FROM v_attention_parts "
            f"WHERE part_id IN ({', '.join('?' for _ in chunk)})",
            tuple(chunk),
        )
        owners.update((row["part_id"], row["alliance_id"]) for row in cur.fetchall())
    return [(n, owners[part]) for n, part in unplaced if part in owners]
