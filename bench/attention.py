"""The attention queue: a coach in 200 alliances against a coach in 5, side by side in one run.

Each alliance is lived for a year as in bench/health.py (a check-in every Monday, notes all
week, conflicts, calls for tending, a redesign), one coach in all of them; the views are
built, the keeper writes every place, and the queue is read as the coach reads it: the JSON
API with a bearer token, and the front page with a signed-in session, served by the Flask
app in this process. The two stores' reads alternate in rounds, so that drift in the
machine's speed falls on both alike.

Also measured: the keeper's rate (places written a second), and the queue of 200 with every
place stale, computed for the answer itself, as it is read in the moments after a rebuild.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.health import NOW, _percentile, fleet
from projections.attention.keeper import AttentionKeeper
from shell.bootstrap import Tracker
from shell.settings import Settings
from tests.postgres_cluster import PostgresCluster, missing_reason
from tracker import ids
from tracker.clock import SettableClock
from web import create_app

MANY, FEW = 200, 5
READS = {"api": "/api/v1/attention", "page": "/"}


@dataclass
class _Coach:
    tracker: Tracker
    alliances: int
    browser: Any
    token: str
    keeper_per_s: float

    @classmethod
    def of(cls, settings: Settings, alliances: int) -> _Coach:
        tracker = Tracker.build(settings, clock=SettableClock(NOW))
        fleet(tracker.app, alliances)
        tracker.engine.rebuild()
        started = time.perf_counter()
        written = AttentionKeeper(tracker.store).refresh(NOW)
        keeper_per_s = written / (time.perf_counter() - started)
        if written != alliances:
            raise RuntimeError(f"the keeper wrote {written} places of {alliances}")
        app = create_app({"TESTING": True, "SECRET_KEY": "bench"}, tracker=tracker)
        coach = ids.account_id("coach@bench.example")
        access = app.extensions["access"]
        token, _ = access.issue_token(coach)
        browser = app.test_client()
        with browser.session_transaction() as session:
            session["session_id"] = access.start_session(coach)
        return cls(tracker, alliances, browser, token, keeper_per_s)

    def get(self, read: str, query: str = "") -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if read == "api" else {}
        response = self.browser.get(READS[read] + query, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"{read} answered {response.status_code}: {response.data[:300]!r}")
        return response


def _check(coach: _Coach) -> None:
    answer = coach.get("api").get_json()
    if answer["total"] != coach.alliances or not answer["alliances"]:
        raise RuntimeError(f"the queue holds {answer['total']} of {coach.alliances} alliances")
    if not all(entry["why_here"] for entry in answer["alliances"]):
        raise RuntimeError("a place in the queue came without its reason")


def queue_reads(
    many: Settings, few: Settings, samples: int = 400, rounds: int = 4
) -> dict[str, Any]:
    big = _Coach.of(many, MANY)
    try:
        small = _Coach.of(few, FEW)
    except BaseException:
        big.tracker.close()
        raise
    try:
        figures: dict[str, Any] = {
            "attention_keeper_places_per_s": big.keeper_per_s,
            "attention_page_size": len(big.get("api").get_json()["alliances"]),
        }
        for coach in (big, small):
            _check(coach)
        for read in READS:
            timings: dict[str, list[float]] = {"many": [], "few": []}
            for _ in range(rounds):
                for label, coach in (("many", big), ("few", small)):
                    for _ in range(samples // rounds):
                        started = time.perf_counter()
                        coach.get(read)
                        timings[label].append(time.perf_counter() - started)
            for label, taken in timings.items():
                figures[f"attention_{read}_{label}_p50_ms"] = statistics.median(taken) * 1000
                figures[f"attention_{read}_{label}_p95_ms"] = _percentile(taken, 0.95) * 1000
            figures[f"attention_{read}_ratio"] = (
                figures[f"attention_{read}_many_p95_ms"] / figures[f"attention_{read}_few_p95_ms"]
            )
        # Every place stale, as just after a rebuild: the answer computes each itself.
        big.tracker.engine.rebuild()
        stale = []
        for _ in range(5):
            started = time.perf_counter()
            coach_answer = big.get("api").get_json()
            stale.append(time.perf_counter() - started)
            if coach_answer["total"] != MANY:
                raise RuntimeError("the stale queue lost alliances")
        figures["attention_api_stale_p50_ms"] = statistics.median(stale) * 1000
        return figures
    finally:
        big.tracker.close()
        small.tracker.close()


LABELS = {"api": "attention API p95 (ms) 200 / 5", "page": "attention page p95 (ms) 200 / 5"}


def rows(store: str, figures: dict[str, Any]) -> list[str]:
    lines = [
        f"{store:<11}{label:<34}{figures[f'attention_{read}_many_p95_ms']:>11.2f}"
        f"{figures[f'attention_{read}_few_p95_ms']:>11.2f}"
        f"{figures[f'attention_{read}_ratio']:>8.2f}  < 20; <= 1.5"
        for read, label in LABELS.items()
    ]
    lines.append(
        f"{store:<11}{'attention: stale 200 (ms), keeper/s':<34}"
        f"{figures['attention_api_stale_p50_ms']:>11.1f}"
        f"{figures['attention_keeper_places_per_s']:>11.0f}{'':>8}  (no target)"
    )
    return lines


def main(argv: list[str]) -> int:
    """This benchmark alone: ``python -m bench.attention [sqlite] [postgresql]``."""
    stores = [a for a in argv if a in ("sqlite", "postgresql")] or ["sqlite", "postgresql"]
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="tracker-bench-attention-") as scratch:
        folders = iter(range(100))

        def fresh_sqlite() -> Settings:
            return Settings(Path(scratch) / f"sqlite-{next(folders)}", None, None)

        if "sqlite" in stores:
            results["sqlite"] = queue_reads(fresh_sqlite(), fresh_sqlite())
        if "postgresql" in stores and missing_reason() is not None:
            print(f"PostgreSQL skipped: {missing_reason()}", file=sys.stderr)
        elif "postgresql" in stores:
            cluster = PostgresCluster().start()
            try:

                def fresh() -> Settings:
                    url = cluster.database_url(cluster.create_database())
                    return Settings(Path(scratch) / "pg", url, None)

                results["postgresql"] = queue_reads(fresh(), fresh())
            finally:
                cluster.stop()
    for store, figures in results.items():
        print("\n".join(rows(store, figures)))
    print({store: {k: round(v, 2) for k, v in f.items()} for store, f in results.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
