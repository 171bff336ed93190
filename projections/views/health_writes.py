"""Writing one health batch: every row it changed, in key order, the counts of a week added
to what its row holds, so any number of batches sum to one."""

from __future__ import annotations

import json
from operator import itemgetter
from typing import TYPE_CHECKING

from projections.health.tally import WEEK_COUNTS

if TYPE_CHECKING:
    from projections.views.health_batch import HealthBatch


def write(batch: HealthBatch) -> None:
    """Write what the batch changed; the week counts are added to what the rows hold."""
    cur = batch.cur
    for alliance in sorted(batch.changed_alliances):
        standing = batch.alliances[alliance]
        cur.execute(
            "INSERT INTO v_health_alliances (alliance_id, zone, standing) VALUES (?, ?, ?) "
            "ON CONFLICT (alliance_id) DO UPDATE SET zone = excluded.zone, "
            "standing = excluded.standing",
            (alliance, standing.zone, standing.saved()),
        )
    for note_id in sorted(batch.changed_notes):
        note = batch.notes[note_id]
        cur.execute(
            "INSERT INTO v_health_notes (note_id, alliance_id, week, starts_at, author_id, "
            "valence, visibility, retracted) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (note_id) DO UPDATE SET visibility = excluded.visibility, "
            "retracted = excluded.retracted",
            _note_row(note),
        )
    for conflict in sorted(batch.new_conflicts):
        cur.execute(
            "INSERT INTO v_health_conflicts (conflict_id, alliance_id) VALUES (?, ?)",
            (conflict, batch.conflicts[conflict]),
        )
    for checkin_id in sorted(batch.changed_checkins):
        checkin = batch.checkins[checkin_id]
        cur.execute(
            "INSERT INTO v_health_checkins (checkin_id, alliance_id, week, starts_at, "
            "scheduled, ratings, outcome) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (checkin_id) DO UPDATE SET ratings = excluded.ratings, "
            "outcome = excluded.outcome",
            (
                *_checkin_row(checkin),
                json.dumps(checkin["ratings"], sort_keys=True),
                checkin["outcome"],
            ),
        )
    for (alliance, monday, starts_at), counts in sorted(batch.weeks.items()):
        cur.execute(_ADD_TO_WEEK, (alliance, monday, starts_at, *(counts[c] for c in WEEK_COUNTS)))
    for (alliance, monday), (starts_at, record) in sorted(batch.standings.items()):
        cur.execute(
            "INSERT INTO v_health_weeks (alliance_id, week, starts_at, standing) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (alliance_id, week) DO UPDATE SET "
            "standing = excluded.standing",
            (alliance, monday, starts_at, record),
        )
    for (alliance, monday, _, member), (notes, answers) in sorted(batch.activity.items()):
        cur.execute(
            "INSERT INTO v_health_activity (alliance_id, week, member_id, notes, answers) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (alliance_id, week, member_id) DO UPDATE "
            "SET notes = v_health_activity.notes + excluded.notes, "
            "answers = v_health_activity.answers + excluded.answers",
            (alliance, monday, member, notes, answers),
        )
    for (alliance, monday, _, author), kept in sorted(batch.private.items()):
        cur.execute(
            "INSERT INTO v_health_private (alliance_id, week, author_id, appreciations, "
            "concerns, neutrals) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (alliance_id, week, author_id) DO UPDATE SET "
            "appreciations = v_health_private.appreciations + excluded.appreciations, "
            "concerns = v_health_private.concerns + excluded.concerns, "
            "neutrals = v_health_private.neutrals + excluded.neutrals",
            (alliance, monday, author, *kept),
        )
    for resolution in batch.resolutions:
        cur.execute(
            "INSERT INTO v_health_resolutions (notification_id, alliance_id, week, "
            "conflict_id, hours) VALUES (?, ?, ?, ?, ?)",
            resolution,
        )


_NOTE_COLUMNS = (
    "note_id",
    "alliance_id",
    "week",
    "starts_at",
    "author_id",
    "valence",
    "visibility",
    "retracted",
)
_CHECKIN_COLUMNS = ("checkin_id", "alliance_id", "week", "starts_at", "scheduled")
_note_row = itemgetter(*_NOTE_COLUMNS)  # a note a batch logs is a row: in C, not a generator
_checkin_row = itemgetter(*_CHECKIN_COLUMNS)
_ADD_TO_WEEK = (
    "INSERT INTO v_health_weeks (alliance_id, week, starts_at, "
    + ", ".join(WEEK_COUNTS)
    + ") VALUES (?, ?, ?, "
    + ", ".join("?" for _ in WEEK_COUNTS)
    + ") ON CONFLICT (alliance_id, week) DO UPDATE SET "
    + ", ".join(f"{c} = v_health_weeks.{c} + excluded.{c}" for c in WEEK_COUNTS)
)
