"""What happened in each alliance, week by week: the counts its health is computed from.

One row per alliance per week (weeks run Monday to Monday in the alliance's time zone: the
zone of its agreed rhythm, UTC until it has one) holds what that week added: revealed check-in
ratings, shared feedback by kind, scheduled check-ins closed and completed, conflicts
reported and resolved. A row also holds the alliance's standing state as the week's last
event left it (its members, its open conflicts, its last review and cadence); a week without
events carries the state of the week before.

Counts are sums, so any run of weeks adds up; the formulas, thresholds and words live in
projections.health and are applied when read, to the member reading. Private notes are
counted apart, per author, and only ever shown back to that author; sealed check-in answers
are held here and counted only once their check-in closes, in the week of its slot.

The batch is applied in memory (each note, conflict, check-in and alliance it touches read
once before it) and written as additive upserts, so a rebuild sends a few statements per
alliance-week, not one per event.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from projections.db import Cursor
from projections.health.rules import SRS_CONCERN
from projections.health.tally import WEEK_COUNTS
from projections.views.base import TableView
from projections.views.health_batch import HealthBatch


class HealthView(TableView):
    name = "health"
    revision = 2
    tables: ClassVar[dict[str, str]] = {
        "v_health_weeks": (
            "alliance_id TEXT NOT NULL, week TEXT NOT NULL, starts_at TEXT NOT NULL, "
            + "".join(f"{column} INTEGER NOT NULL DEFAULT 0, " for column in WEEK_COUNTS)
            + "standing TEXT, PRIMARY KEY (alliance_id, week)"
        ),
        # Each member's shared notes and check-in answers per week: participation balance.
        "v_health_activity": (
            "alliance_id TEXT NOT NULL, week TEXT NOT NULL, member_id TEXT NOT NULL, "
            "notes INTEGER NOT NULL DEFAULT 0, answers INTEGER NOT NULL DEFAULT 0, "
            "PRIMARY KEY (alliance_id, week, member_id)"
        ),
        # Private notes per author per week: shown back to their author alone.
        "v_health_private": (
            "alliance_id TEXT NOT NULL, week TEXT NOT NULL, author_id TEXT NOT NULL, "
            "appreciations INTEGER NOT NULL DEFAULT 0, concerns INTEGER NOT NULL DEFAULT 0, "
            "neutrals INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (alliance_id, week, author_id)"
        ),
        # How long each resolution took: medians are not sums.
        "v_health_resolutions": (
            "notification_id BIGINT PRIMARY KEY, alliance_id TEXT NOT NULL, week TEXT NOT NULL, "
            "conflict_id TEXT NOT NULL, hours DOUBLE PRECISION NOT NULL"
        ),
        # What the view must remember between events.
        "v_health_alliances": (
            "alliance_id TEXT PRIMARY KEY, zone TEXT NOT NULL, standing TEXT NOT NULL"
        ),
        "v_health_notes": (
            "note_id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL, week TEXT NOT NULL, "
            "starts_at TEXT NOT NULL, author_id TEXT NOT NULL, valence TEXT NOT NULL, "
            "visibility TEXT NOT NULL, retracted INTEGER NOT NULL"
        ),
        "v_health_conflicts": "conflict_id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL",
        "v_health_checkins": (
            "checkin_id TEXT PRIMARY KEY, alliance_id TEXT NOT NULL, week TEXT NOT NULL, "
            "starts_at TEXT NOT NULL, scheduled INTEGER NOT NULL, ratings TEXT NOT NULL, "
            "outcome TEXT"
        ),
    }
    indexes: ClassVar[list[str]] = [
        "ix_health_resolutions_week ON v_health_resolutions (alliance_id, week)",
        "ix_health_checkins_week ON v_health_checkins (alliance_id, week)",
    ]

    def shape(self) -> str:
        # srs_low counts by the line of concern: moving the line rebuilds the counts.
        return f"{super().shape()} srs_concern={SRS_CONCERN}"

    def handle_batch(self, cur: Cursor, events: Sequence[tuple[int, object]]) -> None:
        HealthBatch(cur, events).apply()
