"""Keeps each alliance's place in the attention queue (``v_attention``) up to date: after
every catch-up, each place an event made stale or whose time has come is computed again from
the views and written, unless an event has stamped it again meanwhile (the next pass takes it
then). Two keepers at once only repeat each other's work."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from projections.attention.place import REFRESH_WITHIN, Place, PlaceReader
from projections.db import ViewStore
from projections.instants import iso

log = logging.getLogger(__name__)


class AttentionKeeper:
    def __init__(self, store: ViewStore, batch: int = 200) -> None:
        self.store = store
        self.places = PlaceReader(store)
        self.batch = batch  # places per write transaction, so readers never wait long

    def refresh(self, now: datetime) -> int:
        """Compute every place that is due as of ``now``; returns how many were written."""
        written = 0
        while True:
            due = self._due(now)
            if not due:
                return written
            fresh = [
                (alliance, self.places.place(alliance, now), marked) for alliance, marked in due
            ]
            written += self._write(fresh, iso(now + REFRESH_WITHIN))
            if len(due) < self.batch:
                return written

    def _due(self, now: datetime) -> list[tuple[str, int]]:
        with self.store.read() as cur:
            cur.execute(
                "SELECT alliance_id, marked FROM v_attention WHERE fresh_until <= ? "
                "ORDER BY fresh_until, alliance_id LIMIT ?",
                (iso(now), self.batch),
            )
            return [(row["alliance_id"], int(row["marked"])) for row in cur.fetchall()]

    def _write(self, fresh: list[tuple[str, Place | None, int]], later: str) -> int:
        written = 0
        with self.store.transaction() as cur:
            for alliance, place, marked in fresh:
                if place is None:  # not in the views (yet): look again in a while
                    cur.execute(
                        "UPDATE v_attention SET fresh_until = ? WHERE alliance_id = ?",
                        (later, alliance),
                    )
                    continue
                cur.execute(
                    "UPDATE v_attention SET refreshed = ?, fresh_until = ?, need = ?, "
                    "waiting_since = ?, place = ? WHERE alliance_id = ? AND marked = ?",
                    (
                        marked,
                        place.fresh_until,
                        place.rank,
                        place.waiting_since,
                        json.dumps(place.place, sort_keys=True),
                        place.alliance_id,
                        marked,
                    ),
                )
                written += 1
        return written
