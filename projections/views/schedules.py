"""When each alliance is next due a check-in: one row per rhythm term with a schedule.

``next_slot`` is the rhythm's first occurrence after it was adopted, then after each check-in
the scheduler prompted, so the scheduler finds what is due with one indexed range query
however many alliances there are. An amended rhythm starts again from its adoption; a
retired one, or one amended into words alone, has no row.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import ClassVar

from projections.db import Cursor
from projections.views.base import Handler, TableView, iso, sid
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

    def _adopted(self, cur: Cursor, e: Alliance.ProposalAdopted, _: int) -> None:
        if e.category != "rhythm":
            return
        term_id = sid(e.term_id)
        if e.kind == "retire" or e.schedule is None:
            cur.execute("DELETE FROM v_rhythms WHERE term_id = ?", (term_id,))
            return
        rhythm = Rhythm.from_record(e.schedule)
        following = _next(rhythm, e.timestamp)
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
        cur.execute(
            "SELECT term_id, rule, start, zone FROM v_rhythms "
            "WHERE alliance_id = ? AND next_slot <= ?",
            (sid(e.alliance_id), iso(e.slot)),
        )
        for row in cur.fetchall():
            following = _next(Rhythm.from_record(row), e.slot)
            cur.execute(
                "UPDATE v_rhythms SET next_slot = ? WHERE term_id = ?",
                (iso(following) if following else None, row["term_id"]),
            )

    def _ended(self, cur: Cursor, e: Alliance.Ended, _: int) -> None:
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
