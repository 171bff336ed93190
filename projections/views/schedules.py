"""When each alliance is next due a check-in: one row per rhythm term with a schedule.

``next_slot`` is the rhythm's first occurrence after it was adopted, then after each check-in
the scheduler prompted, so the scheduler finds what is due with one indexed range query
however many alliances there are. An amended rhythm starts again from its adoption; a
retired one, or one amended into words alone, has no row.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from projections.db import Cursor, Row
from projections.instants import iso
from projections.views.base import Handler, TableView, sid
from tracker.domain.alliance import Alliance
from tracker.domain.checkin import CheckIn
from tracker.domain.rhythm import Rhythm

log = logging.getLogger(__name__)


class SchedulesView(TableView):
    name = "schedules"
    tables: ClassVar[dict[str, str]] = {
        "v_rhythms": (
            "term_id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL, version INTEGER NOT NULL, "
            "rule TEXT NOT NULL, start TEXT NOT NULL, zone TEXT NOT NULL, "
            "adopted_at TEXT NOT NULL, next_slot TEXT"
        ),
    }
    indexes: ClassVar[list[str]] = [
        "ix_rhythms_due ON v_rhythms (next_slot)",
        "ix_rhythms_alliance ON v_rhythms (alliance_id)",
    ]

    def __init__(self) -> None:
        # The rhythms of the alliances a batch touches, read once before the batch: a read
        # per prompt would break the batch's writes into runs of one (a round trip each on
        # PostgreSQL, most of a rebuild).
        self._rhythms: dict[str, dict[str, Row]] = {}

    def handle_batch(self, cur: Cursor, events: Sequence[tuple[int, object]]) -> None:
        touched = sorted(
            {
                sid(e.alliance_id) if isinstance(e, CheckIn.Prompted) else sid(e.originator_id)
                for _, e in events
                if (isinstance(e, CheckIn.Prompted) and e.scheduled)
                or (isinstance(e, Alliance.ProposalAdopted) and e.category == "rhythm")
            }
        )
        self._rhythms = {alliance: {} for alliance in touched}
        for start in range(0, len(touched), 500):
            chunk = touched[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            cur.execute(
                f"SELECT term_id, alliance_id, rule, start, zone, next_slot FROM v_rhythms "
                f"WHERE alliance_id IN ({marks})",
                tuple(chunk),
            )
            for row in cur.fetchall():
                self._rhythms[row["alliance_id"]][row["term_id"]] = dict(row)
        try:
            super().handle_batch(cur, events)
        finally:
            self._rhythms = {}

    def _adopted(self, cur: Cursor, e: Alliance.ProposalAdopted, _: int) -> None:
        if e.category != "rhythm":
            return
        term_id = sid(e.term_id)
        known = self._rhythms.setdefault(sid(e.originator_id), {})
        if e.kind == "retire" or e.schedule is None:
            known.pop(term_id, None)
            cur.execute("DELETE FROM v_rhythms WHERE term_id = ?", (term_id,))
            return
        rhythm = Rhythm.from_record(e.schedule)
        following = _next(rhythm, e.timestamp)
        known[term_id] = {
            **rhythm.record(),
            "term_id": term_id,
            "next_slot": iso(following) if following else None,
        }
        cur.execute(
            "INSERT INTO v_rhythms (term_id, alliance_id, version, rule, start, zone, "
            "adopted_at, next_slot) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (term_id) DO UPDATE SET version = excluded.version, "
            "rule = excluded.rule, start = excluded.start, zone = excluded.zone, "
            "adopted_at = excluded.adopted_at, next_slot = excluded.next_slot",
            (
                term_id,
                sid(e.originator_id),
                e.term_version,
                rhythm.rule,
                rhythm.record()["start"],
                rhythm.zone,
                iso(e.timestamp),
                iso(following) if following else None,
            ),
        )

    def _prompted(self, cur: Cursor, e: CheckIn.Prompted, _: int) -> None:
        if not e.scheduled:
            return  # a check-in a member started leaves the agreed rhythm as it was
        slot = iso(e.slot)
        for row in self._rhythms.get(sid(e.alliance_id), {}).values():
            if row["next_slot"] is None or row["next_slot"] > slot:
                continue
            following = _next(Rhythm.from_record(row), e.slot)
            row["next_slot"] = iso(following) if following else None
            cur.execute(
                "UPDATE v_rhythms SET next_slot = ? WHERE term_id = ?",
                (row["next_slot"], row["term_id"]),
            )

    def _ended(self, cur: Cursor, e: Alliance.Ended, _: int) -> None:
        self._rhythms.pop(sid(e.originator_id), None)
        cur.execute("DELETE FROM v_rhythms WHERE alliance_id = ?", (sid(e.originator_id),))

    handlers: ClassVar[dict[type, Handler]] = {
        Alliance.ProposalAdopted: _adopted,
        CheckIn.Prompted: _prompted,
        Alliance.Ended: _ended,
    }


def _next(rhythm: Rhythm, after: datetime) -> datetime | None:
    """The next slot, or none when it cannot be worked out: a rhythm recorded before its
    start was bounded could lie past what dates can hold, and a view that raised here would
    stop the views of every alliance."""
    try:
        return rhythm.next_after(after)
    except (ValueError, OverflowError):
        log.warning("rhythm %s cannot be worked out after %s; not scheduled", rhythm, after)
        return None
