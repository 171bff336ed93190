"""A person who can belong to alliances. Identified by their normalised email address.

The password's argon2 hash is recorded like any other fact about the account (encrypted at
rest when TRACKER_CIPHER_KEY is set); the password itself never is.

An address is trusted only once it is proven: by the link mailed to it, or by an invitation
link that was sent to it (an account registered through that link may accept that one
invitation). Until then anyone could have typed it, and its owner may take it back.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate

from tracker import ids
from tracker.domain import errors
from tracker.domain.vocabulary import MAIL_KINDS


class Account(Aggregate):
    # Each kind of mail in vocabulary.MAIL_KINDS, on or off as its default until chosen.
    checkin_mail: bool = MAIL_KINDS["checkin"]
    alert_mail: bool = MAIL_KINDS["alert"]
    digest_mail: bool = MAIL_KINDS["digest"]
    email_verified: bool = False  # accounts registered before addresses were proven too
    # The invitation whose link it was registered through, if any: that link reached the
    # address, so that one invitation may be accepted before the address is proven by mail.
    through_invitation: UUID | None = None
    # The IANA zone the person reads times in; None: each alliance's own zone.
    time_zone: str | None = None

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

    class RegisteredThroughInvitation(Aggregate.Event):
        invitation_id: UUID

        def apply(self, account: Account) -> None:
            account.through_invitation = self.invitation_id

    def came_through_invitation(self, invitation_id: UUID, *, at: datetime) -> None:
        self.trigger_event(
            self.RegisteredThroughInvitation, timestamp=at, invitation_id=invitation_id
        )

    class AddressVerified(Aggregate.Event):
        email: str
        via: str  # "mail", or "invitation": the link that reached it

        def apply(self, account: Account) -> None:
            account.email_verified = True

    def verify_address(self, email: str, via: str, *, at: datetime) -> bool:
        """Record that ``email`` is proven to be this account's; False if it already was."""
        if ids.normalise_email(email) != self.email:
            raise errors.AddressNotProven("this link was for another address")
        if self.email_verified:
            return False
        self.trigger_event(self.AddressVerified, timestamp=at, email=self.email, via=via)
        return True

    def may_accept(self, invitation_id: UUID) -> bool:
        return self.email_verified or self.through_invitation == invitation_id

    class Reclaimed(Aggregate.Event):
        """The address's owner proved it and took the account over from whoever had
        registered it without proof: their name and password are gone."""

        name: str
        password_hash: str
        via: str

        def apply(self, account: Account) -> None:
            account.name = self.name
            account.password_hash = self.password_hash
            account.email_verified = True

    def reclaim(self, name: str, password_hash: str, via: str, *, at: datetime) -> None:
        if self.email_verified:
            raise errors.AccountAlreadyRegistered(
                "an account with this email exists and its address is proven; sign in instead"
            )
        self.trigger_event(
            self.Reclaimed, timestamp=at, name=name.strip(), password_hash=password_hash, via=via
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
        """Recorded before there were other kinds of mail; MailChosen says it now."""

        enabled: bool

        def apply(self, account: Account) -> None:
            account.checkin_mail = self.enabled

    class MailChosen(Aggregate.Event):
        kind: str  # a key of vocabulary.MAIL_KINDS
        enabled: bool

        def apply(self, account: Account) -> None:
            setattr(account, f"{self.kind}_mail", self.enabled)

    def choose_mail(self, kind: str, enabled: bool, *, at: datetime) -> None:
        if kind not in MAIL_KINDS:
            raise errors.InvalidInput({"kind": [f"must be one of {', '.join(MAIL_KINDS)}"]})
        self.trigger_event(self.MailChosen, timestamp=at, kind=kind, enabled=enabled)

    class TimeZoneChosen(Aggregate.Event):
        zone: str | None

        def apply(self, account: Account) -> None:
            account.time_zone = self.zone

    def choose_time_zone(self, zone: str | None, *, at: datetime) -> None:
        self.trigger_event(self.TimeZoneChosen, timestamp=at, zone=zone)
