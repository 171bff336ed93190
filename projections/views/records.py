"""Feedback notes, conflict reports and check-ins as the members recorded them.

These tables hold private text and sealed answers; projections.readers is the one place that
filters them for the member asking.
"""

from __future__ import annotations

import json
from typing import ClassVar

from projections.db import Cursor
from projections.instants import iso
from projections.views.base import Handler, TableView, sid
from tracker.domain.checkin import CheckIn
from tracker.domain.conflict import ConflictReport
from tracker.domain.feedback import FeedbackNote


class RecordsView(TableView):
    # 2: a check-in's questions are {id, text}, and answers are keyed by the question's id.
    revision: ClassVar[int] = 2
    name = "records"
    tables: ClassVar[dict[str, str]] = {
        "v_feedback": (
            "note_id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL, author_id TEXT NOT NULL, "
            "text TEXT NOT NULL, valence TEXT NOT NULL, visibility TEXT NOT NULL, "
            "term_id TEXT, term_version INTEGER, logged_at TEXT NOT NULL, "
            "shared_at TEXT, retracted_at TEXT"
        ),
        "v_feedback_replies": (
            "notification_id BIGINT PRIMARY KEY, note_id TEXT NOT NULL, member_id TEXT NOT NULL, "
            "text TEXT NOT NULL, replied_at TEXT NOT NULL"
        ),
        "v_conflicts": (
            "conflict_id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL, reporter_id TEXT NOT NULL, "
            "description TEXT NOT NULL, occurred_at TEXT NOT NULL, severity TEXT NOT NULL, "
            "term_id TEXT, term_version INTEGER, status TEXT NOT NULL, reported_at TEXT NOT NULL, "
            "resolved_at TEXT, resolution TEXT, outcome TEXT, acknowledged_by TEXT, "
            "acknowledged_at TEXT, acknowledgement TEXT, resolved_by TEXT, redesign_id TEXT, "
            "reopened_at TEXT, reopen_reason TEXT"
        ),
        "v_checkins": (
            "checkin_id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL, slot TEXT NOT NULL, "
            "closes_at TEXT NOT NULL, status TEXT NOT NULL, expected TEXT NOT NULL, "
            "closed_at TEXT, questions TEXT NOT NULL, scheduled INTEGER NOT NULL, "
            "prompted_at TEXT NOT NULL, deliveries_queued INTEGER NOT NULL DEFAULT 0"
        ),
        "v_checkin_responses": (
            "checkin_id TEXT NOT NULL, member_id TEXT NOT NULL, answers TEXT NOT NULL, "
            "ratings TEXT NOT NULL, responded_at TEXT NOT NULL, PRIMARY KEY (checkin_id, member_id)"
        ),
    }
    indexes: ClassVar[list[str]] = [
        "ix_feedback_alliance ON v_feedback (alliance_id, logged_at, note_id)",
        "ix_feedback_replies_note ON v_feedback_replies (note_id)",
        "ix_conflicts_alliance ON v_conflicts (alliance_id, reported_at)",
        "ix_checkins_alliance ON v_checkins (alliance_id, slot)",
        "ix_checkins_closing ON v_checkins (status, closes_at)",
        "ix_checkins_undelivered ON v_checkins (deliveries_queued, status)",
    ]

    def _logged(self, cur: Cursor, e: FeedbackNote.Logged, _: int) -> None:
        cur.execute(
            "INSERT INTO v_feedback (note_id, alliance_id, author_id, text, valence, visibility, "
            "term_id, term_version, logged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                sid(e.originator_id),
                sid(e.alliance_id),
                sid(e.author_id),
                e.text,
                e.valence,
                e.visibility,
                sid(e.term_id) if e.term_id else None,
                e.term_version,
                iso(e.timestamp),
            ),
        )

    def _replied(self, cur: Cursor, e: FeedbackNote.Replied, notification_id: int) -> None:
        cur.execute(
            "INSERT INTO v_feedback_replies (notification_id, note_id, member_id, text, "
            "replied_at) VALUES (?, ?, ?, ?, ?)",
            (notification_id, sid(e.originator_id), sid(e.by), e.reply, iso(e.timestamp)),
        )

    def _shared(self, cur: Cursor, e: FeedbackNote.Shared, _: int) -> None:
        cur.execute(
            "UPDATE v_feedback SET visibility = 'shared', shared_at = ? WHERE note_id = ?",
            (iso(e.timestamp), sid(e.originator_id)),
        )

    def _retracted(self, cur: Cursor, e: FeedbackNote.Retracted, _: int) -> None:
        cur.execute(
            "UPDATE v_feedback SET retracted_at = ? WHERE note_id = ?",
            (iso(e.timestamp), sid(e.originator_id)),
        )

    def _reported(self, cur: Cursor, e: ConflictReport.Reported, _: int) -> None:
        cur.execute(
            "INSERT INTO v_conflicts (conflict_id, alliance_id, reporter_id, description, "
            "occurred_at, severity, term_id, term_version, status, reported_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'reported', ?)",
            (
                sid(e.originator_id),
                sid(e.alliance_id),
                sid(e.reporter_id),
                e.description,
                iso(e.occurred_at),
                e.severity,
                sid(e.term_id) if e.term_id else None,
                e.term_version,
                iso(e.timestamp),
            ),
        )

    def _acknowledged(self, cur: Cursor, e: ConflictReport.Acknowledged, _: int) -> None:
        cur.execute(
            "UPDATE v_conflicts SET status = 'acknowledged', acknowledged_by = ?, "
            "acknowledged_at = ?, acknowledgement = ? WHERE conflict_id = ?",
            (sid(e.by), iso(e.timestamp), e.note, sid(e.originator_id)),
        )

    def _resolved(self, cur: Cursor, e: ConflictReport.Resolved, _: int) -> None:
        cur.execute(
            "UPDATE v_conflicts SET status = 'resolved', resolved_at = ?, resolution = ?, "
            "outcome = ?, resolved_by = ?, redesign_id = ? WHERE conflict_id = ?",
            (
                iso(e.timestamp),
                e.resolution,
                e.outcome,
                sid(e.by),
                sid(e.redesign_id) if e.redesign_id else None,
                sid(e.originator_id),
            ),
        )

    def _reopened(self, cur: Cursor, e: ConflictReport.Reopened, _: int) -> None:
        cur.execute(
            "UPDATE v_conflicts SET status = 'reported', resolved_at = NULL, resolution = NULL, "
            "outcome = NULL, resolved_by = NULL, reopened_at = ?, reopen_reason = ? "
            "WHERE conflict_id = ?",
            (iso(e.timestamp), e.reason, sid(e.originator_id)),
        )

    def _prompted(self, cur: Cursor, e: CheckIn.Prompted, _: int) -> None:
        cur.execute(
            "INSERT INTO v_checkins (checkin_id, alliance_id, slot, closes_at, status, expected, "
            "questions, scheduled, prompted_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?)",
            (
                sid(e.originator_id),
                sid(e.alliance_id),
                iso(e.slot),
                iso(e.closes_at),
                json.dumps([str(member) for member in e.expected]),
                json.dumps(list(e.questions)),
                1 if e.scheduled else 0,
                iso(e.timestamp),
            ),
        )

    def _responded(self, cur: Cursor, e: CheckIn.Responded, _: int) -> None:
        cur.execute(
            "INSERT INTO v_checkin_responses (checkin_id, member_id, answers, ratings, "
            "responded_at) VALUES (?, ?, ?, ?, ?)",
            (
                sid(e.originator_id),
                sid(e.member_id),
                json.dumps(e.answers, sort_keys=True),
                json.dumps(e.ratings, sort_keys=True),
                iso(e.timestamp),
            ),
        )

    def _deliveries_queued(self, cur: Cursor, e: CheckIn.DeliveriesQueued, _: int) -> None:
        cur.execute(
            "UPDATE v_checkins SET deliveries_queued = 1 WHERE checkin_id = ?",
            (sid(e.originator_id),),
        )

    def _checkin_closed(self, cur: Cursor, e: CheckIn.Completed | CheckIn.Missed, _: int) -> None:
        status = "completed" if isinstance(e, CheckIn.Completed) else "missed"
        cur.execute(
            "UPDATE v_checkins SET status = ?, closed_at = ? WHERE checkin_id = ?",
            (status, iso(e.timestamp), sid(e.originator_id)),
        )

    inserts_first: ClassVar[tuple[type, ...]] = (
        FeedbackNote.Logged,
        FeedbackNote.Replied,
        ConflictReport.Reported,
        CheckIn.Prompted,
        CheckIn.Responded,
    )
    handlers: ClassVar[dict[type, Handler]] = {
        FeedbackNote.Logged: _logged,
        FeedbackNote.Replied: _replied,
        FeedbackNote.Shared: _shared,
        FeedbackNote.Retracted: _retracted,
        ConflictReport.Reported: _reported,
        ConflictReport.Acknowledged: _acknowledged,
        ConflictReport.Resolved: _resolved,
        ConflictReport.Reopened: _reopened,
        CheckIn.Prompted: _prompted,
        CheckIn.Responded: _responded,
        CheckIn.Completed: _checkin_closed,
        CheckIn.Missed: _checkin_closed,
        CheckIn.DeliveriesQueued: _deliveries_queued,
    }
