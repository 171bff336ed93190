"""Relationship health as one member may see it: the components now, and the weekly series.

Reads the weekly counts of projections.views.health, adds up the weeks asked for and applies
the bands of projections.health.rules. Private notes count for nobody but their author: the
shared figures are the same for every member, and the reader's own private notes are shown
beside them, marked, never mixed in.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from projections.db import Row, ViewStore
from projections.health import rules
from projections.health.calendar import monday_of, week_of, week_start
from projections.health.components import every_component, overall
from projections.health.tally import (
    EMPTY_STANDING,
    WEEK_COUNTS,
    Tally,
    Week,
    counts_of,
    standing_of,
    weekly_entry,
)
from projections.instants import instant, iso

_WEEK_COLUMNS = ", ".join(WEEK_COUNTS)


class HealthReader:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    # --- reading the weeks ------------------------------------------------------------------

    def zone(self, alliance_id: UUID) -> str:
        with self.store.read() as cur:
            cur.execute(
                "SELECT zone FROM v_health_alliances WHERE alliance_id = ?", (str(alliance_id),)
            )
            row = cur.fetchone()
        return str(row["zone"]) if row else "UTC"

    def first_week(self, alliance_id: UUID) -> date | None:
        with self.store.read() as cur:
            cur.execute(
                "SELECT MIN(week) AS first FROM v_health_weeks WHERE alliance_id = ?",
                (str(alliance_id),),
            )
            row = cur.fetchone()
        return date.fromisoformat(row["first"]) if row and row["first"] else None

    def weeks(
        self, alliance_id: UUID, viewer: UUID, zone: str, first: date, last: date
    ) -> list[Week]:
        """Every week from first to last (Mondays), those without events filled in: nothing
        added, and the state the week before ended in."""
        alliance, start, end = str(alliance_id), first.isoformat(), last.isoformat()
        with self.store.read() as cur:
            cur.execute(
                "SELECT standing FROM v_health_weeks WHERE alliance_id = ? AND week < ? "
                "AND standing IS NOT NULL ORDER BY week DESC LIMIT 1",
                (alliance, start),
            )
            before = cur.fetchone()
            cur.execute(
                f"SELECT week, starts_at, standing, {_WEEK_COLUMNS} FROM v_health_weeks "
                "WHERE alliance_id = ? AND week >= ? AND week <= ? ORDER BY week",
                (alliance, start, end),
            )
            rows = {row["week"]: row for row in cur.fetchall()}
            cur.execute(
                "SELECT week, member_id, notes, answers FROM v_health_activity "
                "WHERE alliance_id = ? AND week >= ? AND week <= ?",
                (alliance, start, end),
            )
            activity = cur.fetchall()
            cur.execute(
                "SELECT week, appreciations, concerns, neutrals FROM v_health_private "
                "WHERE alliance_id = ? AND author_id = ? AND week >= ? AND week <= ?",
                (alliance, str(viewer), start, end),
            )
            private = {row["week"]: row for row in cur.fetchall()}
        standing = standing_of(before["standing"]) if before else EMPTY_STANDING
        by_week: dict[str, dict[str, list[int]]] = {}
        for row in activity:
            by_week.setdefault(row["week"], {})[row["member_id"]] = [row["notes"], row["answers"]]
        weeks = []
        monday = first
        while monday <= last:
            key = monday.isoformat()
            row = rows.get(key)
            if row is not None and row["standing"] is not None:
                standing = standing_of(row["standing"])
            mine = private.get(key)
            weeks.append(
                Week(
                    monday=monday,
                    starts_at=row["starts_at"] if row else week_start(monday, zone),
                    counts=dict(zip(WEEK_COUNTS, counts_of(row), strict=True))
                    if row
                    else dict.fromkeys(WEEK_COUNTS, 0),
                    standing=standing,
                    activity=by_week.get(key, {}),
                    private=[mine["appreciations"], mine["concerns"], mine["neutrals"]]
                    if mine
                    else [0, 0, 0],
                )
            )
            monday += timedelta(days=7)
        return weeks

    def _resolution_hours(self, alliance_id: UUID, first: date, last: date) -> list[float]:
        with self.store.read() as cur:
            cur.execute(
                "SELECT hours FROM v_health_resolutions WHERE alliance_id = ? AND week >= ? "
                "AND week <= ?",
                (str(alliance_id), first.isoformat(), last.isoformat()),
            )
            return [float(row["hours"]) for row in cur.fetchall()]

    def _closed_checkins(self, alliance_id: UUID, first: date, last: date) -> list[Row]:
        with self.store.read() as cur:
            cur.execute(
                "SELECT checkin_id, week, scheduled, outcome FROM v_health_checkins "
                "WHERE alliance_id = ? AND week >= ? AND week <= ? AND outcome IS NOT NULL "
                "ORDER BY week DESC, checkin_id",
                (str(alliance_id), first.isoformat(), last.isoformat()),
            )
            rows: list[Row] = cur.fetchall()
        return rows

    def _names(self, members: list[str]) -> dict[str, str]:
        if not members:
            return {}
        with self.store.read() as cur:
            marks = ", ".join("?" for _ in members)
            cur.execute(
                f"SELECT account_id, name FROM v_accounts WHERE account_id IN ({marks})",
                tuple(members),
            )
            return {row["account_id"]: row["name"] for row in cur.fetchall()}

    # --- now --------------------------------------------------------------------------------

    def now(self, alliance_id: UUID, viewer: UUID, now: datetime) -> dict[str, Any]:
        """Each component over the last four weeks, against the four before, and overall."""
        zone = self.zone(alliance_id)
        current = date.fromisoformat(week_of(now, zone)[0])
        span = timedelta(weeks=rules.WINDOW_WEEKS)
        first = current - span + timedelta(weeks=1)
        weeks = self.weeks(alliance_id, viewer, zone, first - span, current)
        recent = Tally.of(weeks[rules.WINDOW_WEEKS :], now)
        since = instant(weeks[rules.WINDOW_WEEKS].starts_at)
        before = Tally.of(weeks[: rules.WINDOW_WEEKS], since)
        checkins = self._closed_checkins(alliance_id, first, current)
        names = self._names(list(recent.standing["members"]))
        components = every_component(
            recent,
            before,
            checkins=checkins,
            resolution_hours=self._resolution_hours(alliance_id, first, current),
            names=names,
            since=since,
            until=now,
        )
        return {
            "alliance_id": str(alliance_id),
            "as_of": iso(now),
            "zone": zone,
            "period": {"from": weeks[rules.WINDOW_WEEKS].starts_at, "until": iso(now)},
            "overall": overall(components),
            "components": components,
            "thresholds": rules.thresholds(),
        }

    # --- the weekly series ------------------------------------------------------------------

    def history(
        self,
        alliance_id: UUID,
        viewer: UUID,
        now: datetime,
        first: date | None = None,
        last: date | None = None,
    ) -> dict[str, Any]:
        """One entry per week from ``first`` to ``last`` (by default, the alliance's whole
        life), each computed from that week alone. Weeks before the alliance began or after
        this one are left out: they hold nothing, and asking from 1900 costs no more."""
        zone = self.zone(alliance_id)
        current = date.fromisoformat(week_of(now, zone)[0])
        began = self.first_week(alliance_id) or current
        last = min(monday_of(last), current) if last else current
        first = max(monday_of(first), began) if first else began
        first = min(first, last)
        weeks = self.weeks(alliance_id, viewer, zone, first, last)
        series = []
        for week in weeks:
            ends_at = min(instant(week.starts_at) + timedelta(weeks=1), now)
            series.append(weekly_entry(week, ends_at))
        until = iso(min(instant(weeks[-1].starts_at) + timedelta(weeks=1), now))
        return {
            "alliance_id": str(alliance_id),
            "zone": zone,
            "from": first.isoformat(),
            "to": last.isoformat(),
            "weeks": series,
            "marks": self.marks(alliance_id, weeks[0].starts_at, until),
        }

    def marks(self, alliance_id: UUID, since: str, until: str) -> list[dict[str, Any]]:
        """Agreement versions and redesigns in a period, oldest first: what a reader of the
        series looks for to see whether a change helped."""
        alliance = str(alliance_id)
        with self.store.read() as cur:
            cur.execute(
                "SELECT version, adopted_at, change FROM v_agreement_versions "
                "WHERE alliance_id = ? AND adopted_at >= ? AND adopted_at < ? ORDER BY version",
                (alliance, since, until),
            )
            versions = cur.fetchall()
            cur.execute(
                "SELECT redesign_id, reason, summary, opened_at, concluded_at, final_version "
                "FROM v_redesigns WHERE alliance_id = ? AND ((opened_at >= ? AND opened_at < ?) "
                "OR (concluded_at >= ? AND concluded_at < ?))",
                (alliance, since, until, since, until),
            )
            redesigns = cur.fetchall()
        marks = [
            {
                "at": row["adopted_at"],
                "kind": "agreement",
                "label": f"Agreement version {row['version']}",
                "version": row["version"],
                "redesign_id": None,
            }
            for row in versions
        ]
        for row in redesigns:
            if since <= row["opened_at"] < until:
                marks.append(
                    {
                        "at": row["opened_at"],
                        "kind": "redesign_opened",
                        "label": f"Redesign opened: {row['reason']}",
                        "version": None,
                        "redesign_id": row["redesign_id"],
                    }
                )
            if row["concluded_at"] and since <= row["concluded_at"] < until:
                marks.append(
                    {
                        "at": row["concluded_at"],
                        "kind": "redesign_concluded",
                        "label": "Redesign concluded"
                        + (f": {row['summary']}" if row["summary"] else ""),
                        "version": row["final_version"],
                        "redesign_id": row["redesign_id"],
                    }
                )
        return sorted(marks, key=lambda mark: (mark["at"], mark["kind"]))
