"""Health and alerts kept as the commands come equal those worked out again from the log.

Random sequences of commands over one or two alliances of two or three members: notes
shared and private, shared and retracted; conflicts reported, resolved and reopened;
check-ins prompted for random slots, answered by some of the members, closed, or started by
a member; a rhythm adopted in a zone other than UTC part-way (which moves the weeks' edges),
a review cadence, redesigns opened and concluded, members leaving and joining; scheduler
passes raising the alerts the views meet, answered by members, and rules switched or moved.
The clock moves minutes to weeks between commands, and the views catch up after every
command.

The same log is then replayed into a fresh store three ways: in one batch, one event per
batch, and in batches of a random size. Every row of every health and alert table, and what
the health reader says to each member now and week by week, must be the same each time.
"""

from __future__ import annotations

import pprint
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from projections.alerts.checks import AlertChecks
from projections.catchup import CatchUpEngine
from projections.db import ViewStore
from projections.health.reading import HealthReader
from projections.stores import open_store
from projections.views import all_views
from shell.bootstrap import Tracker
from shell.settings import Settings
from tests.conftest import PASSWORDS, T0
from tests.postgres_cluster import PostgresCluster
from tests.support import snapshot_views
from tracker.clock import SettableClock
from tracker.domain import errors
from tracker.domain.alert_rules import BY_KEY
from tracker.domain.vocabulary import SRS_ITEMS, VALENCES
from tracker.service.runner import CommandResult

# The zones a rhythm is adopted in, and so the zones the weeks are counted in from then on:
# ahead of UTC, behind it, half an hour off it, and UTC itself. New Zealand's summer time
# ends on 5 April 2026 and the United States' begins on 8 March, inside the dates drawn.
ZONES = ("Pacific/Auckland", "America/New_York", "Asia/Kolkata", "UTC")

# Minutes between two commands: a few minutes, hours, or days to three weeks.
WAIT = st.one_of(
    st.integers(0, 59),
    st.integers(1, 48).map(lambda hours: hours * 60),
    st.integers(2, 21).map(lambda days: days * 1440),
)
# Alliances and members are picked modulo how many there are; notes, conflicts and check-ins
# counting back from the latest.
PICK = st.integers(0, 5)
RATINGS = st.fixed_dictionaries({item: st.integers(4, 10) for item in SRS_ITEMS})


# What each kind of step draws, and how often it comes up against the others.
ARGS: dict[str, tuple[int, dict[str, st.SearchStrategy[Any]]]] = {
    "wait": (1, {}),
    "log": (4, {"alliance": PICK, "who": PICK, "valence": st.sampled_from(VALENCES),
                "private": st.booleans()}),
    "share": (2, {"note": PICK}),
    "retract": (1, {"note": PICK}),
    "report": (2, {"alliance": PICK, "who": PICK, "hours_ago": st.integers(0, 72)}),
    "resolve": (2, {"conflict": PICK, "who": PICK, "redesign": st.booleans()}),
    "reopen": (1, {"conflict": PICK, "who": PICK}),
    "prompt": (3, {"alliance": PICK, "slot_hours": st.integers(-96, 168),
                   "open_hours": st.integers(1, 336)}),
    "start": (1, {"alliance": PICK, "who": PICK}),
    "answer": (4, {"checkin": PICK,
                   "answers": st.lists(st.tuples(PICK, RATINGS), min_size=1, max_size=3)}),
    "close": (2, {"checkin": PICK}),
    "rhythm": (2, {"alliance": PICK, "who": PICK, "zone": st.sampled_from(ZONES),
                   "hour": st.integers(0, 23), "day": st.sampled_from(["MO", "WE", "SU"])}),
    "cadence": (1, {"alliance": PICK, "who": PICK, "months": st.none() | st.integers(1, 3)}),
    "open_redesign": (1, {"alliance": PICK, "who": PICK}),
    "conclude_redesign": (1, {"alliance": PICK, "who": PICK}),
    "leave": (1, {"alliance": PICK, "who": PICK}),
    "join": (1, {"alliance": PICK, "account": PICK}),
    "alerts": (3, {}),
    "answer_alert": (1, {"alert": PICK, "who": PICK,
                         "how": st.sampled_from(["acknowledge", "snooze", "resolve"]),
                         "days": st.integers(1, 30)}),
    "alert_rule": (1, {"alliance": PICK, "who": PICK, "rule": st.sampled_from(list(BY_KEY)),
                       "enabled": st.booleans(), "above": st.integers(0, 6)}),
}  # fmt: skip


def step(do: str) -> st.SearchStrategy[dict[str, Any]]:
    # Answers follow the step before by minutes or hours, or most would find it closed; a
    # scheduler's pass too, as it comes every minute, or most would find the causes past.
    wait = st.integers(0, 600) if do in ("answer", "alerts") else WAIT
    return st.fixed_dictionaries({"do": st.just(do), "wait": wait, **ARGS[do][1]})


STEPS = st.sampled_from([do for do, (weight, _) in ARGS.items() for _ in range(weight)]).flatmap(
    step
)

SCENARIOS = st.fixed_dictionaries(
    {
        # From January to early May 2026: across both changes of clocks above.
        "start_hours": st.integers(0, 120 * 24),
        "third_member": st.booleans(),
        "second_alliance": st.booleans(),
        "steps": st.integers(1, 50).flatmap(lambda n: st.lists(STEPS, min_size=n, max_size=n)),
        "chunk": st.integers(2, 9),
    }
)


@dataclass
class Run:
    """One random history, recorded through the service, the views caught up after each
    command."""

    tracker: Tracker
    clock: SettableClock
    accounts: list[UUID] = field(default_factory=list)
    alliances: list[UUID] = field(default_factory=list)
    members: dict[UUID, list[UUID]] = field(default_factory=dict)
    notes: list[tuple[UUID, UUID, UUID]] = field(default_factory=list)  # note, alliance, author
    conflicts: list[tuple[UUID, UUID]] = field(default_factory=list)  # conflict, alliance
    checkins: list[tuple[UUID, UUID]] = field(default_factory=list)  # check-in, alliance
    alerts: list[tuple[UUID, UUID]] = field(default_factory=list)  # alert, alliance

    def do(self, command: Callable[[], CommandResult]) -> CommandResult | None:
        """The command's result, or None when the domain refused it (nothing was recorded)."""
        try:
            result = command()
        except errors.DomainError as refusal:
            event(f"refused: {type(refusal).__name__}")
            result = None
        self.tracker.engine.run_once()
        return result

    def found(self, founder: UUID, others: list[UUID]) -> None:
        service = self.tracker.service
        payload = {"title": "Random", "purpose": "", "kind": "team", "role": "lead"}
        found = self.do(lambda: service.found_alliance(founder, payload))
        assert found is not None
        alliance: UUID = found["alliance_id"]
        self.alliances.append(alliance)
        self.members[alliance] = [founder]
        for other in others:
            assert self.join(alliance, other)

    def join(self, alliance: UUID, account: UUID) -> bool:
        service = self.tracker.service
        email = f"m{self.accounts.index(account)}@example.org"
        inviter = self.members[alliance][0]
        invited = self.do(
            lambda: service.invite_member(inviter, alliance, {"email": email, "role": "peer"})
        )
        if invited is None:
            return False
        version = self.tracker.app.repository.get(alliance).agreement_version
        payload = {"invitation_id": invited["invitation_id"], "agreed_version": version}
        if self.do(lambda: service.join_alliance(account, alliance, payload)) is None:
            return False
        self.members[alliance].append(account)
        return True

    def alliance(self, index: int) -> UUID:
        return self.alliances[index % len(self.alliances)]

    def member(self, alliance: UUID, index: int) -> UUID:
        members = self.members[alliance]
        return members[index % len(members)]

    def apply(self, step: dict[str, Any]) -> None:
        self.clock.advance(timedelta(minutes=step["wait"]))
        handler = getattr(self, f"_{step['do']}")
        if handler(**{key: value for key, value in step.items() if key not in ("do", "wait")}):
            event(f"done: {step['do']}")

    # --- one method per kind of step; each says whether anything was recorded ----------

    def _wait(self) -> bool:
        return False

    def _log(self, alliance: int, who: int, valence: str, private: bool) -> bool:
        at = self.alliance(alliance)
        author = self.member(at, who)
        payload = {
            "text": "A note",
            "valence": valence,
            "visibility": "private" if private else "shared",
        }
        logged = self.do(lambda: self.tracker.service.log_feedback(author, at, payload))
        if logged is not None:
            self.notes.append((logged["note_id"], at, author))
        return logged is not None

    def _share(self, note: int) -> bool:
        if not self.notes:
            return False
        note_id, at, author = recent(self.notes, note)
        return self.do(lambda: self.tracker.service.share_feedback(author, at, note_id)) is not None

    def _retract(self, note: int) -> bool:
        if not self.notes:
            return False
        note_id, at, author = recent(self.notes, note)
        retracted = self.do(lambda: self.tracker.service.retract_feedback(author, at, note_id))
        return retracted is not None

    def _report(self, alliance: int, who: int, hours_ago: int) -> bool:
        at = self.alliance(alliance)
        reporter = self.member(at, who)
        occurred = self.clock.now() - timedelta(hours=hours_ago)
        payload = {"description": "A clash", "severity": "low", "occurred_at": occurred.isoformat()}
        reported = self.do(lambda: self.tracker.service.report_conflict(reporter, at, payload))
        if reported is not None:
            self.conflicts.append((reported["conflict_id"], at))
        return reported is not None

    def _resolve(self, conflict: int, who: int, redesign: bool) -> bool:
        if not self.conflicts:
            return False
        conflict_id, at = recent(self.conflicts, conflict)
        actor = self.member(at, who)
        payload = {"resolution": "Talked", "outcome": "redesign" if redesign else "resolved"}
        resolved = self.do(
            lambda: self.tracker.service.resolve_conflict(actor, at, conflict_id, payload)
        )
        return resolved is not None

    def _reopen(self, conflict: int, who: int) -> bool:
        if not self.conflicts:
            return False
        conflict_id, at = recent(self.conflicts, conflict)
        actor = self.member(at, who)
        reopened = self.do(
            lambda: self.tracker.service.reopen_conflict(
                actor, at, conflict_id, {"reason": "Again"}
            )
        )
        return reopened is not None

    def _prompt(self, alliance: int, slot_hours: int, open_hours: int) -> bool:
        at = self.alliance(alliance)
        slot = self.clock.now() + timedelta(hours=slot_hours)
        payload = {
            "slot": slot.isoformat(),
            "closes_at": (slot + timedelta(hours=open_hours)).isoformat(),
        }
        prompted = self.do(lambda: self.tracker.service.prompt_checkin(at, payload))
        if prompted is not None:
            self.checkins.append((prompted["checkin_id"], at))
        return prompted is not None

    def _start(self, alliance: int, who: int) -> bool:
        at = self.alliance(alliance)
        actor = self.member(at, who)
        started = self.do(lambda: self.tracker.service.start_checkin_now(actor, at))
        if started is not None:
            self.checkins.append((started["checkin_id"], at))
        return started is not None

    def _answer(self, checkin: int, answers: list[tuple[int, dict[str, int]]]) -> bool:
        if not self.checkins:
            return False
        checkin_id, at = recent(self.checkins, checkin)
        done = False
        for who, ratings in answers:
            actor = self.member(at, who)
            payload = {"answers": {}, "ratings": ratings}
            answered = self.do(
                lambda actor=actor, payload=payload: self.tracker.service.respond_to_checkin(
                    actor, at, checkin_id, payload
                )
            )
            done = done or answered is not None
        return done

    def _close(self, checkin: int) -> bool:
        if not self.checkins:
            return False
        checkin_id, at = recent(self.checkins, checkin)
        return self.do(lambda: self.tracker.service.close_checkin(at, checkin_id)) is not None

    def _rhythm(self, alliance: int, who: int, zone: str, hour: int, day: str) -> bool:
        """Proposed by one member and accepted by the others: adopted, its zone the
        alliance's from then on."""
        at = self.alliance(alliance)
        proposer = self.member(at, who)
        local = self.clock.now().astimezone(ZoneInfo(zone))
        payload = {
            "kind": "add",
            "category": "rhythm",
            "text": "We check in every week",
            "schedule": {
                "rule": f"FREQ=WEEKLY;BYDAY={day};BYHOUR={hour};BYMINUTE=0",
                "start": local.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M"),
                "zone": zone,
            },
        }
        proposed = self.do(lambda: self.tracker.service.propose(proposer, at, payload))
        if proposed is None:
            return False
        proposal = proposed["proposal_id"]
        for other in [member for member in self.members[at] if member != proposer]:
            self.do(lambda other=other: self.tracker.service.accept_proposal(other, at, proposal))
        return True

    def _cadence(self, alliance: int, who: int, months: int | None) -> bool:
        at = self.alliance(alliance)
        actor = self.member(at, who)
        payload = {"every_months": months}
        return (
            self.do(lambda: self.tracker.service.set_review_cadence(actor, at, payload)) is not None
        )

    def _open_redesign(self, alliance: int, who: int) -> bool:
        at = self.alliance(alliance)
        actor = self.member(at, who)
        payload = {"reason": "Tend it"}
        return self.do(lambda: self.tracker.service.open_redesign(actor, at, payload)) is not None

    def _conclude_redesign(self, alliance: int, who: int) -> bool:
        at = self.alliance(alliance)
        actor = self.member(at, who)
        return self.do(lambda: self.tracker.service.conclude_redesign(actor, at, {})) is not None

    def _leave(self, alliance: int, who: int) -> bool:
        at = self.alliance(alliance)
        actor = self.member(at, who)
        if self.do(lambda: self.tracker.service.leave_alliance(actor, at)) is None:
            return False
        self.members[at].remove(actor)
        return True

    def _join(self, alliance: int, account: int) -> bool:
        at = self.alliance(alliance)
        newcomer = self.accounts[account % len(self.accounts)]
        return newcomer not in self.members[at] and self.join(at, newcomer)

    def _alerts(self) -> bool:
        """A scheduler's pass over the views as they are: each cause met raises its alert."""
        raised = False
        for cause in AlertChecks(self.tracker.store).causes(self.clock.now()):
            alliance = UUID(cause.alliance_id)
            done = self.do(
                lambda cause=cause, alliance=alliance: self.tracker.service.raise_alert(
                    alliance, **cause.recorded()
                )
            )
            if done is not None:
                self.alerts.append((done["alert_id"], alliance))
                raised = True
        return raised

    def _answer_alert(self, alert: int, who: int, how: str, days: int) -> bool:
        if not self.alerts:
            return False
        alert_id, at = recent(self.alerts, alert)
        if not self.members[at]:
            return False
        actor, service = self.member(at, who), self.tracker.service
        until = (self.clock.now() + timedelta(days=days)).date().isoformat()
        answers: dict[str, Callable[[], CommandResult]] = {
            "acknowledge": lambda: service.acknowledge_alert(actor, at, alert_id),
            "snooze": lambda: service.snooze_alert(actor, at, alert_id, {"until": until}),
            "resolve": lambda: service.resolve_alert(actor, at, alert_id, {"note": "Done"}),
        }
        return self.do(answers[how]) is not None

    def _alert_rule(self, alliance: int, who: int, rule: str, enabled: bool, above: int) -> bool:
        at = self.alliance(alliance)
        if not self.members[at]:
            return False
        actor, bounds = self.member(at, who), BY_KEY[rule]
        chosen = {"enabled": enabled, "threshold": min(bounds.maximum, bounds.minimum + above)}
        return (
            self.do(lambda: self.tracker.service.set_alert_rule(actor, at, rule, chosen))
            is not None
        )


def recent(items: list[Any], index: int) -> Any:
    return items[-1 - index % len(items)]


def health_tables(store: ViewStore) -> dict[str, list[tuple[Any, ...]]]:
    """The health tables and the alert tables, row by row."""
    return {
        table: rows
        for table, rows in snapshot_views(store).items()
        if table.startswith(("v_health_", "v_alert"))
    }


def readings(store: ViewStore, run: Run, now: datetime) -> dict[tuple[str, str], Any]:
    """What the reader tells each account about each alliance: now, and week by week."""
    reader = HealthReader(store)
    return {
        (str(alliance), str(viewer)): {
            "now": reader.now(alliance, viewer, now),
            "history": reader.history(alliance, viewer, now),
        }
        for alliance in run.alliances
        for viewer in run.accounts
    }


def replayed(run: Run, store: ViewStore, batch_size: int) -> None:
    """Every view dropped and the whole log applied again, batch_size events at a time."""
    app = run.tracker.app
    engine = CatchUpEngine(app.recorder, app.mapper, store, all_views(), batch_size=batch_size)
    engine.setup()
    engine.rebuild()


def check_a_history(
    scenario: dict[str, Any], scratch: ViewStore, cluster: PostgresCluster | None
) -> None:
    """Record the scenario's history in a new store, then compare its views as they were
    kept with the same log replayed into ``scratch`` in batches of three sizes."""
    database = url = None
    if cluster is not None:
        database = cluster.create_database()
        url = cluster.database_url(database)
    folder = tempfile.TemporaryDirectory()
    clock = SettableClock(T0 + timedelta(hours=scenario["start_hours"]))
    tracker = Tracker.build(Settings(Path(folder.name), url, None), clock, PASSWORDS)
    try:
        run = Run(tracker, clock)
        for n in range(3):
            account = {"email": f"m{n}@example.org", "name": f"M{n}", "password": "member secret"}
            run.accounts.append(tracker.service.register_account(account)["account_id"])
            tracker.service.verify_address(run.accounts[-1], account["email"], via="mail")
        first, second, third = run.accounts
        run.found(first, [second, third] if scenario["third_member"] else [second])
        if scenario["second_alliance"]:
            run.found(second, [first])
        for each in scenario["steps"]:
            run.apply(each)

        now = clock.now()
        live = health_tables(tracker.store)
        read = readings(tracker.store, run, now)
        for batch_size in (1_000_000, 1, scenario["chunk"]):
            replayed(run, scratch, batch_size)
            again = health_tables(scratch)
            for table, rows in live.items():
                assert again[table] == rows, f"{table}, replayed {batch_size} events at a time"
            assert readings(scratch, run, now) == read, f"replayed {batch_size} at a time"
    finally:
        tracker.close()
        folder.cleanup()
        if cluster is not None and database is not None:
            cluster.drop_database(database)


@pytest.mark.slow
@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_health_and_alerts_kept_as_commands_come_equal_those_replayed_in_any_batches(
    store: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    cluster: PostgresCluster | None = None
    if store == "postgresql":
        cluster = request.getfixturevalue("postgres_cluster")
        scratch = open_store(request.getfixturevalue("postgres_url"))
    else:
        scratch = open_store(str(tmp_path / "scratch.sqlite"))

    @settings(
        max_examples=200 if cluster is None else 12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(scenario=SCENARIOS)
    def check(scenario: dict[str, Any]) -> None:
        note(f"scenario = {pprint.pformat(scenario, sort_dicts=False)}")
        check_a_history(scenario, scratch, cluster)

    try:
        check()
    finally:
        scratch.close()
