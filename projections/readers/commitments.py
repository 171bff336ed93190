"""Commitments as members read them: an alliance's, those a check-in opens with, those that
served a term, and a person's own that are due. Every member of an alliance sees all of its
commitments; there are no private ones."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from projections.readers.base import Reader, Row

_WITH_NAMES = (
    "SELECT c.*, o.name AS owner_name, b.name AS made_by_name FROM v_commitments c "
    "JOIN v_accounts o ON o.account_id = c.owner_id "
    "JOIN v_accounts b ON b.account_id = c.made_by "
)


class CommitmentReader(Reader):
    def commitments(self, alliance_id: UUID, status: str | None = None) -> list[Row]:
        """An alliance's commitments, the soonest due first, with the answers given for each."""
        narrowed = "AND c.status = ? " if status else ""
        params = (str(alliance_id), status) if status else (str(alliance_id),)
        found = self._all(
            f"{_WITH_NAMES}WHERE c.alliance_id = ? {narrowed}"
            "ORDER BY c.status <> 'open', c.due_on, c.made_at",
            params,
        )
        return self._with_reviews(found)

    def commitment(self, alliance_id: UUID, commitment_id: UUID) -> Row | None:
        found = self._all(
            f"{_WITH_NAMES}WHERE c.alliance_id = ? AND c.commitment_id = ?",
            (str(alliance_id), str(commitment_id)),
        )
        return self._with_reviews(found)[0] if found else None

    def commitments_at_checkin(
        self, alliance_id: UUID, checkin_id: UUID, opened_at: str
    ) -> list[Row]:
        """What a check-in opens with: every commitment still open that was made before it
        opened (``opened_at``, when it was prompted or started) and whose owner is still a
        member to answer for it, and every one answered for in it, each with its answer there
        (or None)."""
        found = self._all(
            f"{_WITH_NAMES}LEFT JOIN v_commitment_reviews r ON r.commitment_id = c.commitment_id "
            "AND r.checkin_id = ? LEFT JOIN v_memberships m ON m.alliance_id = c.alliance_id "
            "AND m.member_id = c.owner_id AND m.left_at IS NULL "
            "WHERE c.alliance_id = ? AND (r.checkin_id IS NOT NULL OR (c.status = 'open' "
            "AND c.made_at < ? AND m.member_id IS NOT NULL)) ORDER BY c.due_on, c.made_at",
            (str(checkin_id), str(alliance_id), opened_at),
        )
        answers = {
            row["commitment_id"]: row
            for row in self._all(
                "SELECT * FROM v_commitment_reviews WHERE checkin_id = ?", (str(checkin_id),)
            )
        }
        for row in found:
            row["answer_here"] = answers.get(row["commitment_id"])
        return found

    def commitments_for_term(self, alliance_id: UUID, term_id: UUID) -> list[Row]:
        found = self._all(
            f"{_WITH_NAMES}WHERE c.alliance_id = ? AND c.term_id = ? ORDER BY c.made_at",
            (str(alliance_id), str(term_id)),
        )
        return self._with_reviews(found)

    def commitments_due(self, owner: UUID, today: date) -> list[Row]:
        """A person's open commitments due by ``today``, in every alliance they are still in
        that has not ended, each marked overdue once its day has passed."""
        found = self._all(
            "SELECT c.*, a.title FROM v_commitments c "
            "JOIN v_memberships m ON m.alliance_id = c.alliance_id AND m.member_id = c.owner_id "
            "AND m.left_at IS NULL JOIN v_alliances a ON a.alliance_id = c.alliance_id "
            "WHERE c.owner_id = ? AND c.status = 'open' AND c.due_on <= ? AND a.status = 'active' "
            "ORDER BY c.due_on, c.made_at",
            (str(owner), today.isoformat()),
        )
        for row in found:
            row["overdue"] = row["due_on"] < today.isoformat()
        return found

    def _with_reviews(self, commitments: list[Row]) -> list[Row]:
        if not commitments:
            return commitments
        ids = [row["commitment_id"] for row in commitments]
        marks = ", ".join("?" * len(ids))
        reviews: dict[str, list[Row]] = {commitment: [] for commitment in ids}
        for review in self._all(
            f"SELECT * FROM v_commitment_reviews WHERE commitment_id IN ({marks}) "
            "ORDER BY reviewed_at",
            tuple(ids),
        ):
            reviews[review["commitment_id"]].append(review)
        for row in commitments:
            row["reviews"] = reviews[row["commitment_id"]]
        return commitments
