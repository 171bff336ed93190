"""Who is who, which alliances exist, and which alliances each member belongs to."""

from __future__ import annotations

from typing import ClassVar

from dateutil.relativedelta import relativedelta

from projections.db import Cursor
from projections.instants import instant, iso
from projections.views.base import Handler, TableView, sid
from tracker.domain.account import Account
from tracker.domain.alliance import Alliance
from tracker.domain.vocabulary import MAIL_KINDS


class DirectoryView(TableView):
    name = "directory"
    tables: ClassVar[dict[str, str]] = {
        "v_accounts": (
            "account_id TEXT PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL, "
            "checkin_mail INTEGER NOT NULL DEFAULT 1, time_zone TEXT, "
            "alert_mail INTEGER NOT NULL DEFAULT 1, digest_mail INTEGER NOT NULL DEFAULT 0"
        ),
        "v_alliances": (
            "alliance_id TEXT PRIMARY KEY, title TEXT NOT NULL, purpose TEXT NOT NULL, "
            "kind TEXT NOT NULL, status TEXT NOT NULL, agreement_version INTEGER NOT NULL, "
            "founded_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
            "design_conversation_at TEXT, redesign_id TEXT, redesign_reason TEXT, "
            "tending_open INTEGER NOT NULL, webhook_url TEXT, "
            "webhook_key_version INTEGER NOT NULL DEFAULT 0, "
            "webhook_format TEXT NOT NULL DEFAULT 'json', review_every_months INTEGER, "
            "reviewed_at TEXT, review_due_at TEXT"
        ),
        "v_memberships": (
            "alliance_id TEXT NOT NULL, member_id TEXT NOT NULL, role TEXT NOT NULL, "
            "joined_at TEXT NOT NULL, agreed_version INTEGER NOT NULL, left_at TEXT, "
            "calendar_key_version INTEGER NOT NULL DEFAULT 1, "
            "PRIMARY KEY (alliance_id, member_id)"
        ),
        "v_invitations": (
            "invitation_id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL, email TEXT NOT NULL, "
            "role TEXT NOT NULL, invited_by TEXT NOT NULL, invited_at TEXT NOT NULL, "
            "joined_by TEXT, joined_at TEXT"
        ),
        # baseline_version is the agreement when it opened; final_version when it concluded.
        "v_redesigns": (
            "redesign_id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL, reason TEXT NOT NULL, "
            "opened_by TEXT NOT NULL, opened_at TEXT NOT NULL, baseline_version INTEGER NOT NULL, "
            "concluded_by TEXT, concluded_at TEXT, summary TEXT, final_version INTEGER"
        ),
        # Every call for tending, open until a member answers it or opens a redesign.
        "v_tending": (
            "signal_id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL, member_id TEXT NOT NULL, "
            "message TEXT NOT NULL, raised_at TEXT NOT NULL, addressed_at TEXT, "
            "addressed_by TEXT, reply TEXT, redesign_id TEXT"
        ),
        "v_redesign_suggestions": (
            "alliance_id TEXT NOT NULL, key TEXT NOT NULL, reason TEXT NOT NULL, "
            "suggested_at TEXT NOT NULL, answered_at TEXT, PRIMARY KEY (alliance_id, key)"
        ),
    }
    indexes: ClassVar[list[str]] = [
        "ix_memberships_member ON v_memberships (member_id, alliance_id)",
        "ix_tending_alliance ON v_tending (alliance_id, raised_at)",
    ]

    def _registered(self, cur: Cursor, e: Account.Registered, _: int) -> None:
        cur.execute(
            "INSERT INTO v_accounts (account_id, email, name) VALUES (?, ?, ?)",
            (sid(e.originator_id), e.email, e.name),
        )

    def _renamed(self, cur: Cursor, e: Account.Renamed, _: int) -> None:
        cur.execute(
            "UPDATE v_accounts SET name = ? WHERE account_id = ?", (e.name, sid(e.originator_id))
        )

    def _cadence_set(self, cur: Cursor, e: Alliance.ReviewCadenceSet, _: int) -> None:
        self._update(cur, e, "review_every_months = ?", e.every_months)
        self._review_due(cur, sid(e.originator_id))

    def _review_due(self, cur: Cursor, alliance_id: str) -> None:
        """A review is due its cadence after the last one (a concluded redesign), or after
        the founding."""
        cur.execute(
            "SELECT reviewed_at, review_every_months FROM v_alliances WHERE alliance_id = ?",
            (alliance_id,),
        )
        row = cur.fetchone()
        due = None
        if row and row["review_every_months"]:
            reviewed = instant(row["reviewed_at"])
            due = iso(reviewed + relativedelta(months=row["review_every_months"]))
        cur.execute(
            "UPDATE v_alliances SET review_due_at = ? WHERE alliance_id = ?", (due, alliance_id)
        )

    def _calendar_key(self, cur: Cursor, e: Alliance.CalendarKeyRotated, _: int) -> None:
        cur.execute(
            "UPDATE v_memberships SET calendar_key_version = ? "
            "WHERE alliance_id = ? AND member_id = ?",
            (e.key_version, sid(e.originator_id), sid(e.member_id)),
        )

    def _suggested(self, cur: Cursor, e: Alliance.RedesignSuggested, _: int) -> None:
        cur.execute(
            "INSERT INTO v_redesign_suggestions (alliance_id, key, reason, suggested_at) "
            "VALUES (?, ?, ?, ?)",
            (sid(e.originator_id), e.key, e.reason, iso(e.timestamp)),
        )

    def _mail_chosen(self, cur: Cursor, e: Account.CheckInMailChosen, _: int) -> None:
        cur.execute(
            "UPDATE v_accounts SET checkin_mail = ? WHERE account_id = ?",
            (1 if e.enabled else 0, sid(e.originator_id)),
        )

    def _chosen(self, cur: Cursor, e: Account.MailChosen, _: int) -> None:
        column = {kind: f"{kind}_mail" for kind in MAIL_KINDS}[e.kind]  # only a known kind
        cur.execute(
            f"UPDATE v_accounts SET {column} = ? WHERE account_id = ?",
            (1 if e.enabled else 0, sid(e.originator_id)),
        )

    def _zone_chosen(self, cur: Cursor, e: Account.TimeZoneChosen, _: int) -> None:
        cur.execute(
            "UPDATE v_accounts SET time_zone = ? WHERE account_id = ?",
            (e.zone, sid(e.originator_id)),
        )

    def _webhook_set(self, cur: Cursor, e: Alliance.WebhookSet, _: int) -> None:
        cur.execute(
            "UPDATE v_alliances SET webhook_url = ?, webhook_key_version = ?, "
            "webhook_format = ?, updated_at = ? WHERE alliance_id = ?",
            (e.url, e.key_version, e.format, iso(e.timestamp), sid(e.originator_id)),
        )

    def _founded(self, cur: Cursor, e: Alliance.Founded, _: int) -> None:
        at = iso(e.timestamp)
        cur.execute(
            "INSERT INTO v_alliances (alliance_id, title, purpose, kind, status, "
            "agreement_version, founded_at, updated_at, tending_open, reviewed_at) "
            "VALUES (?, ?, ?, ?, 'active', 0, ?, ?, 0, ?)",
            (sid(e.originator_id), e.title, e.purpose, e.kind, at, at, at),
        )
        cur.execute(
            "INSERT INTO v_memberships (alliance_id, member_id, role, joined_at, agreed_version) "
            "VALUES (?, ?, ?, ?, 0)",
            (sid(e.originator_id), sid(e.founder_id), e.founder_role, at),
        )

    def _invited(self, cur: Cursor, e: Alliance.MemberInvited, _: int) -> None:
        cur.execute(
            "INSERT INTO v_invitations (invitation_id, alliance_id, email, role, invited_by, "
            "invited_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                sid(e.invitation_id),
                sid(e.originator_id),
                e.email,
                e.role,
                sid(e.invited_by),
                iso(e.timestamp),
            ),
        )

    def _joined(self, cur: Cursor, e: Alliance.MemberJoined, _: int) -> None:
        cur.execute(
            "UPDATE v_invitations SET joined_by = ?, joined_at = ? WHERE invitation_id = ?",
            (sid(e.member_id), iso(e.timestamp), sid(e.invitation_id)),
        )
        # A member who left and was invited back rejoins the same row.
        cur.execute(
            "INSERT INTO v_memberships (alliance_id, member_id, role, joined_at, agreed_version) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (alliance_id, member_id) DO UPDATE SET "
            "role = excluded.role, joined_at = excluded.joined_at, "
            "agreed_version = excluded.agreed_version, left_at = NULL",
            (sid(e.originator_id), sid(e.member_id), e.role, iso(e.timestamp), e.agreed_version),
        )
        self._touch(cur, e)

    def _left(self, cur: Cursor, e: Alliance.MemberLeft, _: int) -> None:
        cur.execute(
            "UPDATE v_memberships SET left_at = ? WHERE alliance_id = ? AND member_id = ?",
            (iso(e.timestamp), sid(e.originator_id), sid(e.member_id)),
        )
        self._touch(cur, e)

    def _scheduled(self, cur: Cursor, e: Alliance.DesignConversationScheduled, _: int) -> None:
        self._update(cur, e, "design_conversation_at = ?", iso(e.scheduled_for))

    def _adopted(self, cur: Cursor, e: Alliance.ProposalAdopted, _: int) -> None:
        self._update(cur, e, "agreement_version = ?", e.agreement_version)

    def _redesign_opened(self, cur: Cursor, e: Alliance.RedesignOpened, _: int) -> None:
        cur.execute(
            "UPDATE v_redesign_suggestions SET answered_at = ? "
            "WHERE alliance_id = ? AND answered_at IS NULL",
            (iso(e.timestamp), sid(e.originator_id)),
        )
        cur.execute(
            "UPDATE v_alliances SET redesign_id = ?, redesign_reason = ?, tending_open = 0, "
            "updated_at = ? WHERE alliance_id = ?",
            (sid(e.redesign_id), e.reason, iso(e.timestamp), sid(e.originator_id)),
        )
        cur.execute(
            "INSERT INTO v_redesigns (redesign_id, alliance_id, reason, opened_by, opened_at, "
            "baseline_version) VALUES (?, ?, ?, ?, ?, ?)",
            (
                sid(e.redesign_id),
                sid(e.originator_id),
                e.reason,
                sid(e.opened_by),
                iso(e.timestamp),
                e.baseline_version,
            ),
        )
        cur.execute(
            "UPDATE v_tending SET addressed_at = ?, addressed_by = ?, redesign_id = ? "
            "WHERE alliance_id = ? AND addressed_at IS NULL",
            (iso(e.timestamp), sid(e.opened_by), sid(e.redesign_id), sid(e.originator_id)),
        )

    def _redesign_concluded(self, cur: Cursor, e: Alliance.RedesignConcluded, _: int) -> None:
        cur.execute(
            "UPDATE v_alliances SET redesign_id = NULL, redesign_reason = NULL, updated_at = ?, "
            "reviewed_at = ? WHERE alliance_id = ?",
            (iso(e.timestamp), iso(e.timestamp), sid(e.originator_id)),
        )
        self._review_due(cur, sid(e.originator_id))
        cur.execute(
            "UPDATE v_redesigns SET concluded_by = ?, concluded_at = ?, summary = ?, "
            "final_version = ? WHERE redesign_id = ?",
            (sid(e.by), iso(e.timestamp), e.summary, e.agreement_version, sid(e.redesign_id)),
        )

    def _tending(self, cur: Cursor, e: Alliance.TendingRequested, _: int) -> None:
        cur.execute(
            "UPDATE v_alliances SET tending_open = tending_open + 1, updated_at = ? "
            "WHERE alliance_id = ?",
            (iso(e.timestamp), sid(e.originator_id)),
        )
        cur.execute(
            "INSERT INTO v_tending (signal_id, alliance_id, member_id, message, raised_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (sid(e.signal_id), sid(e.originator_id), sid(e.member_id), e.message, iso(e.timestamp)),
        )

    def _tending_addressed(self, cur: Cursor, e: Alliance.TendingAddressed, _: int) -> None:
        cur.execute(
            "UPDATE v_alliances SET tending_open = tending_open - 1, updated_at = ? "
            "WHERE alliance_id = ?",
            (iso(e.timestamp), sid(e.originator_id)),
        )
        cur.execute(
            "UPDATE v_tending SET addressed_at = ?, addressed_by = ?, reply = ? "
            "WHERE signal_id = ?",
            (iso(e.timestamp), sid(e.by), e.reply, sid(e.signal_id)),
        )

    def _ended(self, cur: Cursor, e: Alliance.Ended, _: int) -> None:
        self._update(cur, e, "status = ?, tending_open = 0", "ended")
        cur.execute(
            "UPDATE v_tending SET addressed_at = ?, addressed_by = ? "
            "WHERE alliance_id = ? AND addressed_at IS NULL",
            (iso(e.timestamp), sid(e.by), sid(e.originator_id)),
        )

    def _touch(self, cur: Cursor, e: Alliance.Event) -> None:
        cur.execute(
            "UPDATE v_alliances SET updated_at = ? WHERE alliance_id = ?",
            (iso(e.timestamp), sid(e.originator_id)),
        )

    def _update(self, cur: Cursor, e: Alliance.Event, assignment: str, value: object) -> None:
        cur.execute(
            f"UPDATE v_alliances SET {assignment}, updated_at = ? WHERE alliance_id = ?",
            (value, iso(e.timestamp), sid(e.originator_id)),
        )

    handlers: ClassVar[dict[type, Handler]] = {
        Account.Registered: _registered,
        Account.Renamed: _renamed,
        Account.Reclaimed: _renamed,  # the owner's own name, in place of the squatter's
        Account.CheckInMailChosen: _mail_chosen,
        Account.MailChosen: _chosen,
        Account.TimeZoneChosen: _zone_chosen,
        Alliance.WebhookSet: _webhook_set,
        Alliance.ReviewCadenceSet: _cadence_set,
        Alliance.RedesignSuggested: _suggested,
        Alliance.CalendarKeyRotated: _calendar_key,
        Alliance.Founded: _founded,
        Alliance.MemberInvited: _invited,
        Alliance.MemberJoined: _joined,
        Alliance.MemberLeft: _left,
        Alliance.DesignConversationScheduled: _scheduled,
        Alliance.ProposalAdopted: _adopted,
        Alliance.RedesignOpened: _redesign_opened,
        Alliance.RedesignConcluded: _redesign_concluded,
        Alliance.TendingRequested: _tending,
        Alliance.TendingAddressed: _tending_addressed,
        Alliance.Ended: _ended,
    }
