"""One message about one thing (a check-in prompt, an alert, a week's digest) by one channel
(email, webhook) to one recipient, and what became of it: queued, attempted, sent, failed and
retried, or given up.

Sending happens outside the log, so the log records a claim before it (Attempted) and the
outcome after. A delivery found still "sending" long after its claim was interrupted
mid-send: it may or may not have gone out, and it is not sent again, so that a restart never
sends twice; the app shows it as uncertain.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate

from tracker import ids
from tracker.domain import errors

# After the first attempt fails, the next ones wait this long; then it is given up.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
CHANNELS = ("email", "webhook")


class Delivery(Aggregate):
    class Queued(Aggregate.Created):
        alliance_id: UUID | None  # None for a digest, which is of all its member's alliances
        subject: str  # what it is about: "checkin", "alert" or "digest"
        subject_id: UUID
        channel: str
        recipient: str  # an email address, or the webhook's URL
        member_id: UUID | None  # whose mail it is; None for an alliance's webhook

    def __init__(
        self,
        alliance_id: UUID | None,
        subject: str,
        subject_id: UUID,
        channel: str,
        recipient: str,
        member_id: UUID | None,
    ) -> None:
        self.alliance_id = alliance_id
        self.subject = subject
        self.subject_id = subject_id
        self.channel = channel
        self.recipient = recipient
        self.member_id = member_id
        self.status = "queued"
        self.attempts = 0
        self.next_try_at: datetime | None = None

    @classmethod
    def queue(
        cls,
        *,
        alliance_id: UUID | None,
        subject: str,
        subject_id: UUID,
        channel: str,
        recipient: str,
        member_id: UUID | None,
        at: datetime,
    ) -> Delivery:
        if channel not in CHANNELS:
            raise ValueError(f"no such channel: {channel}")
        return cls._create(
            cls.Queued,
            id=ids.delivery_id(subject_id, channel, recipient),
            timestamp=at,
            alliance_id=alliance_id,
            subject=subject,
            subject_id=subject_id,
            channel=channel,
            recipient=recipient,
            member_id=member_id,
        )

    class Attempted(Aggregate.Event):
        attempt: int

        def apply(self, delivery: Delivery) -> None:
            delivery.status = "sending"
            delivery.attempts = self.attempt

    def claim(self, *, at: datetime) -> None:
        """Before sending: only a queued delivery, or a failed one whose retry is due."""
        if self.status not in ("queued", "retrying"):
            raise errors.DeliveryNotDue(f"delivery {self.id} is {self.status}")
        if self.next_try_at is not None and at < self.next_try_at:
            raise errors.DeliveryNotDue(
                f"delivery {self.id} is to be retried at {self.next_try_at}"
            )
        self.trigger_event(self.Attempted, timestamp=at, attempt=self.attempts + 1)

    class Sent(Aggregate.Event):
        def apply(self, delivery: Delivery) -> None:
            delivery.status = "sent"
            delivery.next_try_at = None

    class Failed(Aggregate.Event):
        error: str
        retry_at: datetime | None  # None: given up

        def apply(self, delivery: Delivery) -> None:
            delivery.status = "retrying" if self.retry_at else "failed"
            delivery.next_try_at = self.retry_at

    def succeeded(self, *, at: datetime) -> None:
        self._require_sending()
        self.trigger_event(self.Sent, timestamp=at)

    def failed(self, error: str, *, at: datetime, give_up: bool = False) -> None:
        """Retried after the next wait of BACKOFF, or given up when they are spent or when
        no retry could help."""
        self._require_sending()
        wait = BACKOFF[self.attempts - 1] if self.attempts <= len(BACKOFF) else None
        if give_up:
            wait = None
        self.trigger_event(
            self.Failed, timestamp=at, error=error[:500], retry_at=at + wait if wait else None
        )

    class Interrupted(Aggregate.Event):
        def apply(self, delivery: Delivery) -> None:
            delivery.status = "uncertain"
            delivery.next_try_at = None

    def interrupted(self, *, at: datetime) -> None:
        """Claimed and never settled: it may have gone out, so it is not sent again."""
        self._require_sending()
        self.trigger_event(self.Interrupted, timestamp=at)

    def _require_sending(self) -> None:
        if self.status != "sending":
            raise errors.DeliveryNotDue(f"delivery {self.id} is {self.status}, not sending")
