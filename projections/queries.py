"""Reads of the views for one member: the only way pages and the API see the read side.

Every function takes the viewer, and every answer is already filtered for them: an alliance
they are not a member of reads as missing, and private rows belong to their author alone.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from projections.db import ViewStore
from projections.views.base import iso

Row = dict[str, Any]


@dataclass(frozen=True)
class DiffSegment:
    op: str  # "same", "added" or "removed"
    text: str


def word_diff(before: str, after: str) -> list[DiffSegment]:
    """A readable diff of two wordings, by words rather than characters or lines."""
    old, new = before.split(), after.split()
    segments: list[DiffSegment] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(DiffSegment("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            segments.append(DiffSegment("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            segments.append(DiffSegment("added", " ".join(new[j1:j2])))
    return segments


class Queries:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Row]:
        with self.store.read() as cur:
            cur.execute(sql, params)
            return [dict(row) for row in cur.fetchall()]

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> Row | None:
        rows = self._all(sql, params)
        return rows[0] if rows else None

    def alliances_for(self, member: UUID) -> list[Row]:
        return self._all(
            "SELECT a.*, m.role FROM v_memberships m "
            "JOIN v_alliances a ON a.alliance_id = m.alliance_id "
            "WHERE m.member_id = ? AND m.left_at IS NULL ORDER BY a.updated_at DESC",
            (str(member),),
        )

    def alliance(self, alliance_id: UUID, viewer: UUID) -> Row | None:
        """The alliance with its current members, or None for a non-member as for a missing one."""
        if not self.is_member(alliance_id, viewer):
            return None
        alliance = self._one("SELECT * FROM v_alliances WHERE alliance_id = ?", (str(alliance_id),))
        if alliance is None:
            return None
        alliance["members"] = self._all(
            "SELECT m.member_id, m.role, m.joined_at, m.agreed_version, a.name, a.email "
            "FROM v_memberships m JOIN v_accounts a ON a.account_id = m.member_id "
            "WHERE m.alliance_id = ? AND m.left_at IS NULL ORDER BY m.joined_at, a.name",
            (str(alliance_id),),
        )
        return alliance

    def is_member(self, alliance_id: UUID, viewer: UUID) -> bool:
        return (
            self._one(
                "SELECT 1 AS yes FROM v_memberships "
                "WHERE alliance_id = ? AND member_id = ? AND left_at IS NULL",
                (str(alliance_id), str(viewer)),
            )
            is not None
        )

    def agreement(
        self, alliance_id: UUID, *, as_of: datetime | None = None, version: int | None = None
    ) -> list[Row]:
        """The terms in force now, at an instant, or at an agreement version."""
        if version is not None:
            return self._all(
                "SELECT * FROM v_term_versions WHERE alliance_id = ? AND agreement_from <= ? "
                "AND (agreement_to IS NULL OR agreement_to > ?) ORDER BY category, valid_from",
                (str(alliance_id), version, version),
            )
        if as_of is not None:
            instant = iso(as_of)
            return self._all(
                "SELECT * FROM v_term_versions WHERE alliance_id = ? AND valid_from <= ? "
                "AND (valid_to IS NULL OR valid_to > ?) ORDER BY category, valid_from",
                (str(alliance_id), instant, instant),
            )
        return self._all(
            "SELECT * FROM v_term_versions WHERE alliance_id = ? AND valid_to IS NULL "
            "ORDER BY category, valid_from",
            (str(alliance_id),),
        )

    def agreement_versions(self, alliance_id: UUID) -> list[Row]:
        return self._all(
            "SELECT * FROM v_agreement_versions WHERE alliance_id = ? ORDER BY version",
            (str(alliance_id),),
        )

    def open_proposals(self, alliance_id: UUID) -> list[Row]:
        proposals = self._all(
            "SELECT p.*, a.name AS proposer_name FROM v_proposals p "
            "JOIN v_accounts a ON a.account_id = p.proposer_id "
            "WHERE p.alliance_id = ? AND p.status = 'open' ORDER BY p.proposed_at",
            (str(alliance_id),),
        )
        members = self._all(
            "SELECT m.member_id, a.name FROM v_memberships m "
            "JOIN v_accounts a ON a.account_id = m.member_id "
            "WHERE m.alliance_id = ? AND m.left_at IS NULL ORDER BY a.name",
            (str(alliance_id),),
        )
        for proposal in proposals:
            accepted = {row["member_id"] for row in self._acceptances(proposal["proposal_id"])}
            proposal["accepted_by"] = [m for m in members if m["member_id"] in accepted]
            proposal["awaiting"] = [m for m in members if m["member_id"] not in accepted]
        return proposals

    def _acceptances(self, proposal_id: str) -> list[Row]:
        return self._all(
            "SELECT c.member_id, c.accepted_at, a.name FROM v_acceptances c "
            "JOIN v_accounts a ON a.account_id = c.member_id "
            "WHERE c.proposal_id = ? ORDER BY c.accepted_at, a.name",
            (proposal_id,),
        )

    def term_history(self, alliance_id: UUID, term_id: UUID) -> list[Row]:
        """Each version of a term, oldest first, with who proposed and accepted it and the
        words that changed from the version before."""
        versions = self._all(
            "SELECT t.*, p.proposer_id, p.proposed_at, p.rationale, a.name AS proposer_name "
            "FROM v_term_versions t JOIN v_proposals p ON p.proposal_id = t.proposal_id "
            "JOIN v_accounts a ON a.account_id = p.proposer_id "
            "WHERE t.alliance_id = ? AND t.term_id = ? ORDER BY t.version",
            (str(alliance_id), str(term_id)),
        )
        previous = ""
        for version in versions:
            version["accepted_by"] = self._acceptances(version["proposal_id"])
            version["diff"] = word_diff(previous, version["text"])
            previous = version["text"]
        return versions

    def terms(self, alliance_id: UUID) -> list[Row]:
        """Every term that ever was, with its latest wording, for the history index."""
        return self._all(
            "SELECT t.term_id, t.category, t.text, t.version, t.valid_to FROM v_term_versions t "
            "WHERE t.alliance_id = ? AND t.version = (SELECT max(version) FROM v_term_versions "
            "WHERE term_id = t.term_id) ORDER BY t.category, t.valid_from",
            (str(alliance_id),),
        )

    def timeline(
        self, alliance_id: UUID, viewer: UUID, *, before: int | None = None, limit: int = 100
    ) -> list[Row]:
        """Newest first; ``before`` is the notification id to page back from."""
        return self._all(
            "SELECT t.*, a.name AS actor_name FROM v_timeline t "
            "LEFT JOIN v_accounts a ON a.account_id = t.actor_id "
            "WHERE t.alliance_id = ? AND (t.private_to IS NULL OR t.private_to = ?) "
            "AND t.notification_id < ? ORDER BY t.notification_id DESC LIMIT ?",
            (str(alliance_id), str(viewer), before if before is not None else 2**62, limit),
        )

    def checkin_responses(self, checkin_id: UUID, viewer: UUID) -> list[Row] | None:
        """Answers stay sealed while a check-in is open: the viewer sees their own alone.
        None when the check-in is missing or the viewer is not a member of its alliance."""
        checkin = self._one("SELECT * FROM v_checkins WHERE checkin_id = ?", (str(checkin_id),))
        if checkin is None or not self.is_member(UUID(checkin["alliance_id"]), viewer):
            return None
        sealed = checkin["status"] == "open"
        return self._all(
            "SELECT r.member_id, r.answers, r.ratings, r.responded_at, a.name "
            "FROM v_checkin_responses r JOIN v_accounts a ON a.account_id = r.member_id "
            "WHERE r.checkin_id = ? AND (? = 0 OR r.member_id = ?) ORDER BY r.responded_at",
            (str(checkin_id), 1 if sealed else 0, str(viewer)),
        )

    def account(self, account_id: UUID) -> Row | None:
        return self._one("SELECT * FROM v_accounts WHERE account_id = ?", (str(account_id),))

    def accounts(self) -> list[Row]:
        return self._all("SELECT * FROM v_accounts ORDER BY name")
