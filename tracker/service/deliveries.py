"""Commands on what the scheduler sends and suggests: queuing the mails and webhook call of a
prompt or an alert and recording each attempt and its outcome, suggesting a redesign; members choose
whether they are mailed (and the zone they read times in), where the webhook is, and how
often the agreement is reviewed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from tracker import ids, schemas, webhook_address
from tracker.domain import errors
from tracker.domain.account import Account
from tracker.domain.alert import Alert
from tracker.domain.alliance import Alliance
from tracker.domain.checkin import CheckIn
from tracker.domain.delivery import Delivery
from tracker.service.runner import CommandResult, CommandRunner, Outcome

Payload = Mapping[str, Any]


class DeliveryCommands(CommandRunner):
    def queue_checkin_deliveries(self, checkin_id: UUID, *, mail: bool = True) -> CommandResult:
        """A mail to each member still in the alliance who has not turned prompts off (when
        there is a mail server), and a call to the alliance's webhook if it has one: recorded
        with the check-in, once."""

        def command() -> Outcome:
            checkin = self.load(CheckIn, checkin_id, errors.CheckInNotFound(checkin_id))
            missing = errors.AllianceNotFound(checkin.alliance_id)
            alliance = self.load(Alliance, checkin.alliance_id, missing, changing=False)
            now = self.clock.now()
            deliveries = []
            for member in checkin.expected:
                if member not in alliance.members:
                    continue
                account = self.load(
                    Account, UUID(member), errors.AccountNotFound(member), changing=False
                )
                if mail and account.checkin_mail:
                    deliveries.append(self._queue(checkin, "email", account.email, account.id))
            if alliance.webhook_url:
                deliveries.append(self._queue(checkin, "webhook", alliance.webhook_url, None))
            checkin.deliveries_recorded(len(deliveries), at=now)
            return Outcome([checkin, *deliveries])

        return self.run(command)

    def queue_alert_deliveries(self, alert_id: UUID, *, mail: bool = True) -> CommandResult:
        """A mail to each member who has not turned alert mails off (when there is a mail
        server), and a call to the alliance's webhook if it has one: recorded with the alert,
        once."""

        def command() -> Outcome:
            alert = self.load(Alert, alert_id, errors.AlertNotFound(alert_id))
            missing = errors.AllianceNotFound(alert.alliance_id)
            alliance = self.load(Alliance, alert.alliance_id, missing, changing=False)
            deliveries = []
            for member in sorted(alliance.members):
                account = self.load(
                    Account, UUID(member), errors.AccountNotFound(member), changing=False
                )
                if mail and account.alert_mail:
                    deliveries.append(self._queue(alert, "email", account.email, account.id))
            if alliance.webhook_url:
                deliveries.append(self._queue(alert, "webhook", alliance.webhook_url, None))
            alert.deliveries_recorded(len(deliveries), at=self.clock.now())
            return Outcome([alert, *deliveries])

        return self.run(command)

    def queue_digest(self, account_id: UUID, week: date) -> CommandResult:
        """The weekly digest of the week beginning on Monday ``week``, to an account that
        chose it: once (its id is the account's and the week's), AlreadyQueued after."""

        def command() -> Outcome:
            account = self.load(
                Account, account_id, errors.AccountNotFound(account_id), changing=False
            )
            if not account.digest_mail:
                raise errors.InvalidInput({"digest": ["this account has not chosen the digest"]})
            digest = ids.digest_id(account_id, week)
            delivery = ids.delivery_id(digest, "email", account.email)
            missing = errors.DeliveryNotFound(delivery)
            try:
                self.load(Delivery, delivery, missing, changing=False)
            except errors.DeliveryNotFound:
                pass
            else:
                raise errors.AlreadyQueued(f"the digest of {week} is queued already")
            queued = Delivery.queue(
                alliance_id=None,
                subject="digest",
                subject_id=digest,
                channel="email",
                recipient=account.email,
                member_id=account.id,
                at=self.clock.now(),
            )
            return Outcome([queued], {"delivery_id": queued.id})

        return self.run(command)

    def _queue(
        self, subject: CheckIn | Alert, channel: str, recipient: str, member: UUID | None
    ) -> Delivery:
        return Delivery.queue(
            alliance_id=subject.alliance_id,
            subject="checkin" if isinstance(subject, CheckIn) else "alert",
            subject_id=subject.id,
            channel=channel,
            recipient=recipient,
            member_id=member,
            at=self.clock.now(),
        )

    def claim_delivery(self, delivery_id: UUID) -> CommandResult:
        return self._delivery(delivery_id, lambda d: d.claim(at=self.clock.now()))

    def delivery_sent(self, delivery_id: UUID) -> CommandResult:
        return self._delivery(delivery_id, lambda d: d.succeeded(at=self.clock.now()))

    def delivery_failed(
        self, delivery_id: UUID, error: str, *, give_up: bool = False
    ) -> CommandResult:
        return self._delivery(
            delivery_id, lambda d: d.failed(error, at=self.clock.now(), give_up=give_up)
        )

    def delivery_interrupted(self, delivery_id: UUID) -> CommandResult:
        return self._delivery(delivery_id, lambda d: d.interrupted(at=self.clock.now()))

    def _delivery(self, delivery_id: UUID, change: Any) -> CommandResult:
        def command() -> Outcome:
            delivery = self.load(Delivery, delivery_id, errors.DeliveryNotFound(delivery_id))
            change(delivery)
            return Outcome([delivery])

        return self.run(command)

    # --- prompting a redesign ---------------------------------------------------------

    def set_review_cadence(self, actor: UUID, alliance_id: UUID, payload: Payload) -> CommandResult:
        data = schemas.load(schemas.SetReviewCadenceSchema, payload)

        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor)
            alliance.set_review_cadence(actor, data["every_months"], at=self.clock.now())
            return Outcome([alliance])

        return self.run(command)

    def suggest_redesign(self, alliance_id: UUID, key: str, reason: str) -> CommandResult:
        """The scheduler's command: prompt the members to open a redesign, once per cause."""

        def command() -> Outcome:
            missing = errors.AllianceNotFound(alliance_id)
            alliance = self.load(Alliance, alliance_id, missing)
            alliance.suggest_redesign(key, reason, at=self.clock.now())
            return Outcome([alliance])

        return self.run(command)

    # --- what members choose ----------------------------------------------------------

    def rotate_calendar_key(self, actor: UUID, alliance_id: UUID) -> CommandResult:
        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor)
            alliance.rotate_calendar_key(actor, at=self.clock.now())
            return Outcome([alliance])

        return self.run(command)

    def set_webhook(self, actor: UUID, alliance_id: UUID, payload: Payload) -> CommandResult:
        data = schemas.load(schemas.SetWebhookSchema, payload)
        refused = (
            None
            if self.webhook_private_allowed or data["url"] is None
            else webhook_address.written_out_refusal(data["url"])
        )
        if refused is not None:
            raise errors.InvalidInput({"url": [f"cannot be called: {refused}"]})

        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor)
            alliance.set_webhook(actor, data["url"], data["format"], at=self.clock.now())
            return Outcome([alliance])

        return self.run(command)

    def choose_time_zone(self, actor: UUID, payload: Payload) -> CommandResult:
        """The zone the person reads every time in, across their alliances."""
        data = schemas.load(schemas.TimeZoneSchema, payload)

        def command() -> Outcome:
            account = self.account(actor)
            account.choose_time_zone(data["zone"], at=self.clock.now())
            return Outcome([account])

        return self.run(command)

    def choose_mail(self, actor: UUID, payload: Payload) -> CommandResult:
        """Whether the person is sent one kind of mail (vocabulary.MAIL_KINDS), in every
        alliance; choosing what already holds records nothing."""
        data = schemas.load(schemas.MailChoiceSchema, payload)

        def command() -> Outcome:
            account = self.account(actor)
            if getattr(account, f"{data['kind']}_mail") == data["enabled"]:
                return Outcome([])
            account.choose_mail(data["kind"], data["enabled"], at=self.clock.now())
            return Outcome([account])

        return self.run(command)
