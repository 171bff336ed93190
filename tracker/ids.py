"""Deterministic identities, where a duplicate must be impossible rather than unlikely."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

# Fixed forever: changing it would give every existing account and check-in a new identity.
NAMESPACE = UUID("5b0f4c36-9a49-4f3e-8d0c-2f6d3c1e7a10")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def account_id(email: str) -> UUID:
    """One account per email address, whoever registers it and however they type it."""
    return uuid5(NAMESPACE, "account:" + normalise_email(email))


def checkin_id(alliance_id: UUID, slot: datetime) -> UUID:
    """One check-in per alliance and scheduled slot, so a scheduler running twice prompts once."""
    if slot.tzinfo is None:
        raise ValueError("a check-in slot must be timezone-aware")
    stamp = slot.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return uuid5(NAMESPACE, f"checkin:{alliance_id}:{stamp}")


def term_id(proposal_id: UUID) -> UUID:
    """A new term takes its identity from the proposal that added it."""
    return uuid5(NAMESPACE, f"term:{proposal_id}")


def delivery_id(subject_id: UUID, channel: str, recipient: str) -> UUID:
    """One delivery of a thing by a channel to a recipient: queuing it twice is refused."""
    return uuid5(NAMESPACE, f"delivery:{subject_id}:{channel}:{recipient}")


def alert_id(alliance_id: UUID, rule: str, cause: str) -> UUID:
    """One alert per alliance, rule and cause: a rebuild, a restart or two schedulers raise
    it once. (Made under the URL namespace since it was first recorded: kept so.)"""
    return uuid5(NAMESPACE_URL, f"alliance-tracker:alert:{alliance_id}:{rule}:{cause}")


def digest_id(account_id: UUID, week: date) -> UUID:
    """One weekly digest per account and week (its Monday): two schedulers mail it once."""
    return uuid5(NAMESPACE, f"digest:{account_id}:{week.isoformat()}")
