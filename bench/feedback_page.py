"""The feedback page of an alliance with many notes against the same page with few.

The page is served by the Flask app in this process (no HTTP in the way: this measures the
page, not the network), signed in as a member, from views the engine built from the log.
Keyset paging is what should make 100,000 notes cost what 100 cost.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from typing import Any

from bench import workload
from shell.bootstrap import Tracker
from shell.settings import Settings
from tracker.domain.feedback import FeedbackNote
from web import create_app

VALENCES = ("appreciation", "concern", "neutral")


def page_times(settings: Settings, notes: int, samples: int = 300) -> dict[str, float]:
    tracker = Tracker.build(settings)
    try:
        coach, client = workload.people(tracker.app)
        alliance = workload.pair(coach, client, workload.T0)
        tracker.app.save(alliance)
        _record_notes(tracker, alliance.id, (coach, client), notes)
        tracker.engine.rebuild()
        app = create_app({"TESTING": True, "SECRET_KEY": "bench"}, tracker=tracker)
        browser = app.test_client()
        with browser.session_transaction() as session:
            session["session_id"] = app.extensions["access"].start_session(client)
        pages = {
            "newest": f"/alliances/{alliance.id}/feedback",
            "filtered": f"/alliances/{alliance.id}/feedback?valence=concern",
        }
        figures: dict[str, float] = {}
        for name, address in pages.items():
            timings = []
            for _ in range(samples):
                started = time.perf_counter()
                response = browser.get(address)
                timings.append(time.perf_counter() - started)
                if response.status_code != 200 or b'id="note-' not in response.data:
                    raise RuntimeError(f"{address} answered {response.status_code}, no notes")
            ordered = sorted(timings)
            figures[f"{name}_p50_ms"] = statistics.median(timings) * 1000
            figures[f"{name}_p95_ms"] = ordered[int(0.95 * len(ordered))] * 1000
        return figures
    finally:
        tracker.close()


def _record_notes(tracker: Tracker, alliance: Any, members: tuple[Any, Any], count: int) -> None:
    """Notes a minute apart from both members, one in seven private, saved a thousand at a
    time."""
    batch: list[FeedbackNote] = []
    for number in range(count):
        batch.append(
            FeedbackNote.log(
                alliance_id=alliance,
                author_id=members[number % 2],
                text=f"Note {number}: I noticed something worth saying.",
                valence=VALENCES[number % 3],
                visibility="private" if number % 7 == 0 else "shared",
                term_id=None,
                term_version=None,
                at=workload.T0 + timedelta(minutes=number),
            )
        )
        if len(batch) == 1000:
            tracker.app.save(*batch)
            batch = []
    if batch:
        tracker.app.save(*batch)


def feedback_page(small: Settings, large: Settings) -> dict[str, Any]:
    few, many = page_times(small, 100), page_times(large, 100_000)
    figures: dict[str, Any] = {"feedback_page_notes": 100_000}
    for name in ("newest", "filtered"):
        figures[f"feedback_page_{name}_p95_ms"] = many[f"{name}_p95_ms"]
        figures[f"feedback_page_{name}_100_notes_p95_ms"] = few[f"{name}_p95_ms"]
        figures[f"feedback_page_{name}_ratio"] = many[f"{name}_p95_ms"] / few[f"{name}_p95_ms"]
    return figures
