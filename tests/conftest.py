"""Fixtures shared by every tier: a settable clock, and stores on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from shell.bootstrap import Tracker
from shell.demo import load_demo
from shell.settings import Settings
from tests.postgres_cluster import PostgresCluster, missing_reason
from tracker.application import TrackerApplication
from tracker.clock import SettableClock
from tracker.passwords import Passwords
from tracker.service import TrackerService

# Real argon2id at its lowest cost: the suite registers hundreds of accounts.
PASSWORDS = Passwords.cheapest()

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(T0)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """One cluster for the whole run; each test gets its own database on it."""
    reason = missing_reason()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> Iterator[str]:
    name = postgres_cluster.create_database()
    yield postgres_cluster.database_url(name)
    postgres_cluster.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Every persistence test runs once on each store (see pytest_collection_modifyitems)."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    return Settings(data_dir=tmp_path / "var", database_url=url, cipher_key=None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked `pages` is about what the web layer makes of the views (HTML, forms,
    redirects): it runs on SQLite alone. The queries behind every page run on both stores
    in the API and view tests, which stay on both."""
    kept, dropped = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        on_postgres = params is not None and params.params.get("settings") == "postgresql"
        (dropped if on_postgres and item.get_closest_marker("pages") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
    # The long tests first, one to each worker as it frees (make test sends them one at a
    # time): started last, one of them would keep a worker busy after the other is done.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture
def app(settings: Settings) -> Iterator[TrackerApplication]:
    application = TrackerApplication(env=settings.event_store_env())
    yield application
    application.close()


@pytest.fixture
def service(app: TrackerApplication, clock: SettableClock) -> TrackerService:
    return TrackerService(app, clock, PASSWORDS)


@pytest.fixture
def tracker(settings: Settings, clock: SettableClock) -> Iterator[Tracker]:
    built = Tracker.build(settings, clock, PASSWORDS)
    yield built
    built.close()


@dataclass(frozen=True)
class _RecordedDemo:
    records: list[StoredEvent]
    ended_at: datetime
    alliance: UUID


# Per worker process, and per cipher key (the stored form depends on it): the demo as first
# recorded.
_demo_recorded: dict[str | None, _RecordedDemo] = {}


@pytest.fixture
def demo(tracker: Tracker, clock: SettableClock) -> UUID:
    """The demo alliance, recorded and projected. Its commands are run once per worker, and
    their records inserted again into each later test's empty store, the same bytes on
    either store: a third of a second saved in each of some two hundred tests."""
    recorder = tracker.app.recorder
    cipher = tracker.settings.cipher_key
    if cipher in _demo_recorded and recorder.max_notification_id() in (None, 0):
        demo = _demo_recorded[cipher]
        recorder.insert_events(demo.records)
        clock.set(demo.ended_at)
        alliance = demo.alliance
    else:
        alliance = load_demo(tracker.service, clock)
        if cipher not in _demo_recorded:
            kept = recorder.select_notifications(start=1, limit=10**6)
            records = [
                StoredEvent(n.originator_id, n.originator_version, n.topic, n.state) for n in kept
            ]
            _demo_recorded[cipher] = _RecordedDemo(records, clock.now(), alliance)
    tracker.engine.run_once()
    return alliance
