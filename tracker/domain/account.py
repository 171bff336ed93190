"""A person who can belong to alliances. Identified by their normalised email address.

The password's argon2 hash is recorded like any other fact about the account (encrypted at
rest when TRACKER_CIPHER_KEY is set); the password itself never is.
"""

from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import Aggregate

from tracker import ids


class Account(Aggregate):
    checkin_mail: bool = True  # mail is on until a member turns it off

    class Registered(Aggregate.Created):
        email: str
        name: str

    def __init__(self, email: str, name: str) -> None:
        self.email = email
        self.name = name
        self.password_hash: str | None = None

    @classmethod
    def register(cls, *, email: str, name: str, at: datetime) -> Account:
        return cls._create(
            cls.Registered,
            id=ids.account_id(email),
            timestamp=at,
            email=ids.normalise_email(email),
            name=name.strip(),
        )

    class Renamed(Aggregate.Event):
        name: str

        def apply(self, account: Account) -> None:
            account.name = self.name

    def rename(self, name: str, *, at: datetime) -> None:
        self.trigger_event(self.Renamed, timestamp=at, name=name.strip())

    class PasswordSet(Aggregate.Event):
        password_hash: str

        def apply(self, account: Account) -> None:
            account.password_hash = self.password_hash

    def set_password(self, password_hash: str, *, at: datetime) -> None:
        self.trigger_event(self.PasswordSet, timestamp=at, password_hash=password_hash)

    class CheckInMailChosen(Aggregate.Event):
        enabled: bool

        def apply(self, account: Account) -> None:
            account.checkin_mail = self.enabled

    def choose_checkin_mail(self, enabled: bool, *, at: datetime) -> None:
        self.trigger_event(self.CheckInMailChosen, timestamp=at, enabled=enabled)
