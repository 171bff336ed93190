"""Every delivery and its state, for the scheduler's send passes and for the app to show what
was sent, what failed and why."""

from __future__ import annotations

from typing import ClassVar

from projections.db import Cursor
from projections.instants import iso
from projections.views.base import Handler, TableView, sid
from tracker.domain.delivery import Delivery


class DeliveriesView(TableView):
    name = "deliveries"
    tables: ClassVar[dict[str, str]] = {
        "v_deliveries": (
            "delivery_id TEXT PRIMARY KEY, alliance_id TEXT, subject TEXT NOT NULL, "
            "subject_id TEXT NOT NULL, channel TEXT NOT NULL, recipient TEXT NOT NULL, "
            "member_id TEXT, status TEXT NOT NULL, attempts INTEGER NOT NULL, "
            "next_try_at TEXT, last_error TEXT, queued_at TEXT NOT NULL, updated_at TEXT NOT NULL"
        ),
    }
    indexes: ClassVar[list[str]] = [
        "ix_deliveries_due ON v_deliveries (status, next_try_at)",
        "ix_deliveries_subject ON v_deliveries (subject_id)",
        "ix_deliveries_alliance ON v_deliveries (alliance_id, updated_at)",
    ]
    inserts_first: ClassVar[tuple[type, ...]] = (Delivery.Queued,)

    def _queued(self, cur: Cursor, e: Delivery.Queued, _: int) -> None:
        at = iso(e.timestamp)
        cur.execute(
            "INSERT INTO v_deliveries (delivery_id, alliance_id, subject, subject_id, channel, "
            "recipient, member_id, status, attempts, next_try_at, queued_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)",
            (
                sid(e.originator_id),
                sid(e.alliance_id) if e.alliance_id else None,
                e.subject,
                sid(e.subject_id),
                e.channel,
                e.recipient,
                sid(e.member_id) if e.member_id else None,
                at,
                at,
                at,
            ),
        )

    def _attempted(self, cur: Cursor, e: Delivery.Attempted, _: int) -> None:
        cur.execute(
            "UPDATE v_deliveries SET status = 'sending', attempts = ?, updated_at = ? "
            "WHERE delivery_id = ?",
            (e.attempt, iso(e.timestamp), sid(e.originator_id)),
        )

    def _sent(self, cur: Cursor, e: Delivery.Sent, _: int) -> None:
        self._settle(cur, e, "sent", None, None)

    def _failed(self, cur: Cursor, e: Delivery.Failed, _: int) -> None:
        status = "retrying" if e.retry_at else "failed"
        self._settle(cur, e, status, iso(e.retry_at) if e.retry_at else None, e.error)

    def _interrupted(self, cur: Cursor, e: Delivery.Interrupted, _: int) -> None:
        self._settle(cur, e, "uncertain", None, "interrupted mid-send; not sent again")

    def _settle(
        self, cur: Cursor, e: Delivery.Event, status: str, retry: str | None, error: str | None
    ) -> None:
        cur.execute(
            "UPDATE v_deliveries SET status = ?, next_try_at = ?, "
            "last_error = COALESCE(?, last_error), updated_at = ? WHERE delivery_id = ?",
            (status, retry, error, iso(e.timestamp), sid(e.originator_id)),
        )

    handlers: ClassVar[dict[type, Handler]] = {
        Delivery.Queued: _queued,
        Delivery.Attempted: _attempted,
        Delivery.Sent: _sent,
        Delivery.Failed: _failed,
        Delivery.Interrupted: _interrupted,
    }
