"""Commitments and each answer their owners gave for them, check-in by check-in."""

from __future__ import annotations

from typing import ClassVar

from projections.db import Cursor
from projections.instants import iso
from projections.views.base import Handler, TableView, sid
from tracker.domain.commitment import Commitment


class CommitmentsView(TableView):
    name = "commitments"
    tables: ClassVar[dict[str, str]] = {
        "v_commitments": (
            "commitment_id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL, what TEXT NOT NULL, "
            "owner_id TEXT NOT NULL, made_by TEXT NOT NULL, made_at TEXT NOT NULL, "
            "due_on TEXT NOT NULL, term_id TEXT, source TEXT NOT NULL, source_id TEXT NOT NULL, "
            "status TEXT NOT NULL, closed_at TEXT"
        ),
        "v_commitment_reviews": (
            "commitment_id TEXT NOT NULL, checkin_id TEXT NOT NULL, outcome TEXT NOT NULL, "
            "carried_to TEXT, reviewed_by TEXT NOT NULL, reviewed_at TEXT NOT NULL, "
            "PRIMARY KEY (commitment_id, checkin_id)"
        ),
    }
    indexes: ClassVar[list[str]] = [
        "ix_commitments_alliance ON v_commitments (alliance_id, status, due_on)",
        "ix_commitments_owner ON v_commitments (owner_id, status, due_on)",
        "ix_commitment_reviews_checkin ON v_commitment_reviews (checkin_id)",
    ]

    def _made(self, cur: Cursor, e: Commitment.Made, _: int) -> None:
        cur.execute(
            "INSERT INTO v_commitments (commitment_id, alliance_id, what, owner_id, made_by, "
            "made_at, due_on, term_id, source, source_id, status) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
            (
                sid(e.originator_id),
                sid(e.alliance_id),
                e.what,
                sid(e.owner_id),
                sid(e.made_by),
                iso(e.timestamp),
                e.due_on,
                sid(e.term_id) if e.term_id else None,
                e.source,
                sid(e.source_id),
            ),
        )

    def _reviewed(self, cur: Cursor, e: Commitment.Reviewed, _: int) -> None:
        at, commitment = iso(e.timestamp), sid(e.originator_id)
        cur.execute(
            "INSERT INTO v_commitment_reviews (commitment_id, checkin_id, outcome, carried_to, "
            "reviewed_by, reviewed_at) VALUES (?, ?, ?, ?, ?, ?)",
            (commitment, sid(e.checkin_id), e.outcome, e.carried_to, sid(e.by), at),
        )
        if e.outcome == "carried_over":
            cur.execute(
                "UPDATE v_commitments SET due_on = ? WHERE commitment_id = ?",
                (e.carried_to, commitment),
            )
        else:
            cur.execute(
                "UPDATE v_commitments SET status = ?, closed_at = ? WHERE commitment_id = ?",
                (e.outcome, at, commitment),
            )

    handlers: ClassVar[dict[type, Handler]] = {
        Commitment.Made: _made,
        Commitment.Reviewed: _reviewed,
    }
