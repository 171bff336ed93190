"""Feedback notes (a private note reaches nobody but its author), their replies, conflict
reports, and the terms that keep being cited in them; feedback is paged by a written-out
cursor."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from projections.instants import iso
from projections.readers.base import Reader, Row
from tracker.clean_text import server_check

# Keyset paging: a cursor is the (logged_at, note_id) of the last note of a page, written
# out. Any text of this form is a place in the order, so every cursor the document admits
# is one the API can answer (an opaque one could only be refused).
PAGE_CURSOR_PATTERN = (
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{6}Z"
    "_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)


_PAGE_CURSOR = server_check(PAGE_CURSOR_PATTERN)


def page_cursor(note: Row) -> str:
    """Where the page after this note starts."""
    return f"{note['logged_at']}_{note['note_id']}"


def read_cursor(cursor: str) -> tuple[str, str] | None:
    """The (logged_at, note_id) a cursor stands for, or None if it is not of that form."""
    if not _PAGE_CURSOR.fullmatch(cursor):
        return None
    logged_at, _, note_id = cursor.partition("_")
    return logged_at, note_id


class RecordReader(Reader):
    def feedback(
        self,
        alliance_id: UUID,
        viewer: UUID,
        *,
        author: UUID | None = None,
        valence: str | None = None,
        term_id: UUID | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        after: tuple[str, str] | None = None,
        limit: int = 50,
    ) -> list[Row]:
        """Notes the viewer may see (shared ones, and their own private ones; never a retracted
        one), newest first. ``after`` is the (logged_at, note_id) of the last note of the page
        before: keyset paging, so a page costs the same at the end of 100,000 notes."""
        where = [
            "f.alliance_id = ?",
            "f.retracted_at IS NULL",
            "(f.visibility = 'shared' OR f.author_id = ?)",
        ]
        params: list[Any] = [str(alliance_id), str(viewer)]
        for column, value in (
            ("f.author_id", author),
            ("f.valence", valence),
            ("f.term_id", term_id),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(str(value))
        if since is not None:
            where.append("f.logged_at >= ?")
            params.append(iso(since))
        if until is not None:
            where.append("f.logged_at < ?")
            params.append(iso(until))
        if after is not None:
            where.append("(f.logged_at < ? OR (f.logged_at = ? AND f.note_id < ?))")
            params.extend([after[0], after[0], after[1]])
        notes = self._all(
            "SELECT f.*, a.name AS author_name, t.category AS term_category, "
            "t.text AS term_text FROM v_feedback f "
            "JOIN v_accounts a ON a.account_id = f.author_id "
            # the wording the note was about, as it read when the note was logged
            "LEFT JOIN v_term_versions t ON t.term_id = f.term_id AND t.version = f.term_version "
            f"WHERE {' AND '.join(where)} ORDER BY f.logged_at DESC, f.note_id DESC LIMIT ?",
            (*params, limit),
        )
        replies = self._replies([note["note_id"] for note in notes])
        for note in notes:
            note["replies"] = replies.get(note["note_id"], [])
        return notes

    def note(self, alliance_id: UUID, viewer: UUID, note_id: UUID) -> Row | None:
        """One note as the viewer may see it, or None (missing, retracted or someone's private)."""
        notes = self._all(
            "SELECT f.*, a.name AS author_name FROM v_feedback f "
            "JOIN v_accounts a ON a.account_id = f.author_id "
            "WHERE f.note_id = ? AND f.alliance_id = ? AND f.retracted_at IS NULL "
            "AND (f.visibility = 'shared' OR f.author_id = ?)",
            (str(note_id), str(alliance_id), str(viewer)),
        )
        if not notes:
            return None
        notes[0]["replies"] = self._replies([notes[0]["note_id"]]).get(notes[0]["note_id"], [])
        return notes[0]

    def _replies(self, note_ids: list[str]) -> dict[str, list[Row]]:
        if not note_ids:
            return {}
        marks = ", ".join("?" for _ in note_ids)
        threads: dict[str, list[Row]] = {}
        for reply in self._all(
            "SELECT r.note_id, r.member_id, r.text, r.replied_at, a.name AS member_name "
            "FROM v_feedback_replies r JOIN v_accounts a ON a.account_id = r.member_id "
            f"WHERE r.note_id IN ({marks}) ORDER BY r.notification_id",
            tuple(note_ids),
        ):
            threads.setdefault(reply.pop("note_id"), []).append(reply)
        return threads

    def conflicts(
        self, alliance_id: UUID, *, status: str | None = None, conflict_id: UUID | None = None
    ) -> list[Row]:
        """Newest report first, each naming the exact wording of the term version it cites;
        ``status`` one of vocabulary.CONFLICT_FILTERS ("open": every one not resolved)."""
        wanted = "" if status is None else status
        return self._all(
            "SELECT c.*, a.name AS reporter_name, t.text AS term_text, t.category AS term_category "
            "FROM v_conflicts c JOIN v_accounts a ON a.account_id = c.reporter_id "
            "LEFT JOIN v_term_versions t ON t.term_id = c.term_id AND t.version = c.term_version "
            "WHERE c.alliance_id = ? AND (? = '' OR c.status = ? "
            "OR (? = 'open' AND c.status <> 'resolved')) "
            "AND (? = '' OR c.conflict_id = ?) "
            "ORDER BY c.reported_at DESC",
            (str(alliance_id), wanted, wanted, wanted, *(2 * (str(conflict_id or ""),))),
        )

    def redesign_candidates(self, alliance_id: UUID, now: datetime) -> dict[str, list[str]]:
        """Terms in force that call for a redesign, with why: an open conflict cites them, or
        they were breached more than once in the last 90 days."""
        reasons: dict[str, list[str]] = {}
        for row in self._all(
            "SELECT c.term_id, sum(CASE WHEN c.status <> 'resolved' THEN 1 ELSE 0 END) AS open, "
            "sum(CASE WHEN c.occurred_at >= ? THEN 1 ELSE 0 END) AS recent "
            "FROM v_conflicts c JOIN v_term_versions t ON t.term_id = c.term_id "
            "AND t.valid_to IS NULL WHERE c.alliance_id = ? GROUP BY c.term_id",
            (iso(now - timedelta(days=90)), str(alliance_id)),
        ):
            said = []
            if row["open"]:
                said.append(f"{row['open']} open conflict" + ("s" if row["open"] > 1 else ""))
            if row["recent"] > 1:
                said.append(f"breached {row['recent']} times in 90 days")
            if said:
                reasons[row["term_id"]] = said
        return reasons
