"""Which alert rules (tracker.domain.alert_rules) the views meet now, and by what cause.

Each check reads the views of every active alliance at once and names each cause the way its
alert's id is made from: the same check-in, conflict or week is the same cause at every
pass, so the scheduler may ask as often as it likes and each alert is raised once. Only what
every member may see is read: revealed check-in answers (a check-in once closed), shared
notes, conflicts, commitments; never a private note or a sealed answer.

Check-ins are looked at for LOOKBACK after they close, so a scheduler down for longer than
that does not raise, on its return, alerts about sessions long past.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from projections.db import Row, ViewStore
from projections.health.calendar import week_of, zone_of
from projections.instants import instant, iso
from tracker import ids
from tracker.clock import readable
from tracker.domain.alert_rules import BY_KEY
from tracker.domain.vocabulary import SRS_ITEMS, SRS_MAX

LOOKBACK = timedelta(days=14)
_CHUNK = 500  # ids in one IN (...): well under either store's limit on parameters
POSITIVITY_WEEKS = 4
POSITIVITY_CONCERNS = 3  # "with at least some concerns": fewer is too little to judge


@dataclass(frozen=True)
class Cause:
    alliance_id: str
    rule: str
    cause: str
    threshold: int
    numbers: dict[str, Any]
    evidence: list[str]
    summary: str

    def recorded(self) -> dict[str, Any]:
        """What its alert records, as the service's raise_alert takes it."""
        return {
            "rule": self.rule,
            "cause": self.cause,
            "threshold": self.threshold,
            "numbers": self.numbers,
            "evidence": self.evidence,
            "summary": self.summary,
        }


@dataclass
class _Settings:
    """Each active alliance's rules as its members set them: (enabled, threshold)."""

    chosen: dict[tuple[str, str], tuple[bool, int]] = field(default_factory=dict)

    def threshold(self, alliance: str, rule: str) -> int | None:
        """The threshold in force, or None where the rule is off."""
        enabled, threshold = self.chosen.get((alliance, rule), (True, BY_KEY[rule].threshold))
        return threshold if enabled else None


class AlertChecks:
    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def causes(self, now: datetime) -> list[Cause]:
        """Every cause met now, in every active alliance, by the rules switched on there."""
        with self.store.snapshot():
            settings = self._settings()
            found: list[Cause] = []
            found += self._ratings(now, settings)
            found += self._positivity(now, settings)
            found += self._missed(now, settings)
            found += self._conflicts(now, settings)
            found += self._reviews(now, settings)
            found += self._commitments(now, settings)
        return found

    def unraised(self, now: datetime) -> list[Cause]:
        """The causes met now whose alert the views do not hold yet. A cause stays met for
        days (a conflict left open, a low rating within LOOKBACK): asking the event store
        again at every pass for each would load aggregates only to be refused."""
        met = self.causes(now)
        ids_of = {str(ids.alert_id(UUID(c.alliance_id), c.rule, c.cause)): c for c in met}
        raised: set[str] = set()
        wanted = list(ids_of)
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = self._all(
                f"SELECT alert_id FROM v_alerts WHERE alert_id IN ({marks})", tuple(chunk)
            )
            raised |= {row["alert_id"] for row in rows}
        return [cause for alert, cause in ids_of.items() if alert not in raised]

    def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Row]:
        with self.store.read() as cur:
            cur.execute(sql, params)
            return [dict(row) for row in cur.fetchall()]

    def _settings(self) -> _Settings:
        rows = self._all("SELECT alliance_id, rule, enabled, threshold FROM v_alert_rules")
        return _Settings(
            {(r["alliance_id"], r["rule"]): (bool(r["enabled"]), int(r["threshold"])) for r in rows}
        )

    # --- check-in ratings: low, dropped, apart ---------------------------------------------

    def _ratings(self, now: datetime, settings: _Settings) -> list[Cause]:
        answers = self._all(
            "SELECT c.checkin_id, c.alliance_id, c.slot, r.member_id, r.ratings, m.name "
            "FROM v_checkins c JOIN v_alliances a ON a.alliance_id = c.alliance_id "
            "JOIN v_checkin_responses r ON r.checkin_id = c.checkin_id "
            "JOIN v_accounts m ON m.account_id = r.member_id "
            "WHERE c.status <> 'open' AND c.closed_at >= ? AND a.status = 'active' "
            "ORDER BY c.slot, c.checkin_id, m.name",
            (iso(now - LOOKBACK),),
        )
        found: list[Cause] = []
        by_checkin: dict[str, list[tuple[Row, dict[str, int]]]] = {}
        for answer in answers:
            ratings = _rated(answer["ratings"])
            if ratings is None:
                continue
            by_checkin.setdefault(answer["checkin_id"], []).append((answer, ratings))
            found += self._low(answer, ratings, settings)
            found += self._dropped(answer, ratings, settings)
        for rated in by_checkin.values():
            found += _apart(rated, settings)
        return found

    def _low(self, answer: Row, ratings: dict[str, int], settings: _Settings) -> list[Cause]:
        threshold = settings.threshold(answer["alliance_id"], "srs_low")
        total = sum(ratings.values())
        if threshold is None or total > threshold:
            return []
        return [
            Cause(
                answer["alliance_id"],
                "srs_low",
                f"{answer['checkin_id']}:{answer['member_id']}",
                threshold,
                {"total": total, "member_id": answer["member_id"], **ratings},
                [answer["checkin_id"]],
                f"{answer['name']} rated the check-in of {_day(answer['slot'])} {total} of "
                f"{SRS_MAX * len(SRS_ITEMS)}, at or under {threshold}.",
            )
        ]

    def _dropped(self, answer: Row, ratings: dict[str, int], settings: _Settings) -> list[Cause]:
        threshold = settings.threshold(answer["alliance_id"], "srs_drop")
        if threshold is None:
            return []
        before = self._previous(answer)
        if before is None:  # a member's first rated check-in has nothing to drop from
            return []
        previous, earlier = before
        dropped = {
            item: [previous[item], ratings[item]]
            for item in SRS_ITEMS
            if previous[item] - ratings[item] >= threshold
        }
        if not dropped:
            return []
        said = ", ".join(f"{item} {was} to {now}" for item, (was, now) in dropped.items())
        return [
            Cause(
                answer["alliance_id"],
                "srs_drop",
                f"{answer['checkin_id']}:{answer['member_id']}",
                threshold,
                {"member_id": answer["member_id"], "dropped": dropped},
                [earlier, answer["checkin_id"]],
                f"{answer['name']}'s ratings dropped at the check-in of {_day(answer['slot'])}, "
                f"from the one before: {said}.",
            )
        ]

    def _previous(self, answer: Row) -> tuple[dict[str, int], str] | None:
        """The member's ratings at their last rated check-in before this one, and its id."""
        rows = self._all(
            "SELECT c.checkin_id, r.ratings FROM v_checkins c "
            "JOIN v_checkin_responses r ON r.checkin_id = c.checkin_id AND r.member_id = ? "
            "WHERE c.alliance_id = ? AND c.status <> 'open' AND c.slot < ? "
            "ORDER BY c.slot DESC LIMIT 5",
            (answer["member_id"], answer["alliance_id"], answer["slot"]),
        )
        for row in rows:
            ratings = _rated(row["ratings"])
            if ratings is not None:
                return ratings, row["checkin_id"]
        return None

    # --- shared feedback -------------------------------------------------------------------

    def _positivity(self, now: datetime, settings: _Settings) -> list[Cause]:
        since = (now - timedelta(weeks=POSITIVITY_WEEKS + 1)).date().isoformat()
        rows = self._all(
            "SELECT w.alliance_id, w.week, w.appreciations, w.concerns, h.zone "
            "FROM v_health_weeks w JOIN v_health_alliances h ON h.alliance_id = w.alliance_id "
            "JOIN v_alliances a ON a.alliance_id = w.alliance_id "
            "WHERE a.status = 'active' AND w.week >= ?",
            (since,),
        )
        weeks: dict[str, list[Row]] = {}
        for row in rows:
            weeks.setdefault(row["alliance_id"], []).append(row)
        found = []
        for alliance, counted in sorted(weeks.items()):
            threshold = settings.threshold(alliance, "positivity")
            if threshold is None:
                continue
            current = date.fromisoformat(week_of(now, counted[0]["zone"])[0])
            first = (current - timedelta(weeks=POSITIVITY_WEEKS - 1)).isoformat()
            window = [w for w in counted if first <= w["week"] <= current.isoformat()]
            appreciations = sum(w["appreciations"] for w in window)
            concerns = sum(w["concerns"] for w in window)
            if concerns < POSITIVITY_CONCERNS or appreciations >= threshold * concerns:
                continue
            found.append(
                Cause(
                    alliance,
                    "positivity",
                    f"week:{current.isoformat()}",
                    threshold,
                    {"appreciations": appreciations, "concerns": concerns},
                    [],
                    f"Shared feedback over the four weeks to {current.isoformat()} holds "
                    f"{appreciations} appreciations for {concerns} concerns, fewer than "
                    f"{threshold} for each.",
                )
            )
        return found

    # --- the rhythm ------------------------------------------------------------------------

    def _missed(self, now: datetime, settings: _Settings) -> list[Cause]:
        recent = self._all(
            "SELECT DISTINCT c.alliance_id FROM v_checkins c "
            "JOIN v_alliances a ON a.alliance_id = c.alliance_id WHERE c.status = 'missed' "
            "AND c.scheduled = 1 AND c.closed_at >= ? AND a.status = 'active' "
            "ORDER BY c.alliance_id",
            (iso(now - LOOKBACK),),
        )
        found = []
        for row in recent:
            alliance = row["alliance_id"]
            run = settings.threshold(alliance, "missed_checkins")
            if run is None:
                continue
            last = self._all(
                "SELECT checkin_id, slot, status FROM v_checkins WHERE alliance_id = ? "
                "AND scheduled = 1 AND status <> 'open' ORDER BY slot DESC LIMIT ?",
                (alliance, run),
            )
            if len(last) < run or any(c["status"] != "missed" for c in last):
                continue
            found.append(
                Cause(
                    alliance,
                    "missed_checkins",
                    last[0]["checkin_id"],
                    run,
                    {"missed": run},
                    [c["checkin_id"] for c in reversed(last)],
                    f"The last {run} scheduled check-ins were missed, the latest on "
                    f"{_day(last[0]['slot'])}.",
                )
            )
        return found

    # --- what stands open ------------------------------------------------------------------

    def _conflicts(self, now: datetime, settings: _Settings) -> list[Cause]:
        rows = self._all(
            "SELECT c.conflict_id, c.alliance_id, c.severity, c.reported_at, c.reopened_at "
            "FROM v_conflicts c JOIN v_alliances a ON a.alliance_id = c.alliance_id "
            "WHERE c.status <> 'resolved' AND a.status = 'active' ORDER BY c.reported_at"
        )
        found = []
        for row in rows:
            threshold = settings.threshold(row["alliance_id"], "conflict_open")
            opened = row["reopened_at"] or row["reported_at"]
            if threshold is None or now - instant(opened) < timedelta(days=threshold):
                continue
            days = (now - instant(opened)).days
            found.append(
                Cause(
                    row["alliance_id"],
                    "conflict_open",
                    f"{row['conflict_id']}:{opened}",  # reopened, it is a new cause
                    threshold,
                    {"days_open": days, "severity": row["severity"]},
                    [row["conflict_id"]],
                    f"A conflict of {row['severity']} severity has been open for {days} days, "
                    f"since {_day(opened)}.",
                )
            )
        return found

    def _reviews(self, now: datetime, settings: _Settings) -> list[Cause]:
        rows = self._all(
            "SELECT alliance_id, review_due_at FROM v_alliances WHERE status = 'active' "
            "AND review_due_at IS NOT NULL AND review_due_at <= ?",
            (iso(now),),
        )
        found = []
        for row in rows:
            threshold = settings.threshold(row["alliance_id"], "review_overdue")
            late = now - instant(row["review_due_at"])
            if threshold is None or late <= timedelta(days=threshold):
                continue
            found.append(
                Cause(
                    row["alliance_id"],
                    "review_overdue",
                    row["review_due_at"],
                    threshold,
                    {"days_overdue": late.days},
                    [],
                    f"The agreement's review was due on {_day(row['review_due_at'])} and has "
                    f"not happened: {late.days} days overdue.",
                )
            )
        return found

    def _commitments(self, now: datetime, settings: _Settings) -> list[Cause]:
        rows = self._all(
            "SELECT c.commitment_id, c.alliance_id, c.what, c.due_on, o.name, "
            "COALESCE(h.zone, 'UTC') AS zone FROM v_commitments c "
            "JOIN v_alliances a ON a.alliance_id = c.alliance_id "
            "JOIN v_accounts o ON o.account_id = c.owner_id "
            "LEFT JOIN v_health_alliances h ON h.alliance_id = c.alliance_id "
            "WHERE c.status = 'open' AND a.status = 'active' AND c.due_on < ? "
            "ORDER BY c.due_on, c.commitment_id",
            # Today where the day is furthest ahead; each is then read in its own zone.
            ((now + timedelta(hours=14)).date().isoformat(),),
        )
        found = []
        for row in rows:
            threshold = settings.threshold(row["alliance_id"], "commitment_overdue")
            today = now.astimezone(zone_of(row["zone"])).date()
            late = (today - date.fromisoformat(row["due_on"])).days
            if threshold is None or late <= threshold:
                continue
            found.append(
                Cause(
                    row["alliance_id"],
                    "commitment_overdue",
                    f"{row['commitment_id']}:{row['due_on']}",  # carried over, a new cause
                    threshold,
                    {"days_overdue": late, "due_on": row["due_on"]},
                    [row["commitment_id"]],
                    f"{row['name']}'s commitment “{row['what']}” was due on "
                    f"{date.fromisoformat(row['due_on']).strftime('%-d %b %Y')}: {late} days "
                    "past its day.",
                )
            )
        return found


def _apart(rated: list[tuple[Row, dict[str, int]]], settings: _Settings) -> list[Cause]:
    if len(rated) < 2:  # a member who did not rate is silent, not apart
        return []
    answer = rated[0][0]
    threshold = settings.threshold(answer["alliance_id"], "divergence")
    totals = {row["name"]: sum(ratings.values()) for row, ratings in rated}
    gap = max(totals.values()) - min(totals.values())
    if threshold is None or gap < threshold:
        return []
    said = ", ".join(f"{name} {total}" for name, total in totals.items())
    return [
        Cause(
            answer["alliance_id"],
            "divergence",
            answer["checkin_id"],
            threshold,
            {"gap": gap, "totals": {row["member_id"]: sum(r.values()) for row, r in rated}},
            [answer["checkin_id"]],
            f"At the check-in of {_day(answer['slot'])} the members' totals were {gap} points "
            f"apart: {said}.",
        )
    ]


def _rated(raw: str) -> dict[str, int] | None:
    """A response's ratings, when it rated every item."""
    ratings = json.loads(raw) if raw else {}
    if not isinstance(ratings, dict) or any(item not in ratings for item in SRS_ITEMS):
        return None
    return {item: int(ratings[item]) for item in SRS_ITEMS}


def _day(moment: str) -> str:
    return readable(moment).split(",")[0]
