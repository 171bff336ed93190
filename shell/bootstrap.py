"""The one place that wires the tracker together: settings, clock, store, service and views.

Nothing here runs at import time. Each process builds its own Tracker after any fork, so no
database connection or pool is ever shared between processes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from projections.attention.keeper import AttentionKeeper
from projections.attention.queue import AttentionQueue
from projections.catchup import CatchUpEngine
from projections.db import ViewStore
from projections.doorbell import Doorbell
from projections.health.reading import HealthReader
from projections.queries import Queries
from projections.stores import open_store
from projections.views import all_views
from shell.settings import Settings
from tracker.application import TrackerApplication
from tracker.clock import Clock, SystemClock
from tracker.passwords import Passwords
from tracker.service import TrackerService

log = logging.getLogger(__name__)


@dataclass
class Tracker:
    settings: Settings
    app: TrackerApplication
    service: TrackerService
    store: ViewStore
    engine: CatchUpEngine
    queries: Queries
    health: HealthReader
    attention: AttentionQueue
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _closers: list[Callable[[], None]] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        settings: Settings | None = None,
        clock: Clock | None = None,
        passwords: Passwords | None = None,
    ) -> Tracker:
        settings = settings or Settings.from_env()
        app = TrackerApplication(env=settings.event_store_env())
        store = open_store(settings.views_target)
        clock = clock or SystemClock()
        keeper = AttentionKeeper(store)
        engine = CatchUpEngine(
            app.recorder,
            app.mapper,
            store,
            all_views(),
            keepers=[lambda: keeper.refresh(clock.now())],
        )
        engine.setup()
        closers: list[Callable[[], None]] = []
        if not settings.uses_postgres:
            # PostgreSQL tells the process keeping the views itself (NOTIFY); on SQLite, every
            # save rings that process's doorbell, wherever it runs.
            bell = Doorbell(Path(settings.views_target))
            app.on_new_events(bell.ring)
            closers.append(bell.close)
        return cls(
            settings=settings,
            app=app,
            service=TrackerService(
                app,
                clock,
                passwords,
                webhook_private_allowed=settings.webhook_private_allowed,
            ),
            store=store,
            engine=engine,
            queries=Queries(store),
            health=HealthReader(store),
            attention=AttentionQueue(store),
            _closers=closers,
        )

    def project_in_background(self, poll_interval: float = 1.0) -> None:
        """Keep the views in this process: woken by every save here, and polling for saves
        made by other processes."""
        self.app.on_new_events(lambda _: self.engine.wake())
        thread = threading.Thread(
            target=self.engine.run_forever,
            args=(self._stop,),
            kwargs={"poll_interval": poll_interval},
            name="catch-up-engine",
            daemon=True,
        )
        thread.start()
        self._threads.append(thread)

    def close(self) -> None:
        self._stop.set()
        self.engine.wake()
        for thread in self._threads:
            thread.join(timeout=10)
        self.store.close()
        self.app.close()
        for close in self._closers:
            close()
