"""The scheduler's delivery passes: queue the mails and webhook call of each new prompt and
each new alert, and each weekly digest when its Monday morning comes; send what is due, and
settle what a stopped sender left half-done.

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
from projections.attention.queue import AttentionQueue, Narrowed
from shell import digest
from tracker import ids
from tracker.clock import readable
from tracker.domain import errors
from tracker.domain.alert_rules import title_of

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
        attention: AttentionQueue,
    ) -> None:
        self.service, self.reads, self.engine = service, reads, engine
        self.settings, self.mailer, self.attention = settings, mailer, attention

    @classmethod
    def for_tracker(cls, tracker: Tracker) -> Outbox:
        url = tracker.settings.smtp_url
        mailer = Mailer.from_url(url) if url else None
        return cls(
            tracker.service,
            tracker.queries,
            tracker.engine,
            tracker.settings,
            mailer,
            tracker.attention,
        )

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
        # New prompts and new alerts: each one's mails and webhook call, queued once.
        for undelivered, key, queue in (
            (queries.undelivered_checkins(), "checkin_id", service.queue_checkin_deliveries),
            (queries.undelivered_alerts(), "alert_id", service.queue_alert_deliveries),
        ):
            for row in undelivered:
                try:
                    result = queue(UUID(row[key]), mail=self.mailer is not None)
                except (errors.AlreadyQueued, errors.ConcurrentWrite):
                    continue
                done.queued += 1
                last = result.notification_id
        last = max(last, self._queue_digests(now, done))
        try:
            self.engine.wait_for(last, timeout=5)  # so this pass sends what it queued
        except TimeoutError:
            log.warning("the views are behind; what was just queued is sent at the next pass")
        for row in queries.due_deliveries(now):
            self._send(row, done)
        return done

    def _queue_digests(self, now: datetime, done: Deliveries) -> int:
        """Each chosen digest whose Monday morning it is in its reader's zone, once a week;
        the notification id of the last one queued (0 for none)."""
        if self.mailer is None:
            return 0  # a digest is a mail: with no mail server there is none to queue
        last = 0
        queued = self.reads.digests_queued_since(now - timedelta(days=8))
        for row in self.reads.digest_readers():
            account = UUID(row["account_id"])
            week = digest.week_due(now, row["time_zone"] or "UTC")
            if week is None or str(ids.digest_id(account, week)) in queued:
                continue
            try:
                last = self.service.queue_digest(account, week).notification_id
            except (errors.AlreadyQueued, errors.ConcurrentWrite, errors.InvalidInput):
                continue  # another scheduler queued it, or the digest was turned off
            done.queued += 1
        return last

    def _send(self, row: dict[str, Any], done: Deliveries) -> None:
        delivery_id = UUID(row["delivery_id"])
        service = self.service
        try:
            service.claim_delivery(delivery_id)
        except (errors.DeliveryNotDue, errors.ConcurrentWrite):
            return  # another scheduler has it, or the views were a step behind
        try:
            if row["status_of_subject"] != "open":
                raise GiveUp(_STOOD_DOWN[row["subject"]])
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
        base, alliance, subject = self.settings.base_url, row["alliance_id"], row["subject_id"]
        if row["subject"] == "digest":
            return f"{base}/"
        if row["subject"] == "alert":
            return f"{base}/alliances/{alliance}/alerts#alert-{subject}"
        return f"{base}/alliances/{alliance}/checkins#checkin-{subject}"

    def _mail(self, row: dict[str, Any]) -> None:
        if self.mailer is None:
            raise GiveUp("no mail server is configured (TRACKER_SMTP_URL)")
        zone, kind = row["zone"], row["subject"]
        # One click in the mail program turns this kind of mail off (RFC 8058), no sign-in.
        off = unsubscribe.link(
            self.settings.base_url, self.settings.secret_key(), UUID(row["member_id"]), kind
        )
        title = " ".join((row["title"] or "").split())  # a mail header holds one line
        said = {"member_name": row["member_name"], "title": title, "link": self._link(row)}
        if kind == "digest":
            queue = self.attention.queue(
                UUID(row["member_id"]), self.service.clock.now(), Narrowed(limit=digest.MOST)
            )
            written = digest.contents(queue, self.settings.base_url, zone)
            subject = digest.subject(written)
            text, page = letters.render("digest", **said, **written, off=off)
        elif kind == "alert":
            rule = title_of(row["rule"])
            subject = f"Alert: {rule} in {title}"
            text, page = letters.render(
                "alert_raised",
                **said,
                rule=rule,
                summary=row["summary"],
                raised=readable(row["raised_at"], zone),
                off=off,
            )
        else:
            subject = f"Time to check in: {title}"
            text, page = letters.render(
                "checkin_prompt",
                **said,
                due=readable(row["slot"], zone),
                until=readable(row["closes_at"], zone),
                off=off,
            )
        headers = {"List-Unsubscribe": f"<{off}>"}
        if off.startswith("https://"):  # RFC 8058 admits one click over HTTPS only
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        self.mailer.send(row["recipient"], subject, text, page, headers)

    def _call(self, row: dict[str, Any]) -> None:
        if row["webhook_url"] != row["recipient"]:
            raise GiveUp("the webhook was changed or removed after this call was queued")
        key = webhook.key_of(self.settings.secret_key(), row)
        assert key is not None  # the URL matched the webhook's just above
        written = _alert_message if row["subject"] == "alert" else _prompt_message
        payload = webhook_bodies.body(row["webhook_format"], written(row, self._link(row)))
        private = self.settings.webhook_private_allowed
        webhook.call(row["recipient"], payload, key, private_allowed=private)


_STOOD_DOWN = {  # a digest always stands: it says the queue as it is when it goes
    "checkin": "the check-in closed before its prompt could be sent",
    "alert": "the alert was resolved before it could be sent",
}


def _prompt_message(row: dict[str, Any], link: str) -> webhook_bodies.Message:
    zone = row["zone"]
    return webhook_bodies.Message(
        headline="Time to check in: {about}",
        about=" ".join(row["title"].split()),
        lines=[
            f"Due {readable(row['slot'], zone)}.",
            f"Answer by {readable(row['closes_at'], zone)}.",
        ],
        link=link,
        link_label="Check in",
        data={
            "event": "checkin.prompted",
            "alliance_id": row["alliance_id"],
            "checkin_id": row["subject_id"],
            "slot": row["slot"],
            "closes_at": row["closes_at"],
        },
    )


def _alert_message(row: dict[str, Any], link: str) -> webhook_bodies.Message:
    rule = title_of(row["rule"])
    return webhook_bodies.Message(
        headline=f"{rule}: {{about}}",
        about=" ".join(row["title"].split()),
        lines=[row["summary"]],  # names and a commitment's words: each format makes it safe
        link=link,
        link_label="Open the alert",
        data={
            "event": "alert.raised",
            "alliance_id": row["alliance_id"],
            "alert_id": row["subject_id"],
            "rule": row["rule"],
            "summary": row["summary"],
            "raised_at": row["raised_at"],
        },
    )


class GiveUp(Exception):
    """A delivery that no retry could help."""


def _said_of(failure: Exception) -> str:
    if isinstance(failure, GiveUp | webhook.WebhookError):
        return str(failure)
    return f"{type(failure).__name__}: {failure}"[:300]
