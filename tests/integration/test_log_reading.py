"""The tracker reads the SQLite log back as the library would, only sooner."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eventsourcing.persistence import JSONTranscoder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from shell.bootstrap import Tracker
from shell.demo import load_demo
from shell.settings import Settings
from tests.conftest import PASSWORDS, T0
from tracker.application import TrackerApplication
from tracker.clock import SettableClock
from tracker.sqlite_recorder import TrackerSQLiteApplicationRecorder


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrackerApplication]:
    settings = Settings(tmp_path_factory.mktemp("log"), None, None)
    clock = SettableClock(T0)
    tracker = Tracker.build(settings, clock, PASSWORDS)
    load_demo(tracker.service, clock)
    tracker.close()
    app = TrackerApplication(env=settings.event_store_env())
    yield app
    app.close()


def test_the_demo_log_is_read_by_the_tracker_recorder(demo_app: TrackerApplication) -> None:
    assert type(demo_app.recorder) is TrackerSQLiteApplicationRecorder
    assert demo_app.recorder.max_notification_id() > 200


@pytest.mark.parametrize(
    ("start", "limit", "stop", "inclusive"),
    [
        (None, 50, None, True),
        (1, 50, None, True),
        (1, 50, None, False),
        (100, 1000, 150, True),
        (100, 1000, 150, False),
        (None, 10_000, None, True),
        (10_000, 10, None, False),
    ],
)
def test_notifications_are_the_library_s_own(
    demo_app: TrackerApplication, start: int | None, limit: int, stop: int | None, inclusive: bool
) -> None:
    recorder = demo_app.recorder
    ours = recorder.select_notifications(start, limit, stop, inclusive_of_start=inclusive)
    theirs = SQLiteApplicationRecorder.select_notifications(
        recorder, start, limit, stop, inclusive_of_start=inclusive
    )
    assert ours == theirs
    assert [type(n.originator_id) for n in ours] == [type(n.originator_id) for n in theirs]


def test_notifications_of_some_topics_are_the_library_s_own(
    demo_app: TrackerApplication,
) -> None:
    recorder = demo_app.recorder
    everything = recorder.select_notifications(None, 10_000)
    topics = sorted({n.topic for n in everything})[:3]
    ours = recorder.select_notifications(5, 10_000, 400, topics, inclusive_of_start=False)
    theirs = SQLiteApplicationRecorder.select_notifications(
        recorder, 5, 10_000, 400, topics, inclusive_of_start=False
    )
    assert ours == theirs and ours and {n.topic for n in ours} <= set(topics)


def test_every_event_decodes_as_the_library_decodes_it(demo_app: TrackerApplication) -> None:
    library = JSONTranscoder()  # the library's decoder, with the tracker's transcodings
    demo_app.register_transcodings(library)
    for notification in demo_app.recorder.select_notifications(None, 10_000):
        assert demo_app.mapper.transcoder.decode(notification.state) == library.decode(
            notification.state
        )
