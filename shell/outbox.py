"""The scheduler's delivery passes: queue each new prompt's mails and webhook call, send what
is due, and settle what a stopped sender left half-done.

Every send is claimed in the log first and settled after, so a failed mail or webhook never
loses the check-in (the prompt is recorded before anything is sent), a failure is retried
with backoff (see domain.delivery), and a restart never sends twice: a claim found unsettled
is marked uncertain, not sent again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from delivery import letters, unsubscribe, webhook, webhook_bodies
from delivery.mail import Mailer
from tracker.clock import readable
from tracker.domain import errors

if TYPE_CHECKING:
    from projections.catchup import CatchUpEngine
    from projections.readers.background import BackgroundReader
    from shell.bootstrap import Tracker
    from shell.settings import Settings
    from tracker.service import TrackerService

log = logging.getLogger(__name__)

# A send that has not settled this long after its claim was interrupted: mail and webhook
# calls time out after 10 s each.
STUCK_AFTER = timedelta(minutes=10)


@dataclass
class Deliveries:
    """What one delivery pass did."""

    queued: int = 0
    sent: list[UUID] = field(default_factory=list)
    failed: list[UUID] = field(default_factory=list)
    uncertain: list[UUID] = field(default_factory=list)


class Outbox:
    """Sends what the views say is due, with the parts it uses: the service that records
    each outcome, the background reads, the engine to wait on, the settings for links and
    signatures, and the mail channel."""

    def __init__(
        self,
        service: TrackerService,
        reads: BackgroundReader,
        engine: CatchUpEngine,
        settings: Settings,
        mailer: Mailer | None,
    ) -> None:
        self.service, self.reads, self.engine = service, reads, engine
        self.settings, self.mailer = settings, mailer

    @classmethod
    def for_tracker(cls, tracker: Tracker) -> Outbox:
        url = tracker.settings.smtp_url
        mailer = Mailer.from_url(url) if url else None
        return cls(tracker.service, tracker.queries, tracker.engine, tracker.settings, mailer)

    def run(self, now: datetime) -> Deliveries:
        done = Deliveries()
        service, queries = self.service, self.reads
        for row in queries.stuck_deliveries(now - STUCK_AFTER):
            try:
                service.delivery_interrupted(UUID(row["delivery_id"]))
                done.uncertain.append(UUID(row["delivery_id"]))
            except (errors.DeliveryNotDue, errors.ConcurrentWrite):
                pass  # settled meanwhile
        last = 0
        for row in queries.undelivered_checkins():
            try:
                result = service.queue_checkin_deliveries(
                    UUID(row["checkin_id"]), mail=self.mailer is not None
                )
            except (errors.AlreadyQueued, errors.ConcurrentWrite):
                continue
            done.queued += 1
            last = result.notification_id
        try:
            self.engine.wait_for(last, timeout=5)  # so this pass sends what it queued
        except TimeoutError:
            log.warning("the views are behind; what was just queued is sent at the next pass")
        for row in queries.due_deliveries(now):
            self._send(row, done)
        return done

    def _send(self, row: dict[str, Any], done: Deliveries) -> None:
        delivery_id = UUID(row["delivery_id"])
        service = self.service
        try:
            service.claim_delivery(delivery_id)
        except (errors.DeliveryNotDue, errors.ConcurrentWrite):
            return  # another scheduler has it, or the views were a step behind
        try:
            if row["status_of_checkin"] != "open":
                raise GiveUp("the check-in closed before its prompt could be sent")
            if row["channel"] == "email":
                self._mail(row)
            else:
                self._call(row)
        except Exception as failure:  # noqa: BLE001  (whatever went wrong is recorded)
            log.warning("delivery %s by %s failed: %s", delivery_id, row["channel"], failure)
            said = _said_of(failure)
            final = isinstance(failure, GiveUp | webhook.WebhookRefused)
            self._settle(lambda: service.delivery_failed(delivery_id, said, give_up=final))
            done.failed.append(delivery_id)
            return
        self._settle(lambda: service.delivery_sent(delivery_id))
        done.sent.append(delivery_id)

    def _settle(self, record: Any) -> None:
        """Recording the outcome can be refused (another scheduler found the claim stuck and
        marked it uncertain); that must not stop the pass."""
        try:
            record()
        except (errors.DeliveryNotDue, errors.ConcurrentWrite) as refused:
            log.warning("the outcome of a delivery was not recorded: %s", refused)

    def _link(self, row: dict[str, Any]) -> str:
        base = self.settings.base_url
        return f"{base}/alliances/{row['alliance_id']}/checkins#checkin-{row['subject_id']}"

    def _mail(self, row: dict[str, Any]) -> None:
        if self.mailer is None:
            raise GiveUp("no mail server is configured (TRACKER_SMTP_URL)")
        zone = row["zone"]
        link, due = self._link(row), readable(row["slot"], zone)
        until = readable(row["closes_at"], zone)
        # One click in the mail program turns these mails off (RFC 8058), with no sign-in.
        off = unsubscribe.link(
            self.settings.base_url,
            self.settings.secret_key(),
            UUID(row["member_id"]),
        )
        title = " ".join(row["title"].split())  # a mail header holds one line
        text, page = letters.render(
            "checkin_prompt",
            member_name=row["member_name"],
            title=title,
            due=due,
            until=until,
            link=link,
            off=off,
        )
        headers = {"List-Unsubscribe": f"<{off}>"}
        if off.startswith("https://"):  # RFC 8058 admits one click over HTTPS only
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        self.mailer.send(row["recipient"], f"Time to check in: {title}", text, page, headers)

    def _call(self, row: dict[str, Any]) -> None:
        if row["webhook_url"] != row["recipient"]:
            raise GiveUp("the webhook was changed or removed after this call was queued")
        key = webhook.key_of(self.settings.secret_key(), row)
        assert key is not None  # the URL matched the webhook's just above
        link, zone = self._link(row), row["zone"]
        prompt = webhook_bodies.Message(
            headline="Time to check in: {about}",
            about=" ".join(row["title"].split()),
            lines=[
                f"Due {readable(row['slot'], zone)}.",
                f"Answer by {readable(row['closes_at'], zone)}.",
            ],
            link=link,
            link_label="Check in",
            data={
                "alliance_id": row["alliance_id"],
                "checkin_id": row["subject_id"],
                "slot": row["slot"],
                "closes_at": row["closes_at"],
            },
        )
        payload = webhook_bodies.body(row["webhook_format"], prompt)
        private = self.settings.webhook_private_allowed
        webhook.call(row["recipient"], payload, key, private_allowed=private)


class GiveUp(Exception):
    """A delivery that no retry could help."""


def _said_of(failure: Exception) -> str:
    if isinstance(failure, GiveUp | webhook.WebhookError):
        return str(failure)
    return f"{type(failure).__name__}: {failure}"[:300]
