"""The agreement over time: every term version with when it was in force.

A version is in force from ``valid_from`` until ``valid_to`` (open-ended while current), and
likewise between agreement versions, so the agreement as of an instant or as of a version
is one query each (see projections.readers.agreement).
"""

from __future__ import annotations

from typing import ClassVar

from projections.db import Cursor
from projections.instants import iso
from projections.views.base import Handler, TableView, schedule_json, sid
from tracker.domain.alliance import Alliance


class AgreementView(TableView):
    name = "agreement"
    tables: ClassVar[dict[str, str]] = {
        "v_term_versions": (
            "term_id TEXT NOT NULL, version INTEGER NOT NULL, alliance_id TEXT NOT NULL, "
            "category TEXT NOT NULL, text TEXT NOT NULL, proposal_id TEXT NOT NULL, "
            "valid_from TEXT NOT NULL, valid_to TEXT, "
            "agreement_from INTEGER NOT NULL, agreement_to INTEGER, schedule TEXT, "
            "PRIMARY KEY (term_id, version)"
        ),
        "v_agreement_versions": (
            "alliance_id TEXT NOT NULL, version INTEGER NOT NULL, adopted_at TEXT NOT NULL, "
            "proposal_id TEXT NOT NULL, change TEXT NOT NULL, term_id TEXT NOT NULL, "
            "PRIMARY KEY (alliance_id, version)"
        ),
    }
    indexes: ClassVar[list[str]] = [
        "ix_term_versions_alliance ON v_term_versions (alliance_id, valid_from)",
    ]

    def _adopted(self, cur: Cursor, e: Alliance.ProposalAdopted, _: int) -> None:
        at = iso(e.timestamp)
        alliance_id, term_id = sid(e.originator_id), sid(e.term_id)
        if e.kind in ("amend", "retire"):
            cur.execute(
                "UPDATE v_term_versions SET valid_to = ?, agreement_to = ? "
                "WHERE term_id = ? AND valid_to IS NULL",
                (at, e.agreement_version, term_id),
            )
        if e.kind in ("add", "amend"):
            cur.execute(
                "INSERT INTO v_term_versions (term_id, version, alliance_id, category, text, "
                "proposal_id, valid_from, agreement_from, schedule) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    term_id,
                    e.term_version,
                    alliance_id,
                    e.category,
                    e.text,
                    sid(e.proposal_id),
                    at,
                    e.agreement_version,
                    schedule_json(e.schedule),
                ),
            )
        cur.execute(
            "INSERT INTO v_agreement_versions (alliance_id, version, adopted_at, proposal_id, "
            "change, term_id) VALUES (?, ?, ?, ?, ?, ?)",
            (alliance_id, e.agreement_version, at, sid(e.proposal_id), e.kind, term_id),
        )

    handlers: ClassVar[dict[type, Handler]] = {Alliance.ProposalAdopted: _adopted}
