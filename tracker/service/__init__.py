"""The one application service: every command the pages, the API and the scheduler give."""

from __future__ import annotations

from tracker.service.alerts import AlertCommands
from tracker.service.alliances import AccountCommands, AllianceCommands
from tracker.service.checkins import CheckInCommands
from tracker.service.commitments import CommitmentCommands
from tracker.service.deliveries import DeliveryCommands
from tracker.service.records import ConflictCommands, FeedbackCommands
from tracker.service.runner import CommandResult

__all__ = ["CommandResult", "TrackerService"]


class TrackerService(
    AccountCommands,
    AllianceCommands,
    FeedbackCommands,
    ConflictCommands,
    CheckInCommands,
    CommitmentCommands,
    AlertCommands,
    DeliveryCommands,
):
    """Commands take plain values, validate them with the payload's schema, check that the
    actor is a member, and return the ids made plus the notification id of the last event."""
