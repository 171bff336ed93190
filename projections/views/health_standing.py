"""An alliance's standing state as far as health needs it (its zone, members, last review and
cadence, open conflicts): written into each week it changes, carried into the weeks after."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Standing:
    """An alliance's state as far as health needs it; written into each week it changes."""

    zone: str
    members: list[str]
    reviewed_at: str
    cadence_months: int | None = None
    open_conflicts: dict[str, str] = field(default_factory=dict)  # id -> open since
    # The Monday of the latest week a state was written into: after the zone moves west a
    # later event can fall in an earlier week, and must not write its state there.
    state_week: str | None = None

    @classmethod
    def saved_as(cls, zone: str, saved: str) -> Standing:
        fields = json.loads(saved)
        return cls(
            zone=zone,
            members=fields["members"],
            reviewed_at=fields["reviewed_at"],
            cadence_months=fields["cadence_months"],
            open_conflicts=fields["open_conflicts"],
            state_week=fields.get("state_week"),
        )

    def saved(self) -> str:
        """As the view remembers it between batches."""
        return json.dumps({**self._fields(), "state_week": self.state_week}, sort_keys=True)

    def record(self) -> str:
        """As a week ends with it."""
        return json.dumps(self._fields(), sort_keys=True)

    def _fields(self) -> dict[str, Any]:
        return {
            "members": self.members,
            "reviewed_at": self.reviewed_at,
            "cadence_months": self.cadence_months,
            "open_conflicts": self.open_conflicts,
        }
