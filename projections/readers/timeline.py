"""The audit timeline of an alliance, as the viewer may see it."""

from __future__ import annotations

from uuid import UUID

from projections.readers.base import Reader, Row


class TimelineReader(Reader):
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
