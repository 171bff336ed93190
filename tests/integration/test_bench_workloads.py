"""The benchmarks' workloads are histories the domain accepts and the views take whole: a
renamed or removed domain method breaks them here, not only when `make bench` is run."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bench import health, workload
from shell.bootstrap import Tracker
from shell.settings import Settings
from tests.conftest import PASSWORDS
from tracker.application import TrackerApplication


def _alliance(app: TrackerApplication) -> object:
    coach, client = workload.people(app)
    return workload.one_alliance(app, coach, client, 0)


WORKLOADS: dict[str, Callable[[TrackerApplication], object]] = {
    "one alliance": _alliance,
    "a history of events": lambda app: workload.history(app, 600),
    "a long alliance": lambda app: workload.long_alliance(app, 600),
    "a lived alliance": lambda app: health.live(app, timedelta(weeks=10), timedelta(weeks=2)),
    "a fleet": lambda app: health.fleet(app, 2),
}


@pytest.mark.parametrize("name", list(WORKLOADS))
def test_each_workload_records_and_projects(name: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var", database_url=None, cipher_key=None)
    tracker = Tracker.build(settings, passwords=PASSWORDS)
    try:
        WORKLOADS[name](tracker.app)
        assert (tracker.app.recorder.max_notification_id() or 0) > 20
        while tracker.engine.run_once():
            pass
        assert tracker.engine.held_count() == 0, "no event of the workload is quarantined"
    finally:
        tracker.close()
