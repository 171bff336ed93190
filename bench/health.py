"""Relationship health: an alliance five years old against one a month old, and the health
view rebuilt on its own against the library's projection of the same events.

The alliances are lived, not sampled: two members, a check-in every Monday at 09:00 in
London (most answered by both with Session Rating Scale ratings, some missed), feedback notes
all week (shared and private, appreciations, concerns and neutral ones, some shared later,
acknowledged or retracted), a conflict every other week (acknowledged, resolved, a few left
open for weeks or reopened), a call for tending now and then and a redesign every year. The
events go through the domain aggregates and are saved in bulk, in the order they happened.

Reads are served by the Flask app in this process, as in bench/feedback_page.py: the JSON API
with a bearer token, the pages with a signed-in session, from views the engine built.
"""

from __future__ import annotations

import heapq
import itertools
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate

from bench import library_projection, workload
from projections.catchup import CatchUpEngine
from projections.stores import open_store
from projections.views.health import HealthView
from shell.bootstrap import Tracker
from shell.settings import Settings
from tests.postgres_cluster import PostgresCluster, missing_reason
from tracker import ids
from tracker.application import TrackerApplication
from tracker.clock import SettableClock
from tracker.domain.alliance import Alliance
from tracker.domain.checkin import CheckIn
from tracker.domain.conflict import ConflictReport
from tracker.domain.feedback import FeedbackNote
from tracker.domain.rhythm import Rhythm
from tracker.domain.vocabulary import CHECKIN_QUESTIONS, SRS_ITEMS
from web import create_app

NOW = datetime(2028, 12, 21, 12, tzinfo=UTC)  # a Thursday: every alliance is read then
ZONE = "Europe/London"
RULE = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9"
OLD, YOUNG = timedelta(weeks=260), timedelta(days=30)
NOTES_PER_WEEK = 297.5  # with the rest of the mix, about 100,000 events in five years
FLEET_WEEKS, FLEET_NOTES_PER_WEEK = 52, 10.5  # about 1,000 events for each of the fleet
TERMS = (
    ("values", "We are honest with each other, even when it is awkward."),
    ("feel", "I want it to feel calm and candid."),
    ("communication", "We answer messages within a working day."),
    ("conflict", "We name a conflict within a week and talk it through."),
)
VALENCES = ("appreciation",) * 12 + ("concern",) * 5 + ("neutral",) * 3

Action = Callable[[], Iterable[Aggregate]]


class Timeline:
    """What will happen, in order of time: each action changes aggregates in memory; a run
    saves those touched in each step together, one transaction per step."""

    def __init__(self) -> None:
        self._queue: list[tuple[datetime, int, Action]] = []
        self._order = itertools.count()

    def at(self, when: datetime, action: Action) -> None:
        heapq.heappush(self._queue, (when, next(self._order), action))

    def run(self, app: TrackerApplication, step: timedelta) -> int:
        recorded = 0
        while self._queue:
            until = self._queue[0][0] + step
            touched: dict[UUID, Aggregate] = {}
            while self._queue and self._queue[0][0] < until:
                _, _, action = heapq.heappop(self._queue)
                for aggregate in action():
                    touched.setdefault(aggregate.id, aggregate)
            recorded += len(app.save(*touched.values()))
        return recorded


@dataclass
class Life:
    """One alliance from its founding until ``stop``: nothing happens at or after it."""

    timeline: Timeline
    coach: UUID
    client: UUID
    founded_at: datetime
    stop: datetime
    notes_per_week: float  # on average: some weeks have one more than others
    number: int = 0
    alliance: Alliance = field(init=False)
    alliance_id: UUID = field(init=False)
    terms: dict[str, UUID] = field(default_factory=dict)
    notes: int = 0

    def at(self, when: datetime, action: Action) -> None:
        if when < self.stop:
            self.timeline.at(when, action)

    def begin(self) -> Life:
        self.at(self.founded_at, self._found)
        local = self.founded_at.astimezone(ZoneInfo(ZONE))
        first_monday = local.date() + timedelta(days=7 - local.weekday())
        for week in itertools.count():
            slot = datetime.combine(
                first_monday + timedelta(weeks=week), clock_time(9), tzinfo=ZoneInfo(ZONE)
            ).astimezone(UTC)
            if slot >= self.stop:
                break
            self.at(slot - timedelta(minutes=1), self._planner(week, slot))
        return self

    def _found(self) -> list[Aggregate]:
        at = self.founded_at
        minute = timedelta(minutes=1)
        alliance = self.alliance = Alliance.found(
            title=f"Alliance {self.number}",
            purpose="Grow together",
            kind="coaching",
            founder_id=self.coach,
            role="coach",
            at=at,
        )
        self.alliance_id = alliance.id
        invitation = alliance.invite(self.coach, "client@bench.example", "client", at=at)
        alliance.join(
            self.client, "client@bench.example", invitation, 0, proven=True, at=at + minute
        )
        for turn, (category, text) in enumerate(TERMS, start=2):
            proposal = alliance.propose_term(self.coach, category, text, "", at=at + turn * minute)
            alliance.accept(self.client, proposal, at=at + (turn + 1) * minute)
            self.terms[category] = ids.term_id(proposal)
        local = at.astimezone(ZoneInfo(ZONE)).replace(tzinfo=None)
        rhythm = Rhythm.parse(RULE, (local + timedelta(days=1)).replace(hour=9, minute=0), ZONE)
        proposal = alliance.propose_term(
            self.coach,
            "rhythm",
            "We check in every Monday at nine.",
            "",
            at=at + 10 * minute,
            schedule=rhythm,
        )
        alliance.accept(self.client, proposal, at=at + 11 * minute)
        alliance.set_review_cadence(self.coach, 6, at=at + 12 * minute)
        return [alliance]

    def _planner(self, week: int, slot: datetime) -> Action:
        def plan() -> list[Aggregate]:
            self._plan(week, slot)
            return []

        return plan

    def _plan(self, week: int, slot: datetime) -> None:
        """Schedule one week's events, from its check-in slot to the next."""
        at = self.at
        hour, day = timedelta(hours=1), timedelta(days=1)
        closes_at = slot + timedelta(weeks=1)
        checkin = CheckIn.prompt(
            alliance_id=self.alliance.id,
            slot=slot,
            closes_at=closes_at,
            questions=[{"id": key, "text": text} for key, text in CHECKIN_QUESTIONS.items()],
            expected=[self.coach, self.client],
            at=slot,
        )
        at(slot, lambda: [checkin])
        nobody, coach_alone = week % 23 == 22, week % 9 == 4
        if not nobody:
            ratings = _ratings(week, 0)
            at(slot + 2 * hour, _respond(checkin, self.coach, ratings, slot + 2 * hour))
        if not nobody and not coach_alone:
            ratings = _ratings(week, 1)
            at(slot + day, _respond(checkin, self.client, ratings, slot + day))
        else:
            at(closes_at, lambda: _close(checkin, closes_at))
        notes = int(self.notes_per_week * (week + 1)) - int(self.notes_per_week * week)
        spacing = timedelta(weeks=1) / max(notes, 1)
        for turn in range(notes):
            self._note(slot + spacing * (turn + 0.5))
        if week % 2 == 1:
            self._conflict(week, slot + day + hour)
        if week % 13 == 6:
            self._tending(slot + 2 * day)
        if week % 52 == 26:
            self._redesign(slot + 2 * day + 3 * hour)

    def _note(self, when: datetime) -> None:
        number = self.notes
        self.notes += 1
        author, other = (self.client, self.coach) if number % 9 < 5 else (self.coach, self.client)
        private = number % 7 == 3
        about = number % 5 == 0
        note = FeedbackNote.log(
            alliance_id=self.alliance.id,
            author_id=author,
            text=f"Note {number}: I noticed something worth saying.",
            valence=VALENCES[(number * 7) % len(VALENCES)],
            visibility="private" if private else "shared",
            term_id=self.terms["communication"] if about else None,
            term_version=1 if about else None,
            at=when,
        )
        self.at(when, lambda: [note])
        later = when + timedelta(hours=3)
        if private and number % 21 == 3:
            self.at(later, _then(note, lambda: note.share(author, at=later)))
        elif not private and number % 4 == 0:
            reply = "Thank you for saying so."
            self.at(later, _then(note, lambda: note.reply(other, reply, at=later)))
        elif not private and number % 41 == 1:
            self.at(later, _then(note, lambda: note.retract(author, at=later)))

    def _conflict(self, week: int, when: datetime) -> None:
        report = ConflictReport.report(
            alliance_id=self.alliance.id,
            reporter_id=self.client,
            description=f"Conflict of week {week}: the call started late again.",
            occurred_at=when - timedelta(hours=2),
            severity=("low", "medium", "high")[week % 3],
            term_id=self.terms["communication"] if week % 3 == 0 else None,
            term_version=1 if week % 3 == 0 else None,
            at=when,
        )
        acknowledged = when + timedelta(days=1)
        resolved = when + timedelta(days=16 if week % 10 == 9 else 3)
        at = self.at
        coach, client = self.coach, self.client
        at(when, lambda: [report])
        at(
            acknowledged,
            _then(report, lambda: report.acknowledge(coach, "Heard.", at=acknowledged)),
        )
        at(
            resolved,
            _then(report, lambda: report.resolve(coach, "Talked.", "resolved", at=resolved)),
        )
        if week % 26 == 13:
            again, settled = resolved + timedelta(days=1), resolved + timedelta(days=2)
            at(again, _then(report, lambda: report.reopen(client, "Again.", at=again)))
            at(
                settled,
                _then(report, lambda: report.resolve(coach, "Fixed.", "resolved", at=settled)),
            )

    def _tending(self, when: datetime) -> None:
        def ask() -> list[Aggregate]:
            signal = self.alliance.request_tending(self.client, "Can we talk?", at=when)
            answered = when + timedelta(days=1)
            self.at(
                answered,
                _then(
                    self.alliance,
                    lambda: self.alliance.address_tending(
                        self.coach, signal, "Yes, on Thursday.", at=answered
                    ),
                ),
            )
            return [self.alliance]

        self.at(when, ask)

    def _redesign(self, when: datetime) -> None:
        def redesign() -> list[Aggregate]:
            alliance, minute = self.alliance, timedelta(minutes=1)
            alliance.open_redesign(self.coach, "Our yearly review", at=when)
            term = self.terms["communication"]
            version = alliance.term_version(term)
            proposal = alliance.propose_amendment(
                self.coach,
                term,
                version,
                f"We answer messages within {version + 1} hours.",
                "",
                at=when + minute,
            )
            alliance.accept(self.client, proposal, at=when + 2 * minute)
            alliance.conclude_redesign(self.coach, "Faster answers", at=when + 3 * minute)
            return [alliance]

        self.at(when, redesign)


def _then(aggregate: Aggregate, change: Callable[[], object]) -> Action:
    def act() -> list[Aggregate]:
        change()
        return [aggregate]

    return act


def _ratings(week: int, member: int) -> dict[str, int]:
    """Mostly content (38 to 40 of 40), a dip now and then below the line of concern."""
    dip = 2 if (week + 5 * member) % 11 == 0 else 0
    return {
        item: 10 - dip - ((week + 3 * position + member) % 5 == 0) - ((week + position) % 7 == 0)
        for position, item in enumerate(SRS_ITEMS)
    }


def _respond(checkin: CheckIn, member: UUID, ratings: dict[str, int], when: datetime) -> Action:
    answers = {"feel": "Steady.", "working": "The weekly call."}
    return _then(checkin, lambda: checkin.respond(member, answers, ratings, at=when))


def _close(checkin: CheckIn, when: datetime) -> list[Aggregate]:
    if checkin.status == "open":
        checkin.close(at=when)
    return [checkin]


# --- recording lives ------------------------------------------------------------------------


def live(app: TrackerApplication, age: timedelta, step: timedelta) -> tuple[UUID, int]:
    """One alliance founded ``age`` before NOW, lived until NOW; its id and event count."""
    coach, client = workload.people(app)
    timeline = Timeline()
    life = Life(timeline, coach, client, NOW - age, NOW, NOTES_PER_WEEK).begin()
    events = 2 + timeline.run(app, step)
    return life.alliance_id, events


def fleet(app: TrackerApplication, alliances: int) -> int:
    """Alliances of a year each, founded twelve hours apart and living side by side, their
    events recorded day by day as they happened; returns how many events were recorded."""
    coach, client = workload.people(app)
    timeline = Timeline()
    span, apart = timedelta(weeks=FLEET_WEEKS), timedelta(hours=12)
    first = NOW - span - apart * (alliances - 1)
    for number in range(alliances):
        founded = first + apart * number
        Life(timeline, coach, client, founded, founded + span, FLEET_NOTES_PER_WEEK, number).begin()
    return 2 + timeline.run(app, timedelta(days=1))


# --- reading ---------------------------------------------------------------------------------

# name -> (address, by the API with a token or as a page with a session)
READS = {
    "api_now": ("/api/v1/alliances/{id}/health", "api"),
    "api_history": ("/api/v1/alliances/{id}/health/history", "api"),
    "home_page": ("/alliances/{id}", "page"),
    "health_page": ("/alliances/{id}/health", "page"),  # opens on the last six months
    "health_page_life": ("/alliances/{id}/health?from=1900-01-01", "page"),  # the whole life
    "checkins_page": ("/alliances/{id}/checkins", "page"),
    "design_page": ("/alliances/{id}/design", "page"),
    "tending_page": ("/alliances/{id}/redesigns", "page"),
    "settings_page": ("/alliances/{id}/settings", "page"),
}


@dataclass
class _Reader:
    """One alliance in a store of its own, served by the app in this process."""

    tracker: Tracker
    alliance: UUID
    events: int
    browser: Any
    token: str

    @classmethod
    def of(cls, settings: Settings, age: timedelta) -> _Reader:
        tracker = Tracker.build(settings, clock=SettableClock(NOW))
        alliance, events = live(tracker.app, age, step=timedelta(weeks=2))
        tracker.engine.rebuild()
        app = create_app({"TESTING": True, "SECRET_KEY": "bench"}, tracker=tracker)
        client = ids.account_id("client@bench.example")
        access = app.extensions["access"]
        token, _ = access.issue_token(client)
        browser = app.test_client()
        with browser.session_transaction() as session:
            session["session_id"] = access.start_session(client)
        return cls(tracker, alliance, events, browser, token)

    def get(self, name: str) -> Any:
        address, kind = READS[name]
        headers = {"Authorization": f"Bearer {self.token}"} if kind == "api" else {}
        return self.browser.get(address.format(id=self.alliance), headers=headers)


def _check(name: str, response: Any) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"{name} answered {response.status_code}: {response.data[:300]!r}")
    if name == "api_now" and len(response.get_json()["components"]) < 6:
        raise RuntimeError("the health API answered without its components")
    if name == "api_history" and not response.get_json()["weeks"]:
        raise RuntimeError("the health history answered without weeks")


def reads(old: Settings, young: Settings, samples: int = 300, rounds: int = 4) -> dict[str, Any]:
    """p50 and p95 of each read, the old alliance and the young one alternating in rounds so
    that drift in the machine's speed falls on both alike."""
    big = _Reader.of(old, OLD)
    try:
        small = _Reader.of(young, YOUNG)
    except BaseException:
        big.tracker.close()
        raise
    try:
        figures: dict[str, Any] = {
            "health_old_events": big.events,
            "health_young_events": small.events,
        }
        for name in READS:
            first = big.get(name)
            if name.startswith("health_page") and first.status_code == 404:
                figures[f"health_{name}_skipped"] = f"{READS[name][0]} answers 404: no such page"
                continue
            _check(name, first)
            _check(name, small.get(name))
            if name == "api_history":
                figures["health_history_weeks"] = len(first.get_json()["weeks"])
                figures["health_history_kb"] = len(first.data) / 1024
            timings: dict[str, list[float]] = {"old": [], "young": []}
            for _ in range(rounds):
                for label, reader in (("old", big), ("young", small)):
                    for _ in range(samples // rounds):
                        started = time.perf_counter()
                        response = reader.get(name)
                        timings[label].append(time.perf_counter() - started)
                        if response.status_code != 200:
                            raise RuntimeError(f"{name} answered {response.status_code}")
            for label, taken in timings.items():
                figures[f"health_{name}_{label}_p50_ms"] = statistics.median(taken) * 1000
                figures[f"health_{name}_{label}_p95_ms"] = _percentile(taken, 0.95) * 1000
            figures[f"health_{name}_ratio"] = (
                figures[f"health_{name}_old_p95_ms"] / figures[f"health_{name}_young_p95_ms"]
            )
        return figures
    finally:
        big.tracker.close()
        small.tracker.close()


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


# --- rebuilding ------------------------------------------------------------------------------


def rebuild(
    settings: Settings, library: Settings, alliances: int = 1000, sample: int = 10_000
) -> dict[str, Any]:
    """The engine rebuilding the health view alone, against the library's projection into
    the health view alone of the first ``sample`` of the same events (one event and its
    tracking record per transaction, the library's store settings)."""
    app = TrackerApplication(env=settings.event_store_env())
    store = open_store(settings.views_target)
    projection = library_projection.open_projection(library, [HealthView()])
    try:
        started = time.perf_counter()
        recorded = fleet(app, alliances)
        generated = time.perf_counter() - started
        engine = CatchUpEngine(app.recorder, app.mapper, store, [HealthView()], name="health-bench")
        engine.setup()
        started = time.perf_counter()
        applied = engine.rebuild()
        rebuilt = time.perf_counter() - started
        sample = min(sample, applied)
        started = time.perf_counter()
        library_projection.replay(app, projection, sample)
        bare = time.perf_counter() - started
        rate, bare_rate = applied / rebuilt, sample / bare
        return {
            "health_rebuild_alliances": alliances,
            "health_rebuild_events": recorded,
            "health_rebuild_generate_s": generated,
            "health_rebuild_s": rebuilt,
            "health_rebuild_events_per_s": rate,
            "health_library_sample": sample,
            "health_library_events_per_s": bare_rate,
            "health_rebuild_ratio": rate / bare_rate,
        }
    finally:
        projection.view.datastore.close()
        store.close()
        app.close()


# --- the table -------------------------------------------------------------------------------

LABELS = {
    "api_now": "health API now p95 (ms), 5y/1m",
    "api_history": "health API history p95 (ms), 5y/1m",
    "home_page": "home page p95 (ms), 5y/1m",
    "health_page": "health page p95 (ms), 5y/1m",
    "health_page_life": "health page, whole life, 5y/1m",
    "checkins_page": "check-ins page p95 (ms), 5y/1m",
    "design_page": "design page p95 (ms), 5y/1m",
    "tending_page": "tending page p95 (ms), 5y/1m",
    "settings_page": "settings page p95 (ms), 5y/1m",
}


def rows(store: str, figures: dict[str, Any]) -> list[str]:
    lines = []
    for name, label in LABELS.items():
        target = "  (no target)" if name.endswith("_life") or name.startswith("api") else ""
        skipped = figures.get(f"health_{name}_skipped")
        if skipped:
            lines.append(f"{store:<11}{label:<34}  skipped: {skipped}")
            continue
        lines.append(
            f"{store:<11}{label:<34}{figures[f'health_{name}_old_p95_ms']:>11.2f}"
            f"{figures[f'health_{name}_young_p95_ms']:>11.2f}"
            f"{figures[f'health_{name}_ratio']:>8.2f}{target or '  < 20; <= 1.5'}"
        )
    events = figures["health_rebuild_events"]
    label = f"health rebuild ev/s ({events / 1e6:.2f}M ev)"
    lines.append(
        f"{store:<11}{label:<34}{figures['health_rebuild_events_per_s']:>11.0f}"
        f"{figures['health_library_events_per_s']:>11.0f}"
        f"{figures['health_rebuild_ratio']:>8.2f}  >= 10"
    )
    return lines


def main(argv: list[str]) -> int:
    """This benchmark alone: ``python -m bench.health [sqlite] [postgresql] [--alliances N]``."""
    stores = [a for a in argv if a in ("sqlite", "postgresql")] or ["sqlite", "postgresql"]
    alliances = int(argv[argv.index("--alliances") + 1]) if "--alliances" in argv else 1000
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="tracker-bench-health-") as scratch:
        folders = itertools.count()

        def fresh_sqlite() -> Settings:
            return Settings(Path(scratch) / f"sqlite-{next(folders)}", None, None)

        if "sqlite" in stores:
            started = time.perf_counter()
            results["sqlite"] = reads(fresh_sqlite(), fresh_sqlite())
            results["sqlite"].update(rebuild(fresh_sqlite(), fresh_sqlite(), alliances))
            print(f"sqlite: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        if "postgresql" in stores and missing_reason() is not None:
            print(f"PostgreSQL skipped: {missing_reason()}", file=sys.stderr)
        elif "postgresql" in stores:
            started = time.perf_counter()
            cluster = PostgresCluster().start()
            try:

                def fresh() -> Settings:
                    url = cluster.database_url(cluster.create_database())
                    return Settings(Path(scratch) / "pg", url, None)

                results["postgresql"] = reads(fresh(), fresh())
                results["postgresql"].update(rebuild(fresh(), fresh(), alliances))
            finally:
                cluster.stop()
            print(f"postgresql: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(json.dumps(results, indent=2))
    for store, figures in results.items():
        print("\n".join(rows(store, figures)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
