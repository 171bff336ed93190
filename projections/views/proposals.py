"""Every proposal with its fate, and who accepted it when: open proposals and term history."""

from __future__ import annotations

from typing import ClassVar

from projections.db import Cursor
from projections.instants import iso
from projections.views.base import Handler, TableView, schedule_json, sid
from tracker.domain.alliance import Alliance

ProposalEvent = Alliance.TermProposed | Alliance.AmendmentProposed | Alliance.RetirementProposed


class ProposalsView(TableView):
    name = "proposals"
    tables: ClassVar[dict[str, str]] = {
        "v_proposals": (
            "proposal_id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL, kind TEXT NOT NULL, "
            "term_id TEXT NOT NULL, based_on_version INTEGER, category TEXT NOT NULL, "
            "text TEXT NOT NULL, rationale TEXT NOT NULL, proposer_id TEXT NOT NULL, "
            "proposed_at TEXT NOT NULL, redesign_id TEXT, status TEXT NOT NULL, "
            "closed_at TEXT, closed_by TEXT, reason TEXT, term_version INTEGER, "
            "agreement_version INTEGER, schedule TEXT"
        ),
        "v_acceptances": (
            "proposal_id TEXT NOT NULL, member_id TEXT NOT NULL, accepted_at TEXT NOT NULL, "
            "PRIMARY KEY (proposal_id, member_id)"
        ),
    }
    indexes: ClassVar[list[str]] = [
        "ix_proposals_alliance ON v_proposals (alliance_id, status, proposed_at)",
        "ix_proposals_term ON v_proposals (term_id)",
    ]

    def _proposed(self, cur: Cursor, e: ProposalEvent, _: int) -> None:
        kind = {
            Alliance.TermProposed: "add",
            Alliance.AmendmentProposed: "amend",
            Alliance.RetirementProposed: "retire",
        }[type(e)]
        at = iso(e.timestamp)
        cur.execute(
            "INSERT INTO v_proposals (proposal_id, alliance_id, kind, term_id, based_on_version, "
            "category, text, rationale, proposer_id, proposed_at, redesign_id, status, schedule) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
            (
                sid(e.proposal_id),
                sid(e.originator_id),
                kind,
                sid(e.term_id),
                getattr(e, "based_on_version", None),
                e.category,
                e.text,
                e.rationale,
                sid(e.proposer_id),
                at,
                sid(e.redesign_id) if e.redesign_id else None,
                schedule_json(getattr(e, "schedule", None)),
            ),
        )
        # A proposer's own acceptance is implied, and recorded as of the proposal.
        self._accept(cur, sid(e.proposal_id), sid(e.proposer_id), at)

    def _accepted(self, cur: Cursor, e: Alliance.ProposalAccepted, _: int) -> None:
        self._accept(cur, sid(e.proposal_id), sid(e.member_id), iso(e.timestamp))

    def _accept(self, cur: Cursor, proposal_id: str, member_id: str, at: str) -> None:
        cur.execute(
            "INSERT INTO v_acceptances (proposal_id, member_id, accepted_at) VALUES (?, ?, ?)",
            (proposal_id, member_id, at),
        )

    def _declined(self, cur: Cursor, e: Alliance.ProposalDeclined, _: int) -> None:
        self._close(cur, e.proposal_id, "declined", iso(e.timestamp), sid(e.member_id), e.reason)

    def _withdrawn(self, cur: Cursor, e: Alliance.ProposalWithdrawn, _: int) -> None:
        self._close(cur, e.proposal_id, "withdrawn", iso(e.timestamp), sid(e.member_id), None)

    def _close(
        self, cur: Cursor, proposal_id: object, status: str, at: str, by: str, reason: str | None
    ) -> None:
        cur.execute(
            "UPDATE v_proposals SET status = ?, closed_at = ?, closed_by = ?, reason = ? "
            "WHERE proposal_id = ?",
            (status, at, by, reason, str(proposal_id)),
        )

    def _adopted(self, cur: Cursor, e: Alliance.ProposalAdopted, _: int) -> None:
        cur.execute(
            "UPDATE v_proposals SET status = 'adopted', closed_at = ?, term_version = ?, "
            "agreement_version = ? WHERE proposal_id = ?",
            (iso(e.timestamp), e.term_version, e.agreement_version, sid(e.proposal_id)),
        )

    def _left(self, cur: Cursor, e: Alliance.MemberLeft, _: int) -> None:
        # As in the domain: a leaver's acceptance of what is still open no longer counts.
        cur.execute(
            "DELETE FROM v_acceptances WHERE member_id = ? AND proposal_id IN "
            "(SELECT proposal_id FROM v_proposals WHERE alliance_id = ? AND status = 'open')",
            (sid(e.member_id), sid(e.originator_id)),
        )

    def _ended(self, cur: Cursor, e: Alliance.Ended, _: int) -> None:
        cur.execute(
            "UPDATE v_proposals SET status = 'lapsed', closed_at = ? "
            "WHERE alliance_id = ? AND status = 'open'",
            (iso(e.timestamp), sid(e.originator_id)),
        )

    handlers: ClassVar[dict[type, Handler]] = {
        Alliance.TermProposed: _proposed,
        Alliance.AmendmentProposed: _proposed,
        Alliance.RetirementProposed: _proposed,
        Alliance.ProposalAccepted: _accepted,
        Alliance.ProposalDeclined: _declined,
        Alliance.ProposalWithdrawn: _withdrawn,
        Alliance.ProposalAdopted: _adopted,
        Alliance.MemberLeft: _left,
        Alliance.Ended: _ended,
    }
