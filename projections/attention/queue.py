"""The attention queue as one person reads it: every alliance they are a member of, by need
and then by how long it has waited, each with the reasons for its place.

The order is the kept places' (projections.attention.keeper), sorted and paged by the store,
so a queue of two hundred alliances costs about what a queue of five does. A place an event
has made stale, or whose time has come, and the keeper has not yet written again is computed
here instead, for this answer only: the queue is never behind the views it is read from.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from projections.attention.place import NEEDS, Place, PlaceReader
from projections.db import Row, ViewStore
from projections.instants import iso

_MINE = (
    "FROM v_memberships m JOIN v_alliances a ON a.alliance_id = m.alliance_id "
    "LEFT JOIN v_attention t ON t.alliance_id = m.alliance_id "
    "WHERE m.member_id = ? AND m.left_at IS NULL"
)
QUEUE_CURSOR_PATTERN = (
    "^[0-4]_[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{6}Z"
    "_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
QUEUE_CURSOR = re.compile(QUEUE_CURSOR_PATTERN)
_COLUMNS = (
    "SELECT a.alliance_id, a.title, a.kind, m.role, a.agreement_version, t.need, "
    "t.waiting_since, t.place "
)


@dataclass(frozen=True)
class Narrowed:
    """Which of the viewer's alliances to show, and which page of them."""

    kind: str | None = None
    need: str | None = None
    limit: int = 50
    after: tuple[int, str, str] | None = None  # (need, waiting_since, alliance_id) seen last


class AttentionQueue:
    def __init__(self, store: ViewStore) -> None:
        self.store = store
        self.places = PlaceReader(store)

    def queue(self, viewer: UUID, now: datetime, narrowed: Narrowed) -> dict[str, Any]:
        """The viewer's queue, a page of it: its places as data."""
        head, page = self._page(viewer, now, narrowed)
        return {**head, "alliances": [_entry(row) for row in page]}

    def written(self, viewer: UUID, now: datetime, narrowed: Narrowed) -> str:
        """The same queue as JSON text, its kept places spliced in as they are stored: for
        the API, where decoding and encoding again fifty places of some thirty fields each
        was most of the answer's time."""
        head, page = self._page(viewer, now, narrowed)
        entries = ", ".join(_entry_written(row) for row in page)
        return f'{json.dumps(head)[:-1]}, "alliances": [{entries}]}}'

    def _page(
        self, viewer: UUID, now: datetime, narrowed: Narrowed
    ) -> tuple[dict[str, Any], list[Row]]:
        me = str(viewer)
        with self.store.snapshot():
            stale = self._stale(me, now)
            if stale:
                rows, total, counts = self._recomputed(me, now, narrowed, stale)
            else:
                rows, total, counts = self._kept(me, narrowed)
        page, more = rows[: narrowed.limit], len(rows) > narrowed.limit
        head = {
            "as_of": iso(now),
            "total": total,
            "counts": counts,
            "next_cursor": queue_cursor(page[-1]) if more and page else None,
        }
        return head, page

    def _stale(self, me: str, now: datetime) -> dict[str, Place | None]:
        """The viewer's alliances whose kept place is out of date, each computed now."""
        with self.store.read() as cur:
            cur.execute(
                f"SELECT m.alliance_id {_MINE} AND (t.alliance_id IS NULL OR t.fresh_until <= ?)",
                (me, iso(now)),
            )
            stale = [row["alliance_id"] for row in cur.fetchall()]
        return {alliance: self.places.place(alliance, now) for alliance in stale}

    def _kept(self, me: str, narrowed: Narrowed) -> tuple[list[Row], int, dict[str, int]]:
        counts = dict.fromkeys(NEEDS, 0)
        where, params = _narrowing(me, Narrowed(kind=narrowed.kind))
        with self.store.read() as cur:
            cur.execute(f"SELECT t.need, COUNT(*) AS n {_MINE}{where} GROUP BY t.need", params)
            for row in cur.fetchall():
                counts[NEEDS[row["need"]]] = int(row["n"])
            where, params = _narrowing(me, narrowed)
            cur.execute(
                f"{_COLUMNS}{_MINE}{where} ORDER BY t.need, t.waiting_since, a.alliance_id LIMIT ?",
                (*params, narrowed.limit + 1),
            )
            rows = [dict(row) for row in cur.fetchall()]  # each place as stored, JSON text
        total = counts[narrowed.need] if narrowed.need else sum(counts.values())
        return rows, total, counts

    def _recomputed(
        self, me: str, now: datetime, narrowed: Narrowed, stale: dict[str, Place | None]
    ) -> tuple[list[Row], int, dict[str, int]]:
        """The whole queue sorted here, with the stale places as computed now."""
        counts = dict.fromkeys(NEEDS, 0)
        where, params = _narrowing(me, Narrowed(kind=narrowed.kind))
        with self.store.read() as cur:
            cur.execute(f"{_COLUMNS}{_MINE}{where}", params)
            rows = [dict(row) for row in cur.fetchall()]
        placed = []
        for row in rows:
            if row["alliance_id"] in stale:
                place = stale[row["alliance_id"]]
                if place is None:
                    continue
                row.update(need=place.rank, waiting_since=place.waiting_since, place=place.place)
            counts[NEEDS[row["need"]]] += 1
            if narrowed.need is None or NEEDS[row["need"]] == narrowed.need:
                placed.append(row)
        placed.sort(key=_order)
        after = [row for row in placed if narrowed.after is None or _order(row) > narrowed.after]
        return after[: narrowed.limit + 1], len(placed), counts


def _narrowing(me: str, narrowed: Narrowed) -> tuple[str, tuple[Any, ...]]:
    where = ""
    params: list[Any] = [me]
    if narrowed.kind is not None:
        where += " AND a.kind = ?"
        params.append(narrowed.kind)
    if narrowed.need is not None:
        where += " AND t.need = ?"
        params.append(NEEDS.index(narrowed.need))
    if narrowed.after is not None:
        # Row values compare in order on both stores: the rows after the cursor's.
        where += " AND (t.need, t.waiting_since, a.alliance_id) > (?, ?, ?)"
        params.extend(narrowed.after)
    return where, tuple(params)


def _order(row: Row) -> tuple[int, str, str]:
    return (row["need"], row["waiting_since"], row["alliance_id"])


def queue_cursor(row: Row) -> str:
    """Where the page after this alliance starts."""
    need, since, alliance = _order(row)
    return f"{need}_{since}_{alliance}"


def read_queue_cursor(cursor: str) -> tuple[int, str, str] | None:
    """The place a cursor stands for, or None if it is not of that form."""
    if not QUEUE_CURSOR.fullmatch(cursor):
        return None
    need, since, alliance = cursor.split("_")
    return int(need), since, alliance


def _head(row: Row) -> dict[str, Any]:
    """What a queue entry says of the alliance itself, before its place."""
    return {
        "alliance_id": row["alliance_id"],
        "title": row["title"],
        "kind": row["kind"],
        "role": row["role"],
        "agreement_version": row["agreement_version"],
    }


def _entry(row: Row) -> dict[str, Any]:
    place = row["place"]  # as kept (JSON text), or as computed now (data)
    return {**_head(row), **(json.loads(place) if isinstance(place, str) else place)}


def _entry_written(row: Row) -> str:
    place = row["place"]
    text = place if isinstance(place, str) else json.dumps(place)
    return f"{json.dumps(_head(row))[:-1]}, {text[1:]}"  # a place is never an empty object
