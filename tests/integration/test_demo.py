"""`tracker demo` records six months that end this week, whatever day it is run: the demo's
health, inbox and check-ins are current whenever it is loaded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shell.bootstrap import Tracker
from shell.demo import CLIENT_EMAIL, COACH_EMAIL, load_demo, open_this_week
from shell.demo.story import WEEKS, start_ending
from shell.settings import Settings
from tests.conftest import PASSWORDS
from tracker import ids
from tracker.clock import SettableClock


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 12, 3, 15, tzinfo=UTC),  # a Thursday
        datetime(2027, 3, 29, 8, tzinfo=UTC),  # a Monday morning, the clocks just changed
        datetime(2028, 2, 29, 23, 59, tzinfo=UTC),  # a leap day, late
    ],
)
def test_the_demo_ends_in_the_week_before_the_day_it_is_loaded(
    tmp_path: Path, now: datetime
) -> None:
    start = start_ending(now)
    assert start.weekday() == 0 and now - start < timedelta(weeks=WEEKS + 2)
    clock = SettableClock(start)
    settings = Settings(data_dir=tmp_path / "var", database_url=None, cipher_key=None)
    tracker = Tracker.build(settings, clock, PASSWORDS)
    try:
        alliance = load_demo(tracker.service, clock, start=start)
        opened = open_this_week(tracker.service, clock, alliance, start, now)
        tracker.engine.run_once()
        records = tracker.app.recorder.select_notifications(start=1, limit=10**6)
        times = [tracker.app.mapper.to_domain_event(record).timestamp for record in records]
        assert max(times) <= now, "nothing is recorded in the future"
        assert max(times) >= now - timedelta(days=12), "the story reaches this week"
        health = tracker.health.now(alliance, ids.account_id(COACH_EMAIL), now)
        judged = {c["status"] for c in health["components"]}
        assert judged <= {"green", "yellow", "red"}, "every card has something to show"
        waiting = tracker.queries.inbox(ids.account_id(CLIENT_EMAIL), now.date())["checkins"]
        if now.weekday() == 0 and now.hour < 9:
            assert opened is None, "this week's slot has not come: last week's is the story's"
        else:
            assert opened and [c["checkin_id"] for c in waiting] == [str(opened)], (
                "this week's check-in waits for the client, answered by the coach"
            )
    finally:
        tracker.close()
