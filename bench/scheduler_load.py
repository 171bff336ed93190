"""10,000 alliances with weekly rhythms, all due in the same minute.

The alliances are recorded and projected here; the scheduler then runs in a process of its
own (`python -m bench.scheduler_load <folder> <database url or ->`), so its start-up time
and memory are its own. It starts at the due minute and makes one pass, as its first tick
would; a prompt is late by at most one tick plus the time the pass takes to reach it.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import workload
from shell.bootstrap import Tracker
from shell.scheduler import TICK, CheckInScheduler
from shell.settings import Settings
from tracker.clock import SettableClock
from tracker.domain.alliance import Alliance
from tracker.domain.rhythm import Rhythm

DUE = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday
WEEKLY = Rhythm.parse("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9", "2026-02-02T09:00", "UTC")


def record_alliances(settings: Settings, count: int) -> None:
    tracker = Tracker.build(settings)
    try:
        coach, client = workload.people(tracker.app)
        agreed = DUE - timedelta(days=3)
        batch: list[Alliance] = []
        for _ in range(count):
            alliance = workload.pair(coach, client, agreed)
            proposal = alliance.propose_term(
                coach, "rhythm", "Mondays at nine", "", at=agreed, schedule=WEEKLY
            )
            alliance.accept(client, proposal, at=agreed)
            batch.append(alliance)
            if len(batch) == 500:
                tracker.app.save(*batch)
                batch = []
        if batch:
            tracker.app.save(*batch)
        tracker.engine.run_once()
    finally:
        tracker.close()


def one_pass(settings: Settings) -> dict[str, Any]:
    """In the scheduler's own process: start up, then the pass at the due minute."""
    tracker = Tracker.build(settings, SettableClock(DUE + timedelta(seconds=1)))
    scheduler = CheckInScheduler.for_tracker(tracker)
    ready = time.time()  # the parent counts start-up from before it launched this process
    try:
        started = time.perf_counter()
        done = scheduler.run_due()
        took = time.perf_counter() - started
    finally:
        tracker.close()
    return {
        "ready_at": ready,
        "scheduler_pass_s": took,
        "scheduler_prompted": len(done.prompted),
        "scheduler_latest_prompt_s": TICK.total_seconds() + took,
        "scheduler_max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def scheduler_load(settings: Settings, alliances: int = 10_000) -> dict[str, Any]:
    record_alliances(settings, alliances)
    command = [sys.executable, "-m", "bench.scheduler_load", str(settings.data_dir)]
    command.append(settings.database_url or "-")
    launched = time.time()
    run = subprocess.run(command, capture_output=True, text=True, check=True)
    figures: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    figures["scheduler_startup_s"] = figures.pop("ready_at") - launched
    figures["scheduler_alliances"] = alliances
    return figures


if __name__ == "__main__":
    folder, url = sys.argv[1], sys.argv[2]
    settings = Settings(Path(folder), None if url == "-" else url, None)
    print(json.dumps(one_pass(settings)))
