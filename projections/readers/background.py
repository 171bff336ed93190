"""What the background processes act on, not any member: rhythms and check-ins that are
due, reviews and redesigns to suggest, deliveries to send and those stuck."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from projections.instants import iso
from projections.readers.base import Reader, Row


class BackgroundReader(Reader):
    # Causes to suggest a redesign, not yet suggested.
    _SUGGESTABLE = (
        "a.status = 'active' AND a.redesign_id IS NULL AND NOT EXISTS (SELECT 1 FROM "
        "v_redesign_suggestions s WHERE s.alliance_id = a.alliance_id AND s.key = {key})"
    )

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

    def redesign_suggestions(self, alliance_id: UUID) -> list[Row]:
        """The scheduler's prompts to open a redesign that no redesign has answered yet."""
        return self._all(
            "SELECT * FROM v_redesign_suggestions WHERE alliance_id = ? AND answered_at IS NULL "
            "ORDER BY suggested_at",
            (str(alliance_id),),
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

    def undelivered_alerts(self) -> list[Row]:
        """Open alerts whose mails and webhook call have not been queued yet."""
        return self._all(
            "SELECT alert_id FROM v_alerts WHERE deliveries_queued = 0 AND status = 'open' "
            "ORDER BY raised_at, alert_id"
        )

    def digest_readers(self) -> list[Row]:
        """The accounts that chose the weekly digest, with the zone their Monday is in."""
        return self._all(
            "SELECT account_id, time_zone FROM v_accounts WHERE digest_mail = 1 ORDER BY account_id"
        )

    def digests_queued_since(self, since: datetime) -> set[str]:
        """The ids of the digests queued since ``since``: each is queued once."""
        rows = self._all(
            "SELECT subject_id FROM v_deliveries WHERE subject = 'digest' AND queued_at >= ?",
            (iso(since),),
        )
        return {row["subject_id"] for row in rows}

    def due_deliveries(self, now: datetime) -> list[Row]:
        """Deliveries to send now, with what their message says: a check-in prompt's slot
        and window, or an alert's rule and words; and whether it still stands."""
        return self._all(
            "SELECT d.*, a.title, a.webhook_url, a.webhook_key_version, a.webhook_format, "
            "c.slot, c.closes_at, x.rule, x.summary, x.raised_at, "
            "CASE d.subject WHEN 'checkin' THEN c.status WHEN 'alert' THEN x.status "
            "ELSE 'open' END AS status_of_subject, m.name AS member_name, "
            # the zone its times are written in: the member's own, else the alliance's
            "COALESCE(m.time_zone, h.zone, 'UTC') AS zone FROM v_deliveries d "
            "LEFT JOIN v_alliances a ON a.alliance_id = d.alliance_id "  # none for a digest
            "LEFT JOIN v_checkins c ON d.subject = 'checkin' AND c.checkin_id = d.subject_id "
            "LEFT JOIN v_alerts x ON d.subject = 'alert' AND x.alert_id = d.subject_id "
            "LEFT JOIN v_accounts m ON m.account_id = d.member_id "
            "LEFT JOIN v_health_alliances h ON h.alliance_id = d.alliance_id "
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
