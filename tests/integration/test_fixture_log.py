"""The fixture log (tests/fixtures): every type of event the tracker records, in each
store's stored form, written by the code as it was. Whatever moves or changes later, every
record must still load into its aggregate and project into the views."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import Counter
from datetime import UTC, datetime

import pytest
from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.utils import get_topic, resolve_topic

import tracker.domain
from shell.bootstrap import Tracker
from shell.demo import CLIENT_EMAIL, COACH_EMAIL
from tests.fixtures.every_event import STORES, read_log
from tracker import ids


def _recorded_event_types() -> set[type[DomainEvent]]:
    """Every event class an aggregate of the domain records: the leaves of each aggregate's
    event classes. The library gives every aggregate a Created and an Event class; each of
    ours is created by an event of its own name (Founded, Registered...), so those two are
    bases only."""
    found: set[type[DomainEvent]] = set()
    for module in pkgutil.iter_modules(tracker.domain.__path__):
        members = vars(importlib.import_module(f"tracker.domain.{module.name}")).values()
        for aggregate in members:
            if not (inspect.isclass(aggregate) and issubclass(aggregate, Aggregate)):
                continue
            if aggregate is Aggregate or aggregate.__module__ != f"tracker.domain.{module.name}":
                continue
            events = [e for e in vars(aggregate).values() if inspect.isclass(e)]
            events = [e for e in events if issubclass(e, DomainEvent)]
            events = [e for e in events if e.__name__ not in ("Created", "Event")]
            found |= {e for e in events if not any(o is not e and issubclass(o, e) for o in events)}
    return found


@pytest.mark.parametrize("store", STORES)
def test_the_log_holds_every_type_of_event_the_domain_records(store: str) -> None:
    topics = Counter(record.topic for record in read_log(store))
    held = {resolve_topic(topic) for topic in topics}
    missing = sorted(get_topic(e) for e in _recorded_event_types() - held)
    assert not missing, f"record the fixture log again with these added: {missing}"


def test_each_store_kept_the_same_kinds_of_record() -> None:
    sqlite, postgresql = (Counter(r.topic for r in read_log(store)) for store in STORES)
    assert sqlite == postgresql


def test_every_record_loads_and_projects_into_the_views(tracker: Tracker) -> None:
    store = "postgresql" if tracker.settings.database_url else "sqlite"
    records = read_log(store)
    tracker.app.recorder.insert_events(records)

    # Every record reads back as its event, and every aggregate as the sum of its events.
    mapper = tracker.app.mapper
    for record in records:
        assert isinstance(mapper.to_domain_event(record), DomainEvent)
    for originator in {record.originator_id for record in records}:
        tracker.app.repository.get(originator)

    # The views take every event, and hold nothing back in quarantine.
    while tracker.engine.run_once():
        pass
    assert tracker.engine.held_count() == 0
    queries = tracker.queries
    coach, client = ids.account_id(COACH_EMAIL), ids.account_id(CLIENT_EMAIL)
    assert queries.account(coach)["name"] == "Cora L."  # renamed after the demo
    assert queries.account(client)["time_zone"] == "Europe/London"
    alliances = {a["title"]: a for a in queries.alliances_for(coach)}
    demo = alliances["Cora & Cliff: leadership coaching"]
    assert demo["agreement_version"] >= 8
    seen = queries.alliance(demo["alliance_id"], client)
    assert seen is not None and {m["name"] for m in seen["members"]} >= {"Cora L.", "Cliff Osei"}
    statuses = sorted((d["subject"], d["status"]) for d in queries.deliveries(demo["alliance_id"]))
    assert statuses == [  # a prompt's: one sent; one failed, retried, cut off
        *3 * [("alert", "queued")],  # an alert's, queued and never sent
        ("checkin", "sent"),
        ("checkin", "uncertain"),
    ]
    (alert,) = queries.alerts(demo["alliance_id"], datetime(2026, 12, 4).date())
    assert (alert["status"], alert["resolution"]) == ("resolved", "We talked it through")
    assert queries.account(client)["digest_mail"] in (1, True)
    timeline = queries.timeline(demo["alliance_id"], client, limit=1000)
    assert len(timeline) > 100
    health = tracker.health.history(
        demo["alliance_id"], client, datetime(2026, 12, 1, tzinfo=UTC), None, None
    )
    assert sum(week["answers"] for week in health["weeks"]) > 0
