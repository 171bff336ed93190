"""One alliance's place in the attention queue: how much it needs its members, since when, and
why, in words, computed from the views as they stand.

Need is the worst of the alliance's health and what stands open in it: an open conflict, an
unanswered call for tending, a commitment past its day or a review past due each makes it
worth a look (yellow) even when health is green or too young to judge. Among alliances of
the same need, the one that has waited longest comes first: waiting since its oldest open
matter or, with none, since its last check-in.

Health is read as any member reads it without their private notes, so a place is the same
for every member, and a private note moves no one's queue.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from projections.db import Row, ViewStore
from projections.health import rules
from projections.health.calendar import week_of, zone_of
from projections.health.reading import HealthReader
from projections.health.wording import count
from projections.instants import instant, iso
from tracker.clock import readable
from tracker.domain.alert_rules import severity_of, title_of

# Needs in the queue's order; ``ended`` alliances come last, read-only.
ENDED = "ended"
NEEDS = (rules.RED, rules.YELLOW, rules.NO_DATA, rules.GREEN, ENDED)
NEED_WORDS = {
    rules.RED: "Needs attention",
    rules.YELLOW: "Worth a look",
    rules.NO_DATA: "Too early to judge",
    rules.GREEN: "Going well",
    ENDED: "Ended",
}
# Time alone moves a place (a conflict grows old, a review falls due): each is computed again
# within this long, spread over a quarter of it by alliance so they do not all fall due at once.
REFRESH_WITHIN = timedelta(hours=1)
_NOBODY = UUID(int=0)  # reads health with no one's private notes


@dataclass(frozen=True)
class Place:
    alliance_id: str
    need: str
    waiting_since: str
    fresh_until: str
    place: dict[str, Any]

    @property
    def rank(self) -> int:
        return NEEDS.index(self.need)


class PlaceReader:
    def __init__(self, store: ViewStore) -> None:
        self.store = store
        self.health = HealthReader(store)

    def place(self, alliance_id: str, now: datetime) -> Place | None:
        """The alliance's place as of ``now``; None for an alliance the views do not hold."""
        with self.store.snapshot():
            facts = self._facts(alliance_id)
            if facts is None:
                return None
            health = self.health.now(UUID(alliance_id), _NOBODY, now)
        return _placed(alliance_id, facts, health, now)

    def _facts(self, alliance_id: str) -> Row | None:
        with self.store.read() as cur:
            cur.execute(
                "SELECT status, founded_at, tending_open, review_due_at FROM v_alliances "
                "WHERE alliance_id = ?",
                (alliance_id,),
            )
            alliance = cur.fetchone()
            if alliance is None:
                return None
            facts: Row = dict(alliance)
            cur.execute(
                "SELECT conflict_id, reported_at, severity FROM v_conflicts "
                "WHERE alliance_id = ? AND status <> 'resolved' ORDER BY reported_at",
                (alliance_id,),
            )
            facts["conflicts"] = [dict(row) for row in cur.fetchall()]
            cur.execute(
                "SELECT signal_id, raised_at FROM v_tending "
                "WHERE alliance_id = ? AND addressed_at IS NULL ORDER BY raised_at",
                (alliance_id,),
            )
            facts["tending"] = [dict(row) for row in cur.fetchall()]
            cur.execute(
                "SELECT commitment_id, what, due_on, owner_id FROM v_commitments "
                "WHERE alliance_id = ? AND status = 'open' ORDER BY due_on, made_at",
                (alliance_id,),
            )
            facts["commitments"] = [dict(row) for row in cur.fetchall()]
            cur.execute(
                "SELECT alert_id, rule, summary, raised_at, acknowledged_at, snoozed_until "
                "FROM v_alerts WHERE alliance_id = ? AND status = 'open' ORDER BY raised_at",
                (alliance_id,),
            )
            facts["alerts"] = [dict(row) for row in cur.fetchall()]
            cur.execute(
                "SELECT MIN(next_slot) AS next_slot FROM v_rhythms WHERE alliance_id = ?",
                (alliance_id,),
            )
            facts["next_checkin"] = (cur.fetchone() or {}).get("next_slot")
            cur.execute(
                "SELECT MAX(slot) AS slot FROM v_checkins "
                "WHERE alliance_id = ? AND status = 'completed'",
                (alliance_id,),
            )
            facts["last_checkin"] = (cur.fetchone() or {}).get("slot")
        return facts


def _placed(alliance_id: str, facts: Row, health: dict[str, Any], now: datetime) -> Place:
    zone = health["zone"]
    today = now.astimezone(zone_of(zone)).date()
    overdue = [c for c in facts["commitments"] if c["due_on"] < today.isoformat()]
    review_due = facts["review_due_at"]
    review_overdue = review_due is not None and review_due <= iso(now)
    alerts = [
        a
        for a in facts["alerts"]
        if not a["snoozed_until"] or a["snoozed_until"] <= today.isoformat()
    ]
    reasons = [
        {
            "kind": "alert",
            "status": severity_of(a["rule"]),
            "title": f"Alert: {title_of(a['rule'])}",
            "text": a["summary"],
        }
        for a in alerts
    ]
    reasons += [
        {"kind": c["key"], "status": c["status"], "title": c["title"], "text": c["explanation"]}
        for c in health["components"]
        if c["status"] in (rules.RED, rules.YELLOW)
    ]
    matters: list[tuple[str, str]] = []  # (since, what) of every open matter
    if alerts:
        matters.append((alerts[0]["raised_at"], "an alert was raised then, still open"))
    if facts["conflicts"]:
        oldest = facts["conflicts"][0]
        matters.append((oldest["reported_at"], "the oldest open conflict was reported then"))
        if not any(reason["kind"] == "conflicts" for reason in reasons):
            open_ = len(facts["conflicts"])
            reasons.append(
                {
                    "kind": "conflicts",
                    "status": rules.YELLOW,
                    "title": "Open conflicts",
                    "text": f"{count(open_, 'conflict')} {'is' if open_ == 1 else 'are'} open, "
                    f"the oldest of {oldest['severity']} severity.",
                }
            )
    if facts["tending"]:
        oldest = facts["tending"][0]
        matters.append((oldest["raised_at"], "a call for tending was raised then, unanswered"))
        reasons.append(
            {
                "kind": "tending",
                "status": rules.YELLOW,
                "title": "Calls for tending",
                "text": f"{count(len(facts['tending']), 'call')} for tending "
                f"{'is' if len(facts['tending']) == 1 else 'are'} unanswered.",
            }
        )
    if overdue:
        due = date.fromisoformat(overdue[0]["due_on"])
        matters.append((iso(_day_begins(due, zone)), "a commitment was due that day"))
        reasons.append(
            {
                "kind": "commitments",
                "status": rules.YELLOW,
                "title": "Commitments",
                "text": f"{count(len(overdue), 'commitment')} past its day: "
                + "; ".join(f"“{c['what']}” (due {c['due_on']})" for c in overdue[:3])
                + (f"; and {len(overdue) - 3} more." if len(overdue) > 3 else "."),
            }
        )
    if review_overdue:
        matters.append((review_due, "a review of the terms fell due then"))
    if facts["status"] == ENDED:
        need = ENDED
    else:
        raised = [rules.YELLOW] if matters else []
        raised += [severity_of(a["rule"]) for a in alerts]
        need = rules.worst([health["overall"]["status"], *raised])
    if matters and need in (rules.RED, rules.YELLOW):
        waiting_since, waiting_for = min(matters)
    elif facts["last_checkin"]:
        waiting_since, waiting_for = facts["last_checkin"], "the last check-in was then"
    else:
        waiting_since, waiting_for = facts["founded_at"], "founded then, with no check-in yet"
    place = {
        "need": need,
        "need_words": NEED_WORDS[need],
        "health": health["overall"],
        "reasons": reasons,
        "waiting_since": waiting_since,
        "waiting_for": waiting_for,
        "why_here": f"{NEED_WORDS[need]}, waiting since {readable(waiting_since, zone)}: "
        f"{waiting_for}.",
        "alerts": [
            {
                "alert_id": a["alert_id"],
                "rule": a["rule"],
                "summary": a["summary"],
                "raised_at": a["raised_at"],
                "acknowledged": a["acknowledged_at"] is not None,
            }
            for a in alerts
        ],
        "alerts_snoozed": len(facts["alerts"]) - len(alerts),
        "open_conflicts": len(facts["conflicts"]),
        "oldest_conflict": facts["conflicts"][0] if facts["conflicts"] else None,
        "tending_open": len(facts["tending"]),
        "commitments_open": len(facts["commitments"]),
        "commitments_overdue": [
            {"commitment_id": c["commitment_id"], "what": c["what"], "due_on": c["due_on"]}
            for c in overdue
        ],
        "review_due_at": review_due,
        "review_overdue": review_overdue,
        "next_checkin": facts["next_checkin"],
        "last_checkin": facts["last_checkin"],
        "zone": zone,
        "as_of": iso(now),
    }
    fresh_until = _fresh_until(alliance_id, facts, zone, now)
    return Place(alliance_id, need, waiting_since, fresh_until, place)


def _fresh_until(alliance_id: str, facts: Row, zone: str, now: datetime) -> str:
    """The first moment time alone may change the place: the next week of health, the next
    check-in, a review or a commitment falling due; at the latest within REFRESH_WITHIN."""
    spread = zlib.crc32(alliance_id.encode()) % 900  # up to a quarter of an hour, in seconds
    moments = [now + REFRESH_WITHIN - timedelta(seconds=spread)]
    monday = date.fromisoformat(week_of(now, zone)[0])
    moments.append(_day_begins(monday + timedelta(weeks=1), zone))
    for at in (facts["next_checkin"], facts["review_due_at"]):
        if at is not None and at > iso(now):
            moments.append(instant(at))
    for alert in facts["alerts"]:
        if alert["snoozed_until"]:
            moment = _day_begins(date.fromisoformat(alert["snoozed_until"]), zone)
            if moment > now:
                moments.append(moment)
    for commitment in facts["commitments"]:
        moment = _day_begins(date.fromisoformat(commitment["due_on"]) + timedelta(days=1), zone)
        if moment > now:
            moments.append(moment)
            break  # the soonest due; they are in order
    return iso(min(moments))


def _day_begins(day: date, zone: str) -> datetime:
    """When a calendar day begins in the zone."""
    return datetime.combine(day, time(0), tzinfo=zone_of(zone))
