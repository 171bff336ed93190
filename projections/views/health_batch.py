"""One batch of events applied to the health view: what the events touch is read once,
changed in memory, and written as additive upserts (projections.views.health_writes)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from projections.db import Cursor
from projections.health.calendar import week_of, week_start
from projections.health.rules import SRS_CONCERN
from projections.health.tally import VALENCE_COUNTS, WEEK_COUNTS
from projections.instants import instant, iso
from projections.views import health_writes
from projections.views.base import sid
from projections.views.health_standing import Standing
from tracker.domain.alliance import Alliance
from tracker.domain.checkin import CheckIn
from tracker.domain.conflict import ConflictReport
from tracker.domain.feedback import FeedbackNote
from tracker.domain.vocabulary import SRS_ITEMS


class HealthBatch:
    """One batch of events applied to what they touch, held in memory, then written."""

    def __init__(self, cur: Cursor, events: Sequence[tuple[int, object]]) -> None:
        self.cur = cur
        self.events: Sequence[tuple[int, Any]] = events
        self.alliances: dict[str, Standing] = {}
        self.saved_standings: dict[str, tuple[str, str]] = {}  # (zone, state) not yet decoded
        self.notes: dict[str, dict[str, Any]] = {}
        self.conflicts: dict[str, str] = {}  # conflict -> alliance
        self.checkins: dict[str, dict[str, Any]] = {}
        self.changed_alliances: set[str] = set()
        self.changed_notes: set[str] = set()
        self.new_conflicts: set[str] = set()
        self.changed_checkins: set[str] = set()
        self.weeks: dict[tuple[str, str, str], dict[str, int]] = {}  # (alliance, week, start)
        # (alliance, week) -> the start its row is written with: a week the zone changed in
        # is still one row, started as its first event placed it.
        self.week_starts: dict[tuple[str, str], str] = {}
        self.standings: dict[tuple[str, str], tuple[str, str]] = {}  # -> (start, record)
        # (alliance, week, start, member) -> [notes, answers], and the author's private notes
        self.activity: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0])
        self.private: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0, 0])
        self.resolutions: list[tuple[int, str, str, str, float]] = []

    # --- reading what the batch touches --------------------------------------------------

    def _load(self, sql: str, keys: Iterable[str]) -> list[dict[str, Any]]:
        wanted = sorted(set(keys))
        rows: list[dict[str, Any]] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            self.cur.execute(sql.format(marks=", ".join("?" for _ in chunk)), tuple(chunk))
            rows.extend(self.cur.fetchall())
        return rows

    def _preload(self) -> None:
        """Read once what the batch's events refer to and the batch did not create."""
        notes, conflicts, checkins, alliances = set(), set(), set(), set()
        created: set[str] = set()
        for _, e in self.events:
            kind = type(e)
            if kind in _CREATED_IN_AN_ALLIANCE:
                alliances.add(sid(e.alliance_id))
                created.add(sid(e.originator_id))
            elif kind in _ON_A_NOTE:
                notes.add(sid(e.originator_id))
            elif kind in _ON_A_CONFLICT:
                conflicts.add(sid(e.originator_id))
            elif kind in _ON_A_CHECKIN:
                checkins.add(sid(e.originator_id))
            elif kind in _HANDLERS:  # an alliance's own event this view follows
                alliances.add(sid(e.originator_id))
        for row in self._load(
            "SELECT * FROM v_health_notes WHERE note_id IN ({marks})", notes - created
        ):
            self.notes[row["note_id"]] = row
            alliances.add(row["alliance_id"])
        for row in self._load(
            "SELECT * FROM v_health_conflicts WHERE conflict_id IN ({marks})", conflicts - created
        ):
            self.conflicts[row["conflict_id"]] = row["alliance_id"]
            alliances.add(row["alliance_id"])
        for row in self._load(
            "SELECT * FROM v_health_checkins WHERE checkin_id IN ({marks})", checkins - created
        ):
            self.checkins[row["checkin_id"]] = {**row, "ratings": json.loads(row["ratings"])}
            alliances.add(row["alliance_id"])
        # Read as text: most events (notes, check-ins) need only the zone, and decoding every
        # alliance's state was a third of the view's time in a rebuild.
        for row in self._load(
            "SELECT * FROM v_health_alliances WHERE alliance_id IN ({marks})", alliances
        ):
            self.saved_standings[row["alliance_id"]] = (row["zone"], row["standing"])

    # --- applying ------------------------------------------------------------------------

    def apply(self) -> None:
        self._preload()
        for notification_id, event in self.events:
            handler = _HANDLERS.get(type(event))
            if handler is None:
                continue
            try:
                handler(self, event, notification_id)
            except Exception as error:
                error.add_note(f"notification {notification_id} ({type(event).__qualname__})")
                raise
        health_writes.write(self)

    def _week(self, alliance: str, week: tuple[str, str]) -> tuple[str, str]:
        monday, starts_at = week
        return monday, self.week_starts.setdefault((alliance, monday), starts_at)

    def _count(self, alliance: str, week: tuple[str, str], column: str, by: int = 1) -> None:
        key = (alliance, *self._week(alliance, week))
        counts = self.weeks.get(key)
        if counts is None:
            counts = self.weeks[key] = dict.fromkeys(WEEK_COUNTS, 0)
        counts[column] += by

    def _standing(self, alliance: str, at: datetime) -> Standing:
        """The alliance's state; one the log never founded (records written without it, as
        some tools do) starts empty rather than stopping every view."""
        standing = self.alliances.get(alliance)
        if standing is None:
            saved = self.saved_standings.get(alliance)
            if saved is not None:
                standing = self.alliances[alliance] = Standing.saved_as(*saved)
            else:
                standing = self.alliances[alliance] = Standing("UTC", [], iso(at))
                self.changed_alliances.add(alliance)
        return standing

    def _zone(self, alliance: str, at: datetime) -> str:
        standing = self.alliances.get(alliance)
        if standing is not None:
            return standing.zone
        saved = self.saved_standings.get(alliance)
        return saved[0] if saved is not None else self._standing(alliance, at).zone

    def _stood(self, alliance: str, at: datetime) -> None:
        """The alliance's state changed: the week of the change now ends with it."""
        standing = self.alliances[alliance]
        self.changed_alliances.add(alliance)
        monday, starts_at = self._week(alliance, week_of(at, standing.zone))
        if standing.state_week is not None and standing.state_week > monday:
            # That week's row exists already, so the start given here is never written.
            later = standing.state_week
            start = week_start(date.fromisoformat(later), standing.zone)
            monday, starts_at = self._week(alliance, (later, start))
        standing.state_week = monday
        self.standings[(alliance, monday)] = (starts_at, standing.record())

    def _founded(self, e: Alliance.Founded, _: int) -> None:
        alliance = sid(e.originator_id)
        self.alliances[alliance] = Standing(
            zone="UTC", members=[sid(e.founder_id)], reviewed_at=iso(e.timestamp)
        )
        self._stood(alliance, e.timestamp)

    def _joined(self, e: Alliance.MemberJoined, _: int) -> None:
        standing = self._standing(sid(e.originator_id), e.timestamp)
        if sid(e.member_id) not in standing.members:
            standing.members = [*standing.members, sid(e.member_id)]
        self._stood(sid(e.originator_id), e.timestamp)

    def _left(self, e: Alliance.MemberLeft, _: int) -> None:
        standing = self._standing(sid(e.originator_id), e.timestamp)
        standing.members = [m for m in standing.members if m != sid(e.member_id)]
        self._stood(sid(e.originator_id), e.timestamp)

    def _adopted(self, e: Alliance.ProposalAdopted, _: int) -> None:
        # The agreed rhythm's zone is the alliance's: its weeks are the members' weeks.
        if e.category == "rhythm" and e.kind != "retire" and e.schedule:
            standing = self._standing(sid(e.originator_id), e.timestamp)
            if standing.zone != e.schedule["zone"]:
                standing.zone = e.schedule["zone"]
                self.changed_alliances.add(sid(e.originator_id))

    def _cadence_set(self, e: Alliance.ReviewCadenceSet, _: int) -> None:
        self._standing(sid(e.originator_id), e.timestamp).cadence_months = e.every_months
        self._stood(sid(e.originator_id), e.timestamp)

    def _redesign_concluded(self, e: Alliance.RedesignConcluded, _: int) -> None:
        self._standing(sid(e.originator_id), e.timestamp).reviewed_at = iso(e.timestamp)
        self._stood(sid(e.originator_id), e.timestamp)

    def _logged(self, e: FeedbackNote.Logged, _: int) -> None:
        alliance = sid(e.alliance_id)
        monday, starts_at = week_of(e.timestamp, self._zone(alliance, e.timestamp))
        note: dict[str, Any] = {
            "note_id": sid(e.originator_id),
            "alliance_id": alliance,
            "week": monday,
            "starts_at": starts_at,
            "author_id": sid(e.author_id),
            "valence": e.valence,
            "visibility": e.visibility,
            "retracted": 0,
        }
        self.notes[note["note_id"]] = note
        self.changed_notes.add(note["note_id"])
        self._note_counts(note, 1)

    def _note_counts(self, note: dict[str, Any], by: int) -> None:
        week = (note["week"], note["starts_at"])
        if note["visibility"] == "shared":
            self._count(note["alliance_id"], week, VALENCE_COUNTS[note["valence"]], by)
            self.activity[(note["alliance_id"], *week, note["author_id"])][0] += by
        else:
            self._count(note["alliance_id"], week, "appreciations", 0)  # the week has its row
            position = list(VALENCE_COUNTS).index(note["valence"])
            self.private[(note["alliance_id"], *week, note["author_id"])][position] += by

    def _shared(self, e: FeedbackNote.Shared, _: int) -> None:
        note = self.notes[sid(e.originator_id)]
        if note["retracted"]:
            return
        self._note_counts(note, -1)
        note["visibility"] = "shared"
        self._note_counts(note, 1)
        self.changed_notes.add(note["note_id"])

    def _retracted(self, e: FeedbackNote.Retracted, _: int) -> None:
        note = self.notes[sid(e.originator_id)]
        if note["retracted"]:
            return
        self._note_counts(note, -1)
        note["retracted"] = 1
        self.changed_notes.add(note["note_id"])

    def _reported(self, e: ConflictReport.Reported, _: int) -> None:
        alliance, conflict = sid(e.alliance_id), sid(e.originator_id)
        self.conflicts[conflict] = alliance
        self.new_conflicts.add(conflict)
        standing = self._standing(alliance, e.timestamp)
        standing.open_conflicts[conflict] = iso(e.timestamp)
        self._count(alliance, week_of(e.timestamp, standing.zone), "conflicts_reported")
        self._stood(alliance, e.timestamp)

    def _resolved(self, e: ConflictReport.Resolved, notification_id: int) -> None:
        conflict = sid(e.originator_id)
        alliance = self.conflicts[conflict]
        standing = self._standing(alliance, e.timestamp)
        opened = standing.open_conflicts.pop(conflict, None)
        week = week_of(e.timestamp, standing.zone)
        self._count(alliance, week, "conflicts_resolved")
        if opened is not None:
            hours = (e.timestamp - instant(opened)).total_seconds() / 3600
            self.resolutions.append((notification_id, alliance, week[0], conflict, hours))
        self._stood(alliance, e.timestamp)

    def _reopened(self, e: ConflictReport.Reopened, _: int) -> None:
        conflict = sid(e.originator_id)
        alliance = self.conflicts[conflict]
        self._standing(alliance, e.timestamp).open_conflicts[conflict] = iso(e.timestamp)
        self._stood(alliance, e.timestamp)

    def _prompted(self, e: CheckIn.Prompted, _: int) -> None:
        alliance = sid(e.alliance_id)
        monday, starts_at = week_of(e.slot, self._zone(alliance, e.timestamp))
        checkin = sid(e.originator_id)
        self.checkins[checkin] = {
            "checkin_id": checkin,
            "alliance_id": alliance,
            "week": monday,
            "starts_at": starts_at,
            "scheduled": 1 if e.scheduled else 0,
            "ratings": {},
            "outcome": None,
        }
        self.changed_checkins.add(checkin)

    def _responded(self, e: CheckIn.Responded, _: int) -> None:
        checkin = self.checkins[sid(e.originator_id)]
        # Held sealed: counted only when the check-in closes, as the members see them. An
        # answer without every rating (none is accepted now) is left out rather than guessed.
        if all(isinstance(e.ratings.get(item), int) for item in SRS_ITEMS):
            ratings = {item: e.ratings[item] for item in SRS_ITEMS}
            checkin["ratings"][sid(e.member_id)] = ratings
        self.changed_checkins.add(checkin["checkin_id"])

    def _closed(self, e: CheckIn.Completed | CheckIn.Missed, _: int) -> None:
        checkin = self.checkins[sid(e.originator_id)]
        checkin["outcome"] = "completed" if isinstance(e, CheckIn.Completed) else "missed"
        self.changed_checkins.add(checkin["checkin_id"])
        alliance, week = checkin["alliance_id"], (checkin["week"], checkin["starts_at"])
        totals = []
        for member, ratings in checkin["ratings"].items():
            self._count(alliance, week, "answers")
            for item in SRS_ITEMS:
                self._count(alliance, week, f"srs_{item}", ratings[item])
            total = sum(ratings[item] for item in SRS_ITEMS)
            if total <= SRS_CONCERN:
                self._count(alliance, week, "srs_low")
            totals.append(total)
            self.activity[(alliance, *week, member)][1] += 1
        if len(totals) >= 2:
            self._count(alliance, week, "rated_checkins")
            self._count(alliance, week, "spread_sum", max(totals) - min(totals))
        if checkin["scheduled"]:
            self._count(alliance, week, "scheduled_closed")
            if checkin["outcome"] == "completed":
                self._count(alliance, week, "scheduled_completed")


_CREATED_IN_AN_ALLIANCE = frozenset(
    {FeedbackNote.Logged, ConflictReport.Reported, CheckIn.Prompted}
)
_ON_A_NOTE = frozenset({FeedbackNote.Shared, FeedbackNote.Retracted})
_ON_A_CONFLICT = frozenset({ConflictReport.Resolved, ConflictReport.Reopened})
_ON_A_CHECKIN = frozenset({CheckIn.Responded, CheckIn.Completed, CheckIn.Missed})


_HANDLERS: dict[type, Any] = {
    Alliance.Founded: HealthBatch._founded,
    Alliance.MemberJoined: HealthBatch._joined,
    Alliance.MemberLeft: HealthBatch._left,
    Alliance.ProposalAdopted: HealthBatch._adopted,
    Alliance.ReviewCadenceSet: HealthBatch._cadence_set,
    Alliance.RedesignConcluded: HealthBatch._redesign_concluded,
    FeedbackNote.Logged: HealthBatch._logged,
    FeedbackNote.Shared: HealthBatch._shared,
    FeedbackNote.Retracted: HealthBatch._retracted,
    ConflictReport.Reported: HealthBatch._reported,
    ConflictReport.Resolved: HealthBatch._resolved,
    ConflictReport.Reopened: HealthBatch._reopened,
    CheckIn.Prompted: HealthBatch._prompted,
    CheckIn.Responded: HealthBatch._responded,
    CheckIn.Completed: HealthBatch._closed,
    CheckIn.Missed: HealthBatch._closed,
}
