"""Check-ins, their answers (sealed until revealed) and the deliveries of their prompts."""

from __future__ import annotations

import json
from datetime import datetime
from uuid import UUID

from projections.instants import iso
from projections.readers.base import Reader, Row


class CheckInReader(Reader):
    def checkins(
        self,
        alliance_id: UUID,
        viewer: UUID,
        *,
        status: str | None = None,
        checkin_id: UUID | None = None,
        limit: int = 100,
        with_responses: bool = False,
        before: datetime | None = None,
    ) -> list[Row]:
        """Newest slot first (``before``: only slots before it, for the next page). Each says
        who was expected and who has answered; with ``with_responses``, also the answers the
        viewer may read: their own alone while a check-in is open, everyone's once all have
        answered or the window has closed."""
        earlier = iso(before) if before is not None else ""
        rows = self._all(
            "SELECT * FROM v_checkins WHERE alliance_id = ? AND (? = '' OR status = ?) "
            "AND (? = '' OR checkin_id = ?) AND (? = '' OR slot < ?) ORDER BY slot DESC LIMIT ?",
            (
                str(alliance_id),
                status or "",
                status or "",
                *(2 * (str(checkin_id or ""),)),
                earlier,
                earlier,
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

    def checkin(self, alliance_id: UUID, checkin_id: UUID, viewer: UUID) -> Row | None:
        """One check-in with the answers the viewer may read: while it is open, their own
        alone; once every member has answered or the window has closed, everyone's."""
        found = self.checkins(alliance_id, viewer, checkin_id=checkin_id, with_responses=True)
        return found[0] if found else None

    def _member_names(self, alliance_id: UUID) -> list[Row]:
        """Everyone who was ever a member, so a check-in from before someone left names them."""
        return self._all(
            "SELECT a.account_id, a.name FROM v_memberships m "
            "JOIN v_accounts a ON a.account_id = m.member_id WHERE m.alliance_id = ?",
            (str(alliance_id),),
        )

    def deliveries(self, alliance_id: UUID, subject_id: UUID | None = None) -> list[Row]:
        return self._all(
            "SELECT d.*, m.name AS member_name FROM v_deliveries d "
            "LEFT JOIN v_accounts m ON m.account_id = d.member_id "
            "WHERE d.alliance_id = ? AND (? = '' OR d.subject_id = ?) "
            "ORDER BY d.updated_at DESC LIMIT 200",
            (str(alliance_id), *(2 * (str(subject_id or ""),))),
        )
