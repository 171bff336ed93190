"""Accounts and their passwords, on both stores."""

from __future__ import annotations

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
