"""Proposals and who has accepted each."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from projections.instants import iso
from projections.readers.agreement import word_diff
from projections.readers.base import Reader, Row, read_schedule


class ProposalReader(Reader):
    def open_proposals(self, alliance_id: UUID) -> list[Row]:
        """Each with what it would change, so that nothing is agreed unseen: an amendment or a
        retirement with the wording in force (``in_force``), an amendment with its word diff
        against that wording."""
        proposals = self.proposals(alliance_id, status="open")
        changing = {p["term_id"] for p in proposals if p["kind"] != "add"}
        in_force: dict[str, Row] = {}
        if changing:
            rows = self._all(
                "SELECT term_id, version, text, schedule FROM v_term_versions "
                "WHERE alliance_id = ? AND valid_to IS NULL",
                (str(alliance_id),),
            )
            for row in rows:
                read_schedule(row)
                in_force[row["term_id"]] = row
        for proposal in proposals:
            was = in_force.get(proposal["term_id"]) if proposal["kind"] != "add" else None
            proposal["in_force"] = was
            if was is not None and proposal["kind"] == "amend":
                proposal["diff"] = word_diff(was["text"], proposal["text"])
        return proposals

    def proposals(self, alliance_id: UUID, *, status: str | None = None) -> list[Row]:
        """Oldest first, each with who has accepted it and, while open, who it awaits."""
        return self._proposals(alliance_id, "(? = '' OR p.status = ?)", (status or "",) * 2)

    def settled_since(self, alliance_id: UUID, since: datetime, limit: int = 10) -> list[Row]:
        """Proposals adopted, declined, withdrawn or lapsed since then, newest first."""
        return self._all(
            "SELECT p.*, a.name AS proposer_name, c.name AS closed_by_name FROM v_proposals p "
            "JOIN v_accounts a ON a.account_id = p.proposer_id "
            "LEFT JOIN v_accounts c ON c.account_id = p.closed_by "
            "WHERE p.alliance_id = ? AND p.status <> 'open' AND p.closed_at >= ? "
            "ORDER BY p.closed_at DESC LIMIT ?",
            (str(alliance_id), iso(since), limit),
        )

    def proposal(self, alliance_id: UUID, proposal_id: UUID) -> Row | None:
        found = self._proposals(alliance_id, "p.proposal_id = ?", (str(proposal_id),))
        return found[0] if found else None

    def _proposals(self, alliance_id: UUID, where: str, params: tuple[Any, ...]) -> list[Row]:
        proposals = self._all(
            "SELECT p.*, a.name AS proposer_name FROM v_proposals p "
            "JOIN v_accounts a ON a.account_id = p.proposer_id "
            f"WHERE p.alliance_id = ? AND {where} ORDER BY p.proposed_at",
            (str(alliance_id), *params),
        )
        members = self._all(
            "SELECT m.member_id, a.name FROM v_memberships m "
            "JOIN v_accounts a ON a.account_id = m.member_id "
            "WHERE m.alliance_id = ? AND m.left_at IS NULL ORDER BY a.name",
            (str(alliance_id),),
        )
        for proposal in proposals:
            read_schedule(proposal)
            accepted = self._acceptances(proposal["proposal_id"])
            proposal["accepted_by"] = [
                {"member_id": row["member_id"], "name": row["name"]} for row in accepted
            ]
            ids = {row["member_id"] for row in accepted}
            waiting = proposal["status"] == "open"
            proposal["awaiting"] = [m for m in members if waiting and m["member_id"] not in ids]
        return proposals
