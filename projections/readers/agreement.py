"""The agreement at any instant or version, each term's history, what changed between
two versions (word by word), the redesigns and what each changed, and calls for tending."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from projections.instants import iso
from projections.readers.base import Reader, Row, read_schedule


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


class AgreementReader(Reader):
    def agreement(
        self, alliance_id: UUID, *, as_of: datetime | None = None, version: int | None = None
    ) -> list[Row]:
        """The terms in force now, at an instant, or at an agreement version."""
        if version is not None:
            rows = self._all(
                "SELECT * FROM v_term_versions WHERE alliance_id = ? AND agreement_from <= ? "
                "AND (agreement_to IS NULL OR agreement_to > ?) ORDER BY category, valid_from",
                (str(alliance_id), version, version),
            )
        elif as_of is not None:
            instant = iso(as_of)
            rows = self._all(
                "SELECT * FROM v_term_versions WHERE alliance_id = ? AND valid_from <= ? "
                "AND (valid_to IS NULL OR valid_to > ?) ORDER BY category, valid_from",
                (str(alliance_id), instant, instant),
            )
        else:
            rows = self._all(
                "SELECT * FROM v_term_versions WHERE alliance_id = ? AND valid_to IS NULL "
                "ORDER BY category, valid_from",
                (str(alliance_id),),
            )
        for row in rows:
            read_schedule(row)
        return rows

    def agreement_version_at(self, alliance_id: UUID, as_of: datetime) -> int:
        row = self._one(
            "SELECT max(version) AS version FROM v_agreement_versions "
            "WHERE alliance_id = ? AND adopted_at <= ?",
            (str(alliance_id), iso(as_of)),
        )
        return int(row["version"]) if row and row["version"] is not None else 0

    def agreement_versions(self, alliance_id: UUID) -> list[Row]:
        return self._all(
            "SELECT * FROM v_agreement_versions WHERE alliance_id = ? ORDER BY version",
            (str(alliance_id),),
        )

    def terms(self, alliance_id: UUID) -> list[Row]:
        """Every term that ever was, with its latest wording, for the history index."""
        return self._all(
            "SELECT t.term_id, t.category, t.text, t.version, t.valid_to FROM v_term_versions t "
            "WHERE t.alliance_id = ? AND t.version = (SELECT max(version) FROM v_term_versions "
            "WHERE term_id = t.term_id) ORDER BY t.category, t.valid_from",
            (str(alliance_id),),
        )

    def term_history(
        self, alliance_id: UUID, term_id: UUID, viewer: UUID | None = None
    ) -> list[Row]:
        """Each version of a term, oldest first, with who proposed and accepted it, the words
        that changed from the version before, and the feedback and conflicts that cite it (the
        clause's breach timeline; private notes only for their author, the viewer)."""
        versions = self._all(
            "SELECT t.*, p.proposer_id, p.proposed_at, p.rationale, a.name AS proposer_name "
            "FROM v_term_versions t JOIN v_proposals p ON p.proposal_id = t.proposal_id "
            "JOIN v_accounts a ON a.account_id = p.proposer_id "
            "WHERE t.alliance_id = ? AND t.term_id = ? ORDER BY t.version",
            (str(alliance_id), str(term_id)),
        )
        previous = ""
        notes = self._all(
            "SELECT f.note_id, f.term_version, f.text, f.valence, f.visibility, f.logged_at, "
            "a.name AS author_name FROM v_feedback f JOIN v_accounts a "
            "ON a.account_id = f.author_id WHERE f.term_id = ? AND f.retracted_at IS NULL "
            "AND (f.visibility = 'shared' OR f.author_id = ?) ORDER BY f.logged_at",
            (str(term_id), str(viewer) if viewer else ""),
        )
        conflicts = self._all(
            "SELECT c.conflict_id, c.term_version, c.description, c.severity, c.status, "
            "c.occurred_at, a.name AS reporter_name FROM v_conflicts c JOIN v_accounts a "
            "ON a.account_id = c.reporter_id WHERE c.term_id = ? ORDER BY c.occurred_at",
            (str(term_id),),
        )
        for version in versions:
            version["feedback"] = [n for n in notes if n["term_version"] == version["version"]]
            version["conflicts"] = [c for c in conflicts if c["term_version"] == version["version"]]
            version["accepted_by"] = self._acceptances(version["proposal_id"])
            version["diff"] = word_diff(previous, version["text"])
            previous = version["text"]
        return versions

    def agreement_diff(self, alliance_id: UUID, before: int, after: int) -> list[Row]:
        """What changed between two agreement versions, term by term: added, amended (with
        the words that changed) or retired; terms the same in both are left out."""
        old = {row["term_id"]: row for row in self.agreement(alliance_id, version=before)}
        new = {row["term_id"]: row for row in self.agreement(alliance_id, version=after)}
        changes: list[Row] = []
        for term_id in [*old, *(t for t in new if t not in old)]:
            was, now = old.get(term_id), new.get(term_id)
            if was is not None and now is not None and was["version"] == now["version"]:
                continue
            change = "added" if was is None else "retired" if now is None else "amended"
            current = now or was
            assert current is not None
            changes.append(
                {
                    "term_id": term_id,
                    "category": current["category"],
                    "change": change,
                    "from_version": was["version"] if was else None,
                    "to_version": now["version"] if now else None,
                    "before": was["text"] if was else None,
                    "after": now["text"] if now else None,
                    "diff": word_diff(was["text"] if was else "", now["text"] if now else ""),
                }
            )
        return sorted(changes, key=lambda c: (c["category"], c["change"]))

    def redesigns(self, alliance_id: UUID, redesign_id: UUID | None = None) -> list[Row]:
        """Newest first (or the one asked for), each with what it changed once concluded, or
        so far while open."""
        redesigns = self._all(
            "SELECT r.*, a.name AS opened_by_name FROM v_redesigns r "
            "JOIN v_accounts a ON a.account_id = r.opened_by "
            "WHERE r.alliance_id = ? AND (? = '' OR r.redesign_id = ?) ORDER BY r.opened_at DESC",
            (str(alliance_id), *(2 * (str(redesign_id or ""),))),
        )
        current = self._one(
            "SELECT agreement_version FROM v_alliances WHERE alliance_id = ?", (str(alliance_id),)
        )
        for redesign in redesigns:
            final = redesign["final_version"]
            if final is None:
                final = current["agreement_version"] if current else redesign["baseline_version"]
            redesign["changes"] = self.agreement_diff(
                alliance_id, redesign["baseline_version"], final
            )
        return redesigns

    def tending(
        self, alliance_id: UUID, *, open_only: bool = True, signal_id: UUID | None = None
    ) -> list[Row]:
        return self._all(
            "SELECT t.*, a.name AS member_name, b.name AS addressed_by_name FROM v_tending t "
            "JOIN v_accounts a ON a.account_id = t.member_id "
            "LEFT JOIN v_accounts b ON b.account_id = t.addressed_by "
            "WHERE t.alliance_id = ? AND (? = 0 OR t.addressed_at IS NULL) "
            "AND (? = '' OR t.signal_id = ?) ORDER BY t.raised_at DESC",
            (str(alliance_id), 1 if open_only else 0, *(2 * (str(signal_id or ""),))),
        )
