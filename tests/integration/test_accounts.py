"""Accounts and their passwords, on both stores."""

from __future__ import annotations

from uuid import UUID

import pytest
from argon2 import PasswordHasher

from tracker.domain import errors
from tracker.domain.account import Account
from tracker.passwords import Passwords
from tracker.service import TrackerService

ANA = {"email": "Ana@Example.org", "name": "Ana", "password": "a long enough secret"}


def test_signing_in_with_the_password_chosen_at_sign_up(service: TrackerService) -> None:
    account_id = service.register_account(ANA)["account_id"]
    assert service.authenticate({"email": " ana@example.ORG", "password": ANA["password"]}) == (
        account_id
    )


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "ana@example.org", "password": "a long enough secreT"},
        {"email": "nobody@example.org", "password": "a long enough secret"},
    ],
    ids=["wrong password", "unknown email"],
)
def test_a_wrong_password_and_an_unknown_email_get_the_same_refusal(
    service: TrackerService, credentials: dict[str, str]
) -> None:
    service.register_account(ANA)
    with pytest.raises(errors.BadCredentials) as refused:
        service.authenticate(credentials)
    assert str(refused.value) == "the email or the password is not right"


def test_the_password_itself_is_never_recorded(service: TrackerService) -> None:
    account_id = service.register_account(ANA)["account_id"]
    stored = service.app.recorder.select_events(account_id)
    assert len(stored) == 2
    assert all(ANA["password"].encode() not in event.state for event in stored)
    account = service.app.repository.get(account_id)
    assert isinstance(account, Account)
    assert account.password_hash is not None and account.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1", "use at least 10 characters"),
        ("1234567890", "common password"),
        ("PassWord12", "choose a stronger password"),
        ("x" * 1025, "use at most 1024 characters"),
        # 1,231 as typed, 631 once composed: signing in, which bounds it as typed, would
        # refuse it for ever.
        pytest.param(
            "violet tractor moonlit harbour " + "e\u0301" * 600,
            "use at most 1024 characters",
            id="long-as-typed-short-composed",
        ),
        (" " * 10, "spaces alone"),
        ("aaaaaaaaaa", "choose a stronger password"),
        ("abcdefghij", "choose a stronger password"),
        (ANA["email"], "choose a stronger password"),
        (ANA["email"].upper(), "choose a stronger password"),
        (" ".join([ANA["name"]] * 3), "choose a stronger password"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason_and_nothing_recorded(
    service: TrackerService, password: str, reason: str
) -> None:
    with pytest.raises(errors.InvalidInput) as refused:
        service.register_account({**ANA, "password": password})
    assert set(refused.value.fields) == {"password"}
    assert reason in refused.value.fields["password"][0]
    assert service.app.recorder.max_notification_id() in (None, 0)


def test_a_password_is_the_same_however_its_accents_were_typed(service: TrackerService) -> None:
    composed = "caf\u00e9 au lait, s'il te pla\u00eet"
    decomposed = "cafe\u0301 au lait, s'il te plai\u0302t"
    assert composed != decomposed
    service.register_account({**ANA, "password": decomposed})
    assert service.authenticate({"email": ANA["email"], "password": composed})
    assert service.authenticate({"email": ANA["email"], "password": decomposed})


def test_a_hash_made_with_weaker_parameters_is_upgraded_at_sign_in(
    service: TrackerService,
) -> None:
    account_id = service.register_account(ANA)["account_id"]  # the suite hashes cheaply
    stronger = Passwords(PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1))
    upgraded = TrackerService(service.app, service.clock, stronger)
    assert upgraded.authenticate({"email": ANA["email"], "password": ANA["password"]})
    account = service.app.repository.get(account_id)
    assert isinstance(account, Account) and account.password_hash is not None
    assert not stronger.needs_rehash(account.password_hash)
    assert upgraded.authenticate({"email": ANA["email"], "password": ANA["password"]})


def _alliance_inviting(service: TrackerService, email: str) -> tuple[UUID, UUID]:
    founder = service.register_account(
        {"email": "founder@example.org", "name": "Fay", "password": "a long enough secret"}
    )["account_id"]
    alliance = service.found_alliance(
        founder, {"title": "Team", "purpose": "", "kind": "team", "role": "lead"}
    )["alliance_id"]
    invited = service.invite_member(founder, alliance, {"email": email, "role": "peer"})
    return alliance, invited["invitation_id"]


def test_an_invitation_is_accepted_only_by_a_proven_address(service: TrackerService) -> None:
    alliance, invitation = _alliance_inviting(service, ANA["email"])
    squatter = service.register_account(ANA)["account_id"]  # anyone could have typed it
    before = service.app.recorder.max_notification_id()
    with pytest.raises(errors.AddressNotProven):
        service.join_alliance(
            squatter, alliance, {"invitation_id": invitation, "agreed_version": 0}
        )
    assert service.app.recorder.max_notification_id() == before
    service.verify_address(squatter, ANA["email"], via="mail")  # the mailed link was opened
    service.join_alliance(squatter, alliance, {"invitation_id": invitation, "agreed_version": 0})


def test_an_account_made_through_an_invitation_s_link_may_accept_that_one(
    service: TrackerService,
) -> None:
    alliance, invitation = _alliance_inviting(service, ANA["email"])
    ana = service.register_account(ANA, through_invitation=invitation)["account_id"]
    service.join_alliance(ana, alliance, {"invitation_id": invitation, "agreed_version": 0})
    account = service.app.repository.get(ana)
    assert isinstance(account, Account) and account.email_verified, "the link reached her"


def test_a_link_for_another_address_proves_nothing(service: TrackerService) -> None:
    ana = service.register_account(ANA)["account_id"]
    with pytest.raises(errors.AddressNotProven):
        service.verify_address(ana, "someone@example.org", via="mail")
    assert service.address_proven(ANA["email"]) is False
    assert service.address_proven("nobody@example.org") is None


def test_the_owner_of_an_address_takes_it_back_from_an_unproven_registration(
    service: TrackerService,
) -> None:
    squatter = service.register_account({**ANA, "name": "Not Ana"})["account_id"]
    owner = {**ANA, "name": "Ana Real", "password": "my own long passphrase"}
    taken = service.reclaim_account(owner, via="mail")["account_id"]
    assert taken == squatter
    assert service.authenticate({"email": ANA["email"], "password": owner["password"]})
    with pytest.raises(errors.BadCredentials):
        service.authenticate({"email": ANA["email"], "password": ANA["password"]})
    account = service.app.repository.get(taken)
    assert isinstance(account, Account) and account.name == "Ana Real" and account.email_verified
    with pytest.raises(errors.AccountAlreadyRegistered):
        service.reclaim_account({**owner, "name": "Again"}, via="mail")
