"""What moved a health component, named as data for the web to link: the page of the
alliance it is on, and what on that page (a note filter, a check-in, a conflict)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from projections.db import Row


class MovedBy:
    """What moved a component, named as data: the page of the alliance it is on and what
    on that page (a note filter, a check-in, a conflict). The web makes the links."""

    def __init__(self, since: datetime, until: datetime) -> None:
        self.since = since.date().isoformat()
        self.until = until.date().isoformat()

    def feedback(self, label: str, **filters: str) -> dict[str, Any]:
        chosen = {"since": self.since, "until": self.until, **filters}
        return {"label": label, "page": "feedback", "filters": chosen}

    def checkin(self, row: Row) -> dict[str, Any]:
        return {
            "label": f"Check-in of the week of {row['week']} ({row['outcome']})",
            "page": "checkins",
            "checkin_id": row["checkin_id"],
        }

    def conflict(self, label: str, conflict_id: str) -> dict[str, Any]:
        return {"label": label, "page": "conflicts", "conflict_id": conflict_id}

    def page(self, label: str, page: str) -> dict[str, Any]:
        return {"label": label, "page": page}
