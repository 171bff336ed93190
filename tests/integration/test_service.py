"""The application service on real stores: validation, membership, results, retries."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import Aggregate

from shell.settings import Settings
from tracker.application import TrackerApplication
from tracker.clock import SettableClock
from tracker.domain import errors
from tracker.domain.alliance import Alliance
from tracker.service import TrackerService
from tracker.service.runner import Outcome


def register(service: TrackerService, email: str, name: str) -> UUID:
    """An account whose address is proven, as by the link mailed at sign-up."""
    account: UUID = service.register_account(
        {"email": email, "name": name, "password": "a long enough secret"}
    )["account_id"]
    service.verify_address(account, email, via="mail")
    return account


def coach_and_client(service: TrackerService) -> tuple[UUID, UUID, UUID]:
    coach = register(service, "coach@example.org", "Cora Coach")
    client = register(service, "client@example.org", "Cliff Client")
    alliance = service.found_alliance(
        coach, {"title": "Coaching", "purpose": "Grow", "kind": "coaching", "role": "coach"}
    )["alliance_id"]
    invitation = service.invite_member(
        coach, alliance, {"email": "client@example.org", "role": "client"}
    )["invitation_id"]
    service.join_alliance(client, alliance, {"invitation_id": invitation, "agreed_version": 0})
    return coach, client, alliance


def test_commands_return_ids_and_rising_notification_ids(service: TrackerService) -> None:
    coach, client, alliance = coach_and_client(service)
    proposed = service.propose(
        coach, alliance, {"kind": "add", "category": "feel", "text": "I want it candid"}
    )
    accepted = service.accept_proposal(client, alliance, proposed["proposal_id"])
    assert accepted.notification_id > proposed.notification_id
    assert service.app.recorder.max_notification_id() == accepted.notification_id
    loaded = service.app.repository.get(alliance)
    assert isinstance(loaded, Alliance)
    assert loaded.agreement_version == 1


def test_one_account_per_email_however_it_is_typed(service: TrackerService) -> None:
    register(service, "ana@example.org", "Ana")
    with pytest.raises(errors.AccountAlreadyRegistered):
        register(service, "ANA@Example.org", "Ana again")


def test_founding_and_joining_need_a_registered_account(service: TrackerService) -> None:
    with pytest.raises(errors.AccountNotFound):
        service.found_alliance(
            uuid4(), {"title": "Ghost", "purpose": "", "kind": "team", "role": "lead"}
        )


def test_invalid_input_names_each_field_and_records_nothing(service: TrackerService) -> None:
    coach, _, alliance = coach_and_client(service)
    before = service.app.recorder.max_notification_id()
    with pytest.raises(errors.InvalidInput) as raised:
        service.propose(coach, alliance, {"kind": "amend", "text": "x" * 5000, "colour": "red"})
    assert set(raised.value.fields) == {"text", "colour"}
    with pytest.raises(errors.InvalidInput) as raised:
        service.propose(coach, alliance, {"kind": "amend", "text": "x"})
    assert set(raised.value.fields) == {"term_id", "based_on_version"}
    with pytest.raises(errors.InvalidInput) as raised:
        service.register_account({"email": "not-an-email", "name": " "})
    assert set(raised.value.fields) == {"email", "name", "password"}
    assert service.app.recorder.max_notification_id() == before


def test_a_stranger_gets_the_same_answer_as_for_a_missing_alliance(
    service: TrackerService,
) -> None:
    _, _, alliance = coach_and_client(service)
    stranger = register(service, "stranger@example.org", "Stan")
    attempts: list[Any] = [
        lambda: service.propose(
            stranger, alliance, {"kind": "add", "category": "feel", "text": "x"}
        ),
        lambda: service.log_feedback(stranger, alliance, {"text": "x", "valence": "neutral"}),
        lambda: service.report_conflict(
            stranger,
            alliance,
            {"description": "x", "occurred_at": "2026-01-05T09:00:00Z", "severity": "low"},
        ),
        lambda: service.start_checkin_now(stranger, alliance),
        lambda: service.request_tending(stranger, alliance, {"message": ""}),
    ]
    for attempt in attempts:
        with pytest.raises(errors.AllianceNotFound) as raised:
            attempt()
        with pytest.raises(errors.AllianceNotFound) as missing:
            service.request_tending(stranger, uuid4(), {"message": ""})
        assert str(raised.value).split()[0] == str(missing.value).split()[0] == "alliance"


def test_feedback_cites_the_term_version_in_force(service: TrackerService) -> None:
    coach, client, alliance = coach_and_client(service)
    proposal = service.propose(
        coach, alliance, {"kind": "add", "category": "conflict", "text": "I name it early"}
    )["proposal_id"]
    service.accept_proposal(client, alliance, proposal)
    term = service.app.repository.get(alliance).terms
    (term_id,) = [UUID(key) for key in term]
    note = service.log_feedback(
        client,
        alliance,
        {"text": "You named it early", "valence": "appreciation", "term_id": term_id},
    )["note_id"]
    assert service.app.repository.get(note).term_version == 1
    with pytest.raises(errors.TermNotFound):
        service.log_feedback(
            client, alliance, {"text": "x", "valence": "neutral", "term_id": uuid4()}
        )


def test_resolving_a_conflict_as_redesign_opens_one_citing_it(service: TrackerService) -> None:
    coach, client, alliance = coach_and_client(service)
    conflict = service.report_conflict(
        client,
        alliance,
        {
            "description": "Late again",
            "occurred_at": "2026-01-05T09:00:00+00:00",
            "severity": "high",
        },
    )["conflict_id"]
    service.acknowledge_conflict(coach, alliance, conflict, {"note": "Sorry"})
    result = service.resolve_conflict(
        coach, alliance, conflict, {"resolution": "We rethink timing", "outcome": "redesign"}
    )
    loaded = service.app.repository.get(alliance)
    assert loaded.redesign["redesign_id"] == str(result["redesign_id"])


def test_a_version_clash_is_retried_once_on_fresh_state(
    service: TrackerService, app: TrackerApplication
) -> None:
    coach, _, alliance = coach_and_client(service)
    rival = TrackerService(app, service.clock)
    calls = 0

    def command() -> Outcome:
        nonlocal calls
        calls += 1
        loaded = service.alliance(alliance, coach)
        if calls == 1:  # another writer lands between our load and our save
            rival.request_tending(coach, alliance, {"message": "rival"})
        loaded.request_tending(coach, "mine", at=service.clock.now())
        return Outcome([loaded])

    service.run(command)
    assert calls == 2
    assert len(service.app.repository.get(alliance).tending) == 2


def test_a_clash_twice_in_a_row_is_a_conflict_error(service: TrackerService) -> None:
    coach, _, alliance = coach_and_client(service)

    def always_stale() -> Outcome:
        loaded: Aggregate = service.alliance(alliance, coach)
        service.request_tending(coach, alliance, {"message": "rival"})
        assert isinstance(loaded, Alliance)
        loaded.request_tending(coach, "mine", at=service.clock.now())
        return Outcome([loaded])

    with pytest.raises(errors.ConcurrentWrite):
        service.run(always_stale)


def test_a_scheduler_cannot_prompt_the_same_slot_twice(service: TrackerService) -> None:
    _, _, alliance = coach_and_client(service)
    slot = {"slot": "2026-01-12T09:00:00+00:00", "closes_at": "2026-01-19T09:00:00+00:00"}
    service.prompt_checkin(alliance, slot)
    with pytest.raises(errors.AlreadyPrompted):
        service.prompt_checkin(alliance, slot)


def test_snapshots_keep_a_long_history_loadable(service: TrackerService) -> None:
    coach, _, alliance = coach_and_client(service)
    for number in range(120):
        service.request_tending(coach, alliance, {"message": f"signal {number}"})
    assert service.app.snapshots is not None
    snapshots = list(service.app.snapshots.get(alliance))
    assert [s.originator_version for s in snapshots] == [100]
    loaded = service.app.repository.get(alliance)
    assert len(loaded.tending) == 120


def test_a_cached_alliance_learns_of_changes_made_by_another_process(
    service: TrackerService, settings: Settings, clock: SettableClock
) -> None:
    """Each process caches alliances; a member who left through another process's
    application is refused here at once, however warm this process's cache."""
    coach, client, alliance = coach_and_client(service)
    service.log_feedback(client, alliance, {"text": "I felt heard.", "valence": "appreciation"})
    elsewhere = TrackerApplication(env=settings.event_store_env())
    try:
        TrackerService(elsewhere, clock).leave_alliance(client, alliance)
    finally:
        elsewhere.close()
    with pytest.raises(errors.NotAMember):
        service.log_feedback(client, alliance, {"text": "Still here?", "valence": "neutral"})
    refreshed = service.app.repository.get(alliance)
    assert isinstance(refreshed, Alliance)
    assert str(client) not in refreshed.members
