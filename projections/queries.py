"""Reads of the views for one member: the only way pages and the API see the read side.

Every function takes the viewer, and every answer is already filtered for them: an alliance
they are not a member of reads as missing, and private rows belong to their author alone.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
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


# Keyset paging: a cursor is the (logged_at, note_id) of the last note of a page, written
# out. Any text of this form is a place in the order, so every cursor the document admits
# is one the API can answer (an opaque one could only be refused).
PAGE_CURSOR_PATTERN = (
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{6}Z"
    "_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
_PAGE_CURSOR = re.compile(PAGE_CURSOR_PATTERN.removesuffix("$"))


def page_cursor(note: Row) -> str:
    """Where the page after this note starts."""
    return f"{note['logged_at']}_{note['note_id']}"


def read_cursor(cursor: str) -> tuple[str, str] | None:
    """The (logged_at, note_id) a cursor stands for, or None if it is not of that form."""
    if not _PAGE_CURSOR.fullmatch(cursor):
        return None
    logged_at, _, note_id = cursor.partition("_")
    return logged_at, note_id


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

    def calendar_key_version(self, alliance_id: UUID, member: UUID) -> int | None:
        """The version of a current member's calendar feed key; None for anyone else."""
        row = self._one(
            "SELECT calendar_key_version FROM v_memberships "
            "WHERE alliance_id = ? AND member_id = ? AND left_at IS NULL",
            (str(alliance_id), str(member)),
        )
        return int(row["calendar_key_version"]) if row else None

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
            _read_schedule(row)
        return rows

    # --- what the scheduler acts on ---------------------------------------------------------

    def due_rhythms(self, now: datetime) -> list[Row]:
        """Rhythms of active alliances whose next slot has come."""
        return self._all(
            "SELECT r.* FROM v_rhythms r JOIN v_alliances a ON a.alliance_id = r.alliance_id "
            "WHERE r.next_slot <= ? AND a.status = 'active' ORDER BY r.next_slot",
            (iso(now),),
        )

    def overdue_checkins(self, now: datetime) -> list[Row]:
        """Open check-ins whose window has closed."""
        return self._all(
            "SELECT checkin_id, alliance_id FROM v_checkins "
            "WHERE status = 'open' AND closes_at <= ? ORDER BY closes_at",
            (iso(now),),
        )

    # --- the inbox: what awaits a person, in every alliance they are in ------------------

    def inbox(self, viewer: UUID) -> dict[str, list[Row]]:
        me = str(viewer)
        mine = (
            "JOIN v_memberships m ON m.alliance_id = x.alliance_id AND m.member_id = ? "
            "AND m.left_at IS NULL JOIN v_alliances a ON a.alliance_id = x.alliance_id"
        )
        checkins = self._all(
            f"SELECT x.checkin_id, x.alliance_id, a.title, x.slot, x.closes_at, x.expected "
            f"FROM v_checkins x {mine} WHERE x.status = 'open' AND NOT EXISTS (SELECT 1 FROM "
            "v_checkin_responses r WHERE r.checkin_id = x.checkin_id AND r.member_id = ?) "
            "ORDER BY x.closes_at",
            (me, me),
        )
        proposals = self._all(
            f"SELECT x.proposal_id, x.alliance_id, a.title, x.kind, x.category, x.text, "
            f"x.proposed_at, p.name AS proposer_name FROM v_proposals x {mine} "
            "JOIN v_accounts p ON p.account_id = x.proposer_id WHERE x.status = 'open' "
            "AND NOT EXISTS (SELECT 1 FROM v_acceptances c WHERE c.proposal_id = x.proposal_id "
            "AND c.member_id = ?) ORDER BY x.proposed_at",
            (me, me),
        )
        conflicts = self._all(
            f"SELECT x.conflict_id, x.alliance_id, a.title, x.description, x.severity, "
            f"x.reported_at, p.name AS reporter_name FROM v_conflicts x {mine} "
            "JOIN v_accounts p ON p.account_id = x.reporter_id "
            "WHERE x.status = 'reported' AND x.reporter_id <> ? ORDER BY x.reported_at",
            (me, me),
        )
        tending = self._all(
            f"SELECT x.signal_id, x.alliance_id, a.title, x.message, x.raised_at, "
            f"p.name AS member_name FROM v_tending x {mine} "
            "JOIN v_accounts p ON p.account_id = x.member_id "
            "WHERE x.addressed_at IS NULL ORDER BY x.raised_at",
            (me,),
        )
        suggestions = self._all(
            f"SELECT x.alliance_id, a.title, x.key, x.reason, x.suggested_at "
            f"FROM v_redesign_suggestions x {mine} WHERE x.answered_at IS NULL "
            "AND a.status = 'active' ORDER BY x.suggested_at",
            (me,),
        )
        # Only those the check-in asked: someone who joined after it opened is not expected.
        checkins = [c for c in checkins if me in json.loads(c.pop("expected"))]
        return {
            "checkins": checkins,
            "proposals": proposals,
            "conflicts": conflicts,
            "tending": tending,
            "redesign_prompts": suggestions,
        }

    def redesign_suggestions(self, alliance_id: UUID) -> list[Row]:
        """The scheduler's prompts to open a redesign that no redesign has answered yet."""
        return self._all(
            "SELECT * FROM v_redesign_suggestions WHERE alliance_id = ? AND answered_at IS NULL "
            "ORDER BY suggested_at",
            (str(alliance_id),),
        )

    # --- causes to suggest a redesign, not yet suggested ------------------------------------

    _SUGGESTABLE = (
        "a.status = 'active' AND a.redesign_id IS NULL AND NOT EXISTS (SELECT 1 FROM "
        "v_redesign_suggestions s WHERE s.alliance_id = a.alliance_id AND s.key = {key})"
    )

    def reviews_due(self, now: datetime) -> list[Row]:
        key = "'review:' || a.review_due_at"
        return self._all(
            "SELECT a.alliance_id, a.review_due_at, a.review_every_months FROM v_alliances a "
            f"WHERE a.review_due_at <= ? AND {self._SUGGESTABLE.format(key=key)}",
            (iso(now),),
        )

    def tending_unanswered(self, raised_before: datetime) -> list[Row]:
        key = "'tending:' || t.signal_id"
        return self._all(
            "SELECT t.alliance_id, t.signal_id, t.raised_at FROM v_tending t "
            "JOIN v_alliances a ON a.alliance_id = t.alliance_id "
            f"WHERE t.addressed_at IS NULL AND t.raised_at <= ? "
            f"AND {self._SUGGESTABLE.format(key=key)}",
            (iso(raised_before),),
        )

    def missed_in_a_row(self, closed_since: datetime, run: int) -> list[Row]:
        """Alliances whose last ``run`` closed check-ins were all missed, the last closed
        lately; each with the id of that last one (what the suggestion is for)."""
        recent = self._all(
            "SELECT DISTINCT c.alliance_id FROM v_checkins c "
            "JOIN v_alliances a ON a.alliance_id = c.alliance_id "
            "WHERE c.status = 'missed' AND c.closed_at >= ? AND a.status = 'active' "
            "AND a.redesign_id IS NULL",
            (iso(closed_since),),
        )
        found = []
        for row in recent:
            last = self._all(
                "SELECT checkin_id, status FROM v_checkins WHERE alliance_id = ? "
                "AND status <> 'open' ORDER BY slot DESC LIMIT ?",
                (row["alliance_id"], run),
            )
            if len(last) == run and all(c["status"] == "missed" for c in last):
                key = f"missed:{last[0]['checkin_id']}"
                if not self._one(
                    "SELECT 1 AS yes FROM v_redesign_suggestions WHERE alliance_id = ? AND key = ?",
                    (row["alliance_id"], key),
                ):
                    found.append({"alliance_id": row["alliance_id"], "key": key})
        return found

    def undelivered_checkins(self) -> list[Row]:
        """Open check-ins whose prompt has not been queued for delivery yet."""
        return self._all(
            "SELECT checkin_id FROM v_checkins WHERE deliveries_queued = 0 AND status = 'open' "
            "ORDER BY slot"
        )

    def due_deliveries(self, now: datetime) -> list[Row]:
        """Deliveries to send now, with what their message says."""
        return self._all(
            "SELECT d.*, a.title, a.webhook_url, a.webhook_key_version, c.slot, c.closes_at, "
            "c.status AS status_of_checkin, m.name AS member_name FROM v_deliveries d "
            "JOIN v_alliances a ON a.alliance_id = d.alliance_id "
            "JOIN v_checkins c ON c.checkin_id = d.subject_id "
            "LEFT JOIN v_accounts m ON m.account_id = d.member_id "
            "WHERE d.status IN ('queued', 'retrying') AND d.next_try_at <= ? "
            "ORDER BY d.next_try_at",
            (iso(now),),
        )

    def stuck_deliveries(self, claimed_before: datetime) -> list[Row]:
        """Deliveries claimed for sending and never settled: their sender stopped mid-send."""
        return self._all(
            "SELECT delivery_id FROM v_deliveries WHERE status = 'sending' AND updated_at < ?",
            (iso(claimed_before),),
        )

    def deliveries(self, alliance_id: UUID, subject_id: UUID | None = None) -> list[Row]:
        return self._all(
            "SELECT d.*, m.name AS member_name FROM v_deliveries d "
            "LEFT JOIN v_accounts m ON m.account_id = d.member_id "
            "WHERE d.alliance_id = ? AND (? = '' OR d.subject_id = ?) "
            "ORDER BY d.updated_at DESC LIMIT 200",
            (str(alliance_id), *(2 * (str(subject_id or ""),))),
        )

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

    def open_proposals(self, alliance_id: UUID) -> list[Row]:
        return self.proposals(alliance_id, status="open")

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
            _read_schedule(proposal)
            accepted = self._acceptances(proposal["proposal_id"])
            proposal["accepted_by"] = [
                {"member_id": row["member_id"], "name": row["name"]} for row in accepted
            ]
            ids = {row["member_id"] for row in accepted}
            waiting = proposal["status"] == "open"
            proposal["awaiting"] = [m for m in members if waiting and m["member_id"] not in ids]
        return proposals

    def _acceptances(self, proposal_id: str) -> list[Row]:
        return self._all(
            "SELECT c.member_id, c.accepted_at, a.name FROM v_acceptances c "
            "JOIN v_accounts a ON a.account_id = c.member_id "
            "WHERE c.proposal_id = ? ORDER BY c.accepted_at, a.name",
            (proposal_id,),
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

    def checkins(
        self,
        alliance_id: UUID,
        viewer: UUID,
        *,
        status: str | None = None,
        checkin_id: UUID | None = None,
        limit: int = 100,
        with_responses: bool = False,
    ) -> list[Row]:
        """Newest slot first. Each says who was expected and who has answered; with
        ``with_responses``, also the answers the viewer may read: their own alone while a
        check-in is open, everyone's once all have answered or the window has closed."""
        rows = self._all(
            "SELECT * FROM v_checkins WHERE alliance_id = ? AND (? = '' OR status = ?) "
            "AND (? = '' OR checkin_id = ?) ORDER BY slot DESC LIMIT ?",
            (
                str(alliance_id),
                status or "",
                status or "",
                *(2 * (str(checkin_id or ""),)),
                limit,
            ),
        )
        if not rows:
            return rows
        ids = [row["checkin_id"] for row in rows]
        marks = ", ".join("?" for _ in ids)
        answered: dict[str, set[str]] = {}
        readable: dict[str, list[Row]] = {}
        sealed = {row["checkin_id"] for row in rows if row["status"] == "open"}
        for row in self._all(
            "SELECT r.checkin_id, r.member_id, r.answers, r.ratings, r.responded_at, a.name "
            "FROM v_checkin_responses r JOIN v_accounts a ON a.account_id = r.member_id "
            f"WHERE r.checkin_id IN ({marks}) ORDER BY r.responded_at",
            tuple(ids),
        ):
            answered.setdefault(row["checkin_id"], set()).add(row["member_id"])
            if row["checkin_id"] not in sealed or row["member_id"] == str(viewer):
                row["answers"] = json.loads(row["answers"])
                row["ratings"] = json.loads(row["ratings"])
                readable.setdefault(row.pop("checkin_id"), []).append(row)
        names = {row["account_id"]: row["name"] for row in self._member_names(alliance_id)}
        for row in rows:
            done = answered.get(row["checkin_id"], set())
            row["questions"] = json.loads(row["questions"])
            row["scheduled"] = bool(row["scheduled"])
            row["members"] = [
                {
                    "member_id": member,
                    "name": names.get(member, "a former member"),
                    "answered": member in done,
                }
                for member in json.loads(row.pop("expected"))
            ]
            row["answered_by_you"] = str(viewer) in done
            row["sealed"] = row["status"] == "open"
            if with_responses:
                row["responses"] = readable.get(row["checkin_id"], [])
        return rows

    def _member_names(self, alliance_id: UUID) -> list[Row]:
        """Everyone who was ever a member, so a check-in from before someone left names them."""
        return self._all(
            "SELECT a.account_id, a.name FROM v_memberships m "
            "JOIN v_accounts a ON a.account_id = m.member_id WHERE m.alliance_id = ?",
            (str(alliance_id),),
        )

    def checkin(self, alliance_id: UUID, checkin_id: UUID, viewer: UUID) -> Row | None:
        """One check-in with the answers the viewer may read: while it is open, their own
        alone; once every member has answered or the window has closed, everyone's."""
        found = self.checkins(alliance_id, viewer, checkin_id=checkin_id, with_responses=True)
        return found[0] if found else None

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

    def invitation(self, invitation_id: UUID) -> Row | None:
        """An invitation with the alliance it is to, for the person holding its link."""
        return self._one(
            "SELECT i.*, a.title, a.purpose, a.kind, a.agreement_version, a.status, "
            "b.name AS invited_by_name FROM v_invitations i "
            "JOIN v_alliances a ON a.alliance_id = i.alliance_id "
            "JOIN v_accounts b ON b.account_id = i.invited_by WHERE i.invitation_id = ?",
            (str(invitation_id),),
        )

    def open_invitations(self, alliance_id: UUID) -> list[Row]:
        return self._all(
            "SELECT * FROM v_invitations WHERE alliance_id = ? AND joined_at IS NULL "
            "ORDER BY invited_at",
            (str(alliance_id),),
        )

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
            "SELECT f.*, a.name AS author_name FROM v_feedback f "
            "JOIN v_accounts a ON a.account_id = f.author_id "
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

    def account(self, account_id: UUID) -> Row | None:
        return self._one("SELECT * FROM v_accounts WHERE account_id = ?", (str(account_id),))


def _read_schedule(row: Row) -> None:
    """A rhythm's schedule, kept as JSON text, as the dict it was recorded as."""
    raw = row.get("schedule")
    row["schedule"] = json.loads(raw) if raw else None
