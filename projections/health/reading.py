"""Relationship health as one member may see it: the components now, and the weekly series.

Reads the weekly counts of projections.views.health, adds up the weeks asked for and applies
the bands of projections.health.rules. Private notes count for nobody but their author: the
shared figures are the same for every member, and the reader's own private notes are shown
beside them, marked, never mixed in.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import Any
from uuid import UUID

from dateutil.relativedelta import relativedelta

from projections.db import Row, ViewStore
from projections.health import rules
from projections.health.rules import GREEN, RED, STATUS_WORDS, YELLOW, Band
from projections.views.base import instant, iso
from projections.views.health import WEEK_COUNTS, week_of, week_start
from tracker.domain.vocabulary import SRS_ITEMS, SRS_MAX

Component = dict[str, Any]


_SRS_SUMS = itemgetter(*(f"srs_{item}" for item in SRS_ITEMS))  # each item's sum, in order
_COUNTS_OF = itemgetter(*WEEK_COUNTS)  # a week's row, its counts in WEEK_COUNTS order
_WEEK_COLUMNS = ", ".join(WEEK_COUNTS)


@dataclass(slots=True)
class Week:
    monday: date
    starts_at: str
    counts: dict[str, int]
    standing: dict[str, Any]
    activity: dict[str, list[int]] = field(default_factory=dict)  # member -> [notes, answers]
    private: list[int] = field(default_factory=lambda: [0, 0, 0])  # the reader's own


@dataclass(slots=True)
class Tally:
    """A run of weeks added up, with the state the last of them ended in."""

    counts: dict[str, int]
    standing: dict[str, Any]
    activity: dict[str, list[int]]
    private: list[int]
    ends_at: datetime

    @classmethod
    def of(cls, weeks: list[Week], ends_at: datetime) -> Tally:
        counts = dict.fromkeys(WEEK_COUNTS, 0)
        activity: dict[str, list[int]] = {}
        private = [0, 0, 0]
        for week in weeks:
            for column, value in week.counts.items():
                counts[column] += value
            for member, (notes, answers) in week.activity.items():
                mine = activity.setdefault(member, [0, 0])
                mine[0] += notes
                mine[1] += answers
            private = [a + b for a, b in zip(private, week.private, strict=True)]
        standing = weeks[-1].standing if weeks else _EMPTY_STANDING
        return cls(counts, standing, activity, private, ends_at)

    # --- the value of each component --------------------------------------------------------

    def srs_total(self) -> float | None:
        answers = self.counts["answers"]
        if not answers:
            return None
        total: int = sum(_SRS_SUMS(self.counts))
        return total / answers

    def srs_items(self) -> dict[str, float | None]:
        answers = self.counts["answers"]
        if not answers:
            return dict.fromkeys(SRS_ITEMS)
        sums = zip(SRS_ITEMS, _SRS_SUMS(self.counts), strict=True)
        return {item: total / answers for item, total in sums}

    def positivity(self) -> float | None:
        shared = self.counts["appreciations"] + self.counts["concerns"]
        if shared < rules.POSITIVITY_MINIMUM:
            return None
        if not self.counts["concerns"]:
            return float("inf")
        return self.counts["appreciations"] / self.counts["concerns"]

    def adherence(self) -> float | None:
        closed = self.counts["scheduled_closed"]
        return self.counts["scheduled_completed"] / closed if closed else None

    def open_conflicts(self) -> dict[str, str]:
        return dict(self.standing["open_conflicts"])

    def oldest_open_days(self) -> float | None:
        opened = self.standing["open_conflicts"].values()
        if not opened:
            return None
        return (self.ends_at - instant(min(opened))).total_seconds() / 86400

    def contributions(self) -> dict[str, int]:
        """Each current member's shared notes and answers; a silent member counts as 0."""
        return {
            member: sum(self.activity.get(member, [0, 0])) for member in self.standing["members"]
        }

    def participation(self) -> float | None:
        given = self.contributions()
        total = sum(given.values())
        if len(given) < 2 or total < rules.PARTICIPATION_MINIMUM:
            return None
        return min(given.values()) * len(given) / total

    def divergence(self) -> float | None:
        rated = self.counts["rated_checkins"]
        return self.counts["spread_sum"] / rated if rated else None

    def review_due(self) -> datetime | None:
        months = self.standing["cadence_months"]
        if not months:
            return None
        return instant(self.standing["reviewed_at"]) + relativedelta(months=months)

    def overdue_days(self) -> float | None:
        due = self.review_due()
        return None if due is None else (self.ends_at - due).total_seconds() / 86400

    def days_since_review(self) -> int:
        return max((self.ends_at - instant(self.standing["reviewed_at"])).days, 0)


_EMPTY_STANDING: dict[str, Any] = {
    "members": [],
    "reviewed_at": "1970-01-01T00:00:00.000000Z",
    "cadence_months": None,
    "open_conflicts": {},
}


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
        standing = _standing(before["standing"]) if before else _EMPTY_STANDING
        by_week: dict[str, dict[str, list[int]]] = {}
        for row in activity:
            by_week.setdefault(row["week"], {})[row["member_id"]] = [row["notes"], row["answers"]]
        weeks = []
        monday = first
        while monday <= last:
            key = monday.isoformat()
            row = rows.get(key)
            if row is not None and row["standing"] is not None:
                standing = _standing(row["standing"])
            mine = private.get(key)
            weeks.append(
                Week(
                    monday=monday,
                    starts_at=row["starts_at"] if row else week_start(monday, zone),
                    counts=dict(zip(WEEK_COUNTS, _COUNTS_OF(row), strict=True))
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
        links = _Links(str(alliance_id), since, now)
        components = [
            _ratings(recent, before, checkins, links),
            _positivity(recent, before, links),
            _adherence(recent, before, checkins, links),
            _conflicts(recent, before, self._resolution_hours(alliance_id, first, current), links),
            _participation(recent, before, names, links),
            _divergence(recent, before, checkins, links),
            _freshness(recent, before, links),
        ]
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
        last = min(_monday(last), current) if last else current
        first = max(_monday(first), began) if first else began
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


def weekly_entry(week: Week, ends_at: datetime) -> dict[str, Any]:
    # One week needs no adding up: the tally reads the week's own counts (a history of five
    # years makes 261 of these per page).
    tally = Tally(week.counts, week.standing, week.activity, week.private, ends_at)
    counts = week.counts
    entry: dict[str, Any] = {
        "week": week.monday.isoformat(),
        "starts_at": week.starts_at,
        "srs_total": _round(tally.srs_total()),
        "srs_items": {item: _round(value) for item, value in tally.srs_items().items()},
        "answers": counts["answers"],
        "positivity": _ratio(tally.positivity()),
        "appreciations": counts["appreciations"],
        "concerns": counts["concerns"],
        "neutrals": counts["neutrals"],
        "adherence": _round(tally.adherence()),
        "scheduled_checkins_closed": counts["scheduled_closed"],
        "scheduled_checkins_completed": counts["scheduled_completed"],
        "open_conflicts": len(tally.standing["open_conflicts"]),
        "conflicts_reported": counts["conflicts_reported"],
        "conflicts_resolved": counts["conflicts_resolved"],
        "participation": _round(tally.participation()),
        "divergence": _round(tally.divergence()),
        "days_since_review": tally.days_since_review()
        if tally.standing is not _EMPTY_STANDING
        else None,
    }
    if any(week.private):
        entry["private"] = _private(week.private)
    return entry


def overall(components: list[Component]) -> dict[str, Any]:
    """The worst status of any component, and every component that is not green, named."""
    status = rules.worst([component["status"] for component in components])
    red = [c["title"].lower() for c in components if c["status"] == RED]
    yellow = [c["title"].lower() for c in components if c["status"] == YELLOW]
    parts = []
    if red:
        parts.append(f"Needs attention (red): {_listed(red)}.")
    if yellow:
        parts.append(f"Worth a look (yellow): {_listed(yellow)}.")
    if not parts:
        parts.append(
            "Every component with enough data is green."
            if status == GREEN
            else "Not enough has happened yet to judge."
        )
    return {"status": status, "summary": " ".join(parts)}


# --- each component ------------------------------------------------------------------------


class _Links:
    def __init__(self, alliance: str, since: datetime, until: datetime) -> None:
        self.base = f"/alliances/{alliance}"
        self.since = since.date().isoformat()
        self.until = until.date().isoformat()

    def feedback(self, label: str, **filters: str) -> dict[str, str]:
        query = "&".join(f"{k}={v}" for k, v in filters.items())
        href = f"{self.base}/feedback?since={self.since}&until={self.until}"
        return {"label": label, "href": f"{href}&{query}" if query else href}

    def checkin(self, row: Row) -> dict[str, str]:
        return {
            "label": f"Check-in of the week of {row['week']} ({row['outcome']})",
            "href": f"{self.base}/checkins#checkin-{row['checkin_id']}",
        }

    def page(self, label: str, page: str) -> dict[str, str]:
        return {"label": label, "href": f"{self.base}/{page}"}


def _component(
    band: Band,
    value: float | None,
    previous: float | None,
    display: str,
    explanation: str,
    links: list[dict[str, str]],
    details: dict[str, Any],
    status: str | None = None,
) -> Component:
    status = status or band.status(value)
    return {
        "key": band.key,
        "title": band.title,
        "status": status,
        "status_words": STATUS_WORDS[status],
        "value": _ratio(value) if value == float("inf") else _round(value),
        "display": display,
        "trend": band.trend(value, previous),
        "explanation": explanation,
        "rule": band.rule,
        "links": links,
        "details": details,
    }


def _ratings(recent: Tally, before: Tally, checkins: list[Row], links: _Links) -> Component:
    total, answers = recent.srs_total(), recent.counts["answers"]
    items = recent.srs_items()
    if total is None:
        explanation = "No check-in was answered and closed in the last four weeks."
    else:
        lowest = min(SRS_ITEMS, key=lambda item: items[item] or 0.0)
        explanation = (
            f"{_count(answers, 'answer')} averaged {total:.1f} of 40 in the last four weeks; "
            f"{recent.counts['srs_low']} of them {_were(recent.counts['srs_low'])} "
            f"{rules.SRS_CONCERN} or less, the scale's line of concern. "
            f"Lowest item: {lowest} ({items[lowest] or 0:.1f} of {SRS_MAX})."
        )
    return _component(
        rules.RATINGS,
        total,
        before.srs_total(),
        f"{total:.1f} / 40" if total is not None else "—",
        explanation,
        [links.checkin(row) for row in checkins[:8]],
        {
            "answers": answers,
            "items": {item: _round(value) for item, value in items.items()},
            "answers_of_concern": recent.counts["srs_low"],
        },
    )


def _positivity(recent: Tally, before: Tally, links: _Links) -> Component:
    appreciations, concerns = recent.counts["appreciations"], recent.counts["concerns"]
    ratio = recent.positivity()
    shared = f"{_count(appreciations, 'appreciation')} and {_count(concerns, 'concern')}"
    if ratio is None:
        explanation = (
            f"{shared} were shared in the last four weeks: too few to judge a ratio "
            f"(at least {rules.POSITIVITY_MINIMUM})."
        )
    elif ratio == float("inf"):
        explanation = f"{shared} were shared in the last four weeks: nothing but appreciation."
    else:
        against = "at or above" if ratio >= rules.POSITIVITY.green else "below"
        explanation = (
            f"{shared} were shared in the last four weeks: {ratio:.1f} to 1, {against} the "
            "5 to 1 of relationships that last."
        )
    details: dict[str, Any] = {
        "appreciations": appreciations,
        "concerns": concerns,
        "neutrals": recent.counts["neutrals"],
    }
    if any(recent.private):
        details["private"] = _private(recent.private)
        a, c, _ = recent.private
        explanation += (
            f" Your private notes, which only you see, add {_count(a, 'appreciation')} and "
            f"{_count(c, 'concern')}; they are not counted here."
        )
    return _component(
        rules.POSITIVITY,
        ratio,
        before.positivity(),
        _ratio_words(ratio, appreciations),
        explanation,
        [
            links.feedback("Appreciations shared", valence="appreciation"),
            links.feedback("Concerns shared", valence="concern"),
        ],
        details,
    )


def _adherence(recent: Tally, before: Tally, checkins: list[Row], links: _Links) -> Component:
    closed, completed = recent.counts["scheduled_closed"], recent.counts["scheduled_completed"]
    share = recent.adherence()
    if share is None:
        explanation = "No check-in the rhythm scheduled closed in the last four weeks."
    else:
        explanation = (
            f"{completed} of {_count(closed, 'scheduled check-in')} in the last four weeks "
            f"{_were(completed)} answered by every member ({share:.0%}); "
            f"{closed - completed} {_were(closed - completed)} missed."
        )
    return _component(
        rules.ADHERENCE,
        share,
        before.adherence(),
        f"{share:.0%}" if share is not None else "—",
        explanation,
        [links.checkin(row) for row in checkins if row["scheduled"]][:8],
        {"scheduled_closed": closed, "completed": completed},
    )


def _conflicts(recent: Tally, before: Tally, hours: list[float], links: _Links) -> Component:
    open_now = recent.open_conflicts()
    oldest = recent.oldest_open_days()
    status = rules.worst(
        [rules.OPEN_CONFLICTS.status(len(open_now)), rules.CONFLICT_AGE.status(oldest or 0)]
    )
    median = statistics.median(hours) if hours else None
    if open_now:
        explanation = (
            f"{_count(len(open_now), 'conflict')} {_is(len(open_now))} open; the oldest has "
            f"been open {_days(oldest or 0)}."
        )
    else:
        explanation = "No conflict is open."
    if median is not None:
        explanation += (
            f" The {_count(len(hours), 'conflict')} resolved in the last four weeks took a "
            f"median of {_duration(median)}."
        )
    open_links = [
        {"label": f"Open since {since[:10]}", "href": f"{links.base}/conflicts#conflict-{c}"}
        for c, since in sorted(open_now.items(), key=lambda item: item[1])
    ]
    return _component(
        rules.OPEN_CONFLICTS,
        len(open_now),
        len(before.open_conflicts()),
        f"{len(open_now)} open",
        explanation,
        open_links or [links.page("Conflicts", "conflicts")],
        {
            "open": len(open_now),
            "oldest_open_days": _round(oldest),
            "reported": recent.counts["conflicts_reported"],
            "resolved": recent.counts["conflicts_resolved"],
            "median_hours_to_resolve": _round(median),
        },
        status=status,
    )


def _participation(recent: Tally, before: Tally, names: dict[str, str], links: _Links) -> Component:
    given = recent.contributions()
    balance = recent.participation()
    total = sum(given.values())
    said = ", ".join(
        f"{names.get(member, 'a former member')} {count}"
        for member, count in sorted(given.items(), key=lambda item: -item[1])
    )
    if len(given) < 2:
        explanation = "Balance needs two members or more."
    elif balance is None:
        explanation = (
            f"{_count(total, 'shared note or answer', 'shared notes and answers')} in the last "
            f"four weeks ({said}): too few to judge a balance."
        )
    else:
        silent = [names.get(m, "a former member") for m, count in given.items() if not count]
        explanation = f"Shared notes and check-in answers in the last four weeks: {said}."
        if silent:
            explanation += f" {_listed(silent)} gave none."
    return _component(
        rules.PARTICIPATION,
        balance,
        before.participation(),
        f"{balance:.2f}" if balance is not None else "—",
        explanation,
        [
            links.feedback(f"Notes by {names.get(member, 'a former member')}", author=member)
            for member in given
        ],
        {
            "members": [
                {"member_id": member, "name": names.get(member), "contributions": count}
                for member, count in given.items()
            ]
        },
    )


def _divergence(recent: Tally, before: Tally, checkins: list[Row], links: _Links) -> Component:
    spread, rated = recent.divergence(), recent.counts["rated_checkins"]
    if spread is None:
        explanation = "No check-in was answered by two members or more in the last four weeks."
    else:
        explanation = (
            f"Members' totals for the same check-in differed by {spread:.1f} points on average "
            f"over {_count(rated, 'check-in')}."
        )
    return _component(
        rules.DIVERGENCE,
        spread,
        before.divergence(),
        f"{spread:.1f} points" if spread is not None else "—",
        explanation,
        [links.checkin(row) for row in checkins[:8]],
        {"checkins": rated},
    )


def _freshness(recent: Tally, before: Tally, links: _Links) -> Component:
    overdue = recent.overdue_days()
    since = recent.days_since_review()
    reviewed = recent.standing["reviewed_at"][:10]
    months = recent.standing["cadence_months"]
    if months is None:
        explanation = (
            f"The terms were last reviewed {_days(since)} ago ({reviewed}). No review cadence "
            "is agreed; set one on the redesigns page to be reminded."
        )
    elif overdue is not None and overdue > 0:
        explanation = (
            f"The terms were last reviewed {_days(since)} ago ({reviewed}); the agreed cadence "
            f"is every {_count(months, 'month')}, so a review has been due for "
            f"{_days(overdue)}."
        )
    else:
        explanation = (
            f"The terms were last reviewed {_days(since)} ago ({reviewed}); the agreed cadence "
            f"is every {_count(months, 'month')}, so the next review is due in "
            f"{_days(-(overdue or 0))}."
        )
    reviewed_lately = instant(recent.standing["reviewed_at"]) > before.ends_at
    trend = None
    if overdue is not None:
        trend = {
            "direction": "down" if reviewed_lately else "steady",
            "meaning": "better" if reviewed_lately else "same",
            "previous": None,
        }
    component = _component(
        rules.FRESHNESS,
        overdue,
        None,
        f"{_days(since)} since review",
        explanation,
        [links.page("Redesigns", "redesigns")],
        {"days_since_review": since, "cadence_months": months, "reviewed_at": reviewed},
    )
    component["value"] = since
    component["trend"] = trend
    return component


# --- words -----------------------------------------------------------------------------------


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def _is(n: int) -> str:
    return "is" if n == 1 else "are"


def _days(days: float) -> str:
    whole = int(days)
    return _count(whole, "day")


def _duration(hours: float) -> str:
    return _count(round(hours), "hour") if hours < 48 else _days(hours / 24)


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _private(counts: list[int]) -> dict[str, int]:
    """The reader's own private notes, by kind: shown to them alone, marked as theirs."""
    return dict(zip(("appreciations", "concerns", "neutrals"), counts, strict=True))


def _ratio_words(ratio: float | None, appreciations: int) -> str:
    if ratio is None:
        return "—"
    if ratio == float("inf"):
        return f"{appreciations} : 0"
    return f"{ratio:.1f} : 1"


def _ratio(value: float | None) -> float | None:
    """A ratio with no concerns has no finite value: JSON says null, and words say why."""
    return None if value is None or value == float("inf") else round(value, 2)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@lru_cache(maxsize=4096)
def _standing(text: str) -> dict[str, Any]:
    """A week's state as recorded. A past week's text never changes, so a page read again
    decodes it once; the dict is shared and only ever read."""
    decoded: dict[str, Any] = json.loads(text)
    return decoded


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
