"""Random sequences of commands through the application, with the invariants checked after
every step, on each store: the agreement version counts the adopted proposals, the views
agree with the aggregate, nothing private reaches another member, sealed answers stay sealed."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from shell.bootstrap import Tracker
from shell.settings import Settings
from tests.conftest import T0
from tests.postgres_cluster import PostgresCluster
from tracker.clock import SettableClock
from tracker.domain import errors
from tracker.domain.alliance import Alliance
from tracker.domain.vocabulary import TERM_CATEGORIES

RATINGS = st.fixed_dictionaries(
    {item: st.integers(0, 10) for item in ("relationship", "goals", "approach", "overall")}
)
WORDS = st.text(alphabet="abcdefgh ", min_size=1, max_size=20).filter(str.strip)


class AllianceMachine(RuleBasedStateMachine):
    cluster: PostgresCluster | None = None

    proposals = Bundle("proposals")
    notes = Bundle("notes")
    checkins = Bundle("checkins")

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        url = None
        if self.cluster is not None:
            url = self.cluster.database_url(self.cluster.create_database())
        self.clock = SettableClock(T0)
        self.tracker = Tracker.build(Settings(Path(self.folder.name), url, None), self.clock)
        self.service = self.tracker.service
        self.slot = T0

    def teardown(self) -> None:
        self.tracker.close()
        self.folder.cleanup()

    def act(self, command: object) -> None:
        self.clock.advance(timedelta(hours=1))
        try:
            command()  # type: ignore[operator]
        except errors.RuleViolation:
            pass  # a refusal is a valid outcome; the invariants say nothing was half-done
        self.tracker.engine.run_once()

    @initialize()
    def found(self) -> None:
        register = self.service.register_account
        self.members = [
            register({"email": f"m{n}@example.org", "name": f"M{n}", "password": "member secret"})[
                "account_id"
            ]
            for n in range(3)
        ]
        for n, member in enumerate(self.members):
            self.service.verify_address(member, f"m{n}@example.org", via="mail")
        self.alliance = self.service.found_alliance(
            self.members[0], {"title": "Random", "purpose": "", "kind": "team", "role": "lead"}
        )["alliance_id"]
        invitation = self.service.invite_member(
            self.members[0], self.alliance, {"email": "m1@example.org", "role": "peer"}
        )["invitation_id"]
        self.service.join_alliance(
            self.members[1], self.alliance, {"invitation_id": invitation, "agreed_version": 0}
        )
        self.tracker.engine.run_once()

    def member(self, index: int) -> UUID:
        return self.members[index % 2]

    def current(self) -> Alliance:
        alliance = self.tracker.app.repository.get(self.alliance)
        assert isinstance(alliance, Alliance)
        return alliance

    @rule(target=proposals, who=st.integers(0, 1), category=st.sampled_from(TERM_CATEGORIES),
          text=WORDS)  # fmt: skip
    def propose(self, who: int, category: str, text: str) -> object:
        result: list[UUID] = []

        def command() -> None:
            payload = {"kind": "add", "category": category, "text": text}
            result.append(
                self.service.propose(self.member(who), self.alliance, payload)["proposal_id"]
            )

        self.act(command)
        return multiple(*result)

    @rule(target=proposals, who=st.integers(0, 1), text=WORDS, stale=st.booleans(),
          retire=st.booleans())  # fmt: skip
    def change_a_term(self, who: int, text: str, stale: bool, retire: bool) -> object:
        terms = [(t, v) for t, v in self.current().terms.items() if v["status"] == "in_force"]
        if not terms:
            return multiple()
        term_id, term = terms[0]
        payload = {
            "kind": "retire" if retire else "amend",
            "term_id": term_id,
            "based_on_version": term["version"] + (1 if stale else 0),
            "text": text,
        }
        result: list[UUID] = []
        self.act(
            lambda: result.append(
                self.service.propose(self.member(who), self.alliance, payload)["proposal_id"]
            )
        )
        return multiple(*result)

    @rule(proposal=proposals, who=st.integers(0, 1), how=st.sampled_from(["accept", "decline",
          "withdraw"]))  # fmt: skip
    def respond(self, proposal: UUID, who: int, how: str) -> None:
        actor = self.member(who)
        if how == "accept":
            self.act(lambda: self.service.accept_proposal(actor, self.alliance, proposal))
        elif how == "decline":
            self.act(
                lambda: self.service.decline_proposal(
                    actor, self.alliance, proposal, {"reason": "no"}
                )
            )
        else:
            self.act(lambda: self.service.withdraw_proposal(actor, self.alliance, proposal))

    @rule(redesign=st.booleans(), who=st.integers(0, 1))
    def redesign(self, redesign: bool, who: int) -> None:
        actor = self.member(who)
        if redesign:
            self.act(lambda: self.service.open_redesign(actor, self.alliance, {"reason": "tend"}))
        else:
            self.act(lambda: self.service.conclude_redesign(actor, self.alliance, {}))

    @rule(target=notes, who=st.integers(0, 1), private=st.booleans(), text=WORDS)
    def log(self, who: int, private: bool, text: str) -> UUID:
        payload = {
            "text": text,
            "valence": "neutral",
            "visibility": "private" if private else "shared",
        }
        self.clock.advance(timedelta(hours=1))
        note = self.service.log_feedback(self.member(who), self.alliance, payload)["note_id"]
        self.tracker.engine.run_once()
        return note

    @rule(note=notes, who=st.integers(0, 1), how=st.sampled_from(["share", "retract", "reply"]))
    def handle_note(self, note: UUID, who: int, how: str) -> None:
        actor = self.member(who)
        try:
            if how == "share":
                self.act(lambda: self.service.share_feedback(actor, self.alliance, note))
            elif how == "retract":
                self.act(lambda: self.service.retract_feedback(actor, self.alliance, note))
            else:
                self.act(
                    lambda: self.service.reply_to_feedback(
                        actor, self.alliance, note, {"text": "ok"}
                    )
                )
        except errors.FeedbackNotFound:
            assert not self.tracker.app.repository.get(note).visible_to(actor)

    @rule(target=checkins)
    def prompt(self) -> UUID:
        self.slot += timedelta(days=7)
        payload = {
            "slot": self.slot.isoformat(),
            "closes_at": (self.slot + timedelta(days=7)).isoformat(),
        }
        checkin = self.service.prompt_checkin(self.alliance, payload)["checkin_id"]
        self.tracker.engine.run_once()
        return checkin

    @rule(checkin=checkins, who=st.integers(0, 1), ratings=RATINGS)
    def answer(self, checkin: UUID, who: int, ratings: dict[str, int]) -> None:
        actor = self.member(who)
        payload = {"answers": {"feel": "fine"}, "ratings": ratings}
        self.act(lambda: self.service.respond_to_checkin(actor, self.alliance, checkin, payload))

    @invariant()
    def agreement_version_counts_adoptions(self) -> None:
        if not hasattr(self, "alliance"):
            return
        alliance = self.current()
        versions = self.tracker.queries.agreement_versions(self.alliance)
        assert alliance.agreement_version == len(versions)
        in_force = {t: v["version"] for t, v in alliance.terms.items() if v["status"] == "in_force"}
        viewed = {
            row["term_id"]: row["version"] for row in self.tracker.queries.agreement(self.alliance)
        }
        assert viewed == in_force

    @invariant()
    def nothing_private_reaches_another_member(self) -> None:
        if not hasattr(self, "alliance"):
            return
        for viewer in self.members[:2]:
            for row in self.tracker.queries.timeline(self.alliance, viewer, limit=10_000):
                assert row["private_to"] in (None, str(viewer))
                if row["event"].startswith("FeedbackNote") and row["subject_id"]:
                    note = self.tracker.app.repository.get(UUID(row["subject_id"]))
                    assert note.visible_to(viewer)

    @invariant()
    def sealed_answers_stay_sealed(self) -> None:
        if not hasattr(self, "alliance"):
            return
        with self.tracker.store.read() as cur:
            cur.execute("SELECT checkin_id, alliance_id, status FROM v_checkins")
            checkins = cur.fetchall()
        for checkin in checkins:
            for viewer in self.members[:2]:
                found = self.tracker.queries.checkin(
                    UUID(checkin["alliance_id"]), UUID(checkin["checkin_id"]), viewer
                )
                assert found is not None
                if checkin["status"] == "open":
                    assert {row["member_id"] for row in found["responses"]} <= {str(viewer)}


@pytest.mark.slow
@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_random_command_sequences_keep_the_invariants(
    store: str, request: pytest.FixtureRequest
) -> None:
    AllianceMachine.cluster = (
        request.getfixturevalue("postgres_cluster") if store == "postgresql" else None
    )
    run_state_machine_as_test(
        AllianceMachine,
        settings=settings(
            max_examples=12 if store == "sqlite" else 6,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
