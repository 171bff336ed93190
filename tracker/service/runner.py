"""What every command shares: the clock, loading with membership checks, saving with one retry.

A command is a function that loads fresh state, calls the domain and returns the aggregates
to save with the ids it made. Running it again after a version clash is therefore safe: it
decides afresh on the state the other writer left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from tracker.application import TrackerApplication
from tracker.clock import Clock, SystemClock
from tracker.domain import errors
from tracker.domain.account import Account
from tracker.domain.alliance import Alliance
from tracker.passwords import Passwords

A = TypeVar("A", bound=Aggregate)


@dataclass(frozen=True)
class CommandResult:
    """The ids a command made, and the notification id of its last event, so the caller can
    wait until the views include it before reading them back."""

    notification_id: int
    ids: dict[str, UUID] = field(default_factory=dict)

    def __getitem__(self, name: str) -> UUID:
        return self.ids[name]


@dataclass(frozen=True)
class Outcome:
    save: Sequence[Aggregate]
    ids: dict[str, UUID] = field(default_factory=dict)


Command = Callable[[], Outcome]


class CommandRunner:
    def __init__(
        self,
        app: TrackerApplication,
        clock: Clock | None = None,
        passwords: Passwords | None = None,
        *,
        webhook_private_allowed: bool = False,
    ) -> None:
        self.app = app
        self.clock: Clock = clock or SystemClock()
        self.passwords = passwords or Passwords()
        self.webhook_private_allowed = webhook_private_allowed

    def run(self, command: Command) -> CommandResult:
        try:
            return self._run_once(command)
        except IntegrityError:
            pass
        try:
            return self._run_once(command)
        except IntegrityError:
            raise errors.ConcurrentWrite(
                "someone else changed this at the same moment; reload and try again"
            ) from None

    def _run_once(self, command: Command) -> CommandResult:
        outcome = command()
        if not outcome.save:
            # Nothing to record (asked again for what is so already): nothing to wait for.
            return CommandResult(0, outcome.ids)
        recordings = self.app.save(*outcome.save)
        if not recordings:
            raise AssertionError("a command must record at least one event")
        return CommandResult(recordings[-1].notification.id, outcome.ids)

    def load(
        self, cls: type[A], aggregate_id: UUID, missing: errors.NotFound, *, changing: bool = True
    ) -> A:
        """``changing=False`` promises not to touch the aggregate: it may then be the cached
        instance itself, sparing a deep copy on commands that only read it."""
        try:
            aggregate: Aggregate = self.app.repository.get(
                aggregate_id, deepcopy_from_cache=changing
            )
        except AggregateNotFoundError:
            raise missing from None
        if not isinstance(aggregate, cls):
            raise missing
        return aggregate

    def account(self, account_id: UUID) -> Account:
        return self.load(Account, account_id, errors.AccountNotFound(account_id))

    def alliance(self, alliance_id: UUID, actor: UUID, *, changing: bool = True) -> Alliance:
        """Load an alliance for one of its members; to anyone else it does not exist."""
        missing = errors.AllianceNotFound(alliance_id)
        alliance = self.load(Alliance, alliance_id, missing, changing=changing)
        alliance.require_member(actor)
        return alliance
