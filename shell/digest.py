"""The weekly digest: on Monday morning in each reader's zone, the alliances that need them
and why, read from the attention queue as it stands when the mail goes out.

A digest is due from DIGEST_HOUR on the reader's Monday until the same hour on Tuesday. A
scheduler down for the whole of that day sends none that week, rather than a Monday mail on
Thursday; the queue itself is always one click away.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from projections.health import rules
from projections.health.calendar import zone_of
from tracker.clock import readable

DIGEST_HOUR = 8
DUE_FOR = timedelta(days=1)
MOST = 20  # alliances written out; any more are counted
NEEDING = (rules.RED, rules.YELLOW)


def week_due(now: datetime, zone: str) -> date | None:
    """The Monday of the week whose digest is due now in ``zone``, or None."""
    tz = zone_of(zone)
    local = now.astimezone(tz)
    monday = local.date() - timedelta(days=local.weekday())
    opens = datetime.combine(monday, time(DIGEST_HOUR), tzinfo=tz)
    return monday if opens <= now < opens + DUE_FOR else None


def contents(queue: dict[str, Any], base_url: str, zone: str) -> dict[str, Any]:
    """What the mail says, from one read of the reader's attention queue (its first MOST
    places, in the queue's order), its times in the reader's ``zone``."""
    needing = [entry for entry in queue["alliances"] if entry["need"] in NEEDING]
    counted = sum(queue["counts"].get(need, 0) for need in NEEDING)
    return {
        "needing": [
            {
                "title": " ".join(entry["title"].split()),
                "need_words": entry["need_words"],
                "waiting": f"Waiting since {readable(entry['waiting_since'], zone)}: "
                f"{entry['waiting_for']}.",
                "reasons": [f"{r['title']}: {r['text']}" for r in entry["reasons"]],
                "link": f"{base_url}/alliances/{entry['alliance_id']}",
            }
            for entry in needing
        ],
        "more": counted - len(needing),
        "total": queue["total"],
        "queue_link": f"{base_url}/",
    }


def subject(said: dict[str, Any]) -> str:
    needing, total = len(said["needing"]) + said["more"], said["total"]
    if not needing:
        return f"This week: none of your {total} alliances needs you"
    if total == 1:
        return "This week: your alliance needs you"
    return f"This week: {needing} of your {total} alliances need{'s' if needing == 1 else ''} you"
