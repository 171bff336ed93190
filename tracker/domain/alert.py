"""An alert: one rule of tracker.domain.alert_rules met by one cause in one alliance (this
check-in's ratings, that conflict's age), carrying the numbers and the records that made it
fire. Its id comes from the alliance, the rule and the cause, so a second scheduler, a
restart or a pass over views rebuilt meanwhile finds it raised already: the event store
refuses a second first event for one id.

Any member acknowledges it (seen), snoozes it until a day (out of the way until then), or
resolves it with a note (dealt with); it is open until resolved.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from tracker import ids
from tracker.domain import errors


class Alert(Aggregate):
    class Raised(Aggregate.Created):
        alliance_id: UUID
        rule: str  # a key of alert_rules.RULES
        cause: str  # what met it, as the rule names it
        threshold: int  # the one in force when it fired
        numbers: dict[str, Any]  # the readings that met the rule
        evidence: list[str]  # the ids of the records behind them
        summary: str  # the alert in words, as members read it

    def __init__(
        self,
        alliance_id: UUID,
        rule: str,
        cause: str,
        threshold: int,
        numbers: dict[str, Any],
        evidence: list[str],
        summary: str,
    ) -> None:
        self.alliance_id = alliance_id
        self.rule = rule
        self.cause = cause
        self.threshold = threshold
        self.numbers = numbers
        self.evidence = evidence
        self.summary = summary
        self.resolved = False
        self.deliveries_queued = False

    @classmethod
    def raise_for(
        cls,
        *,
        alliance_id: UUID,
        rule: str,
        cause: str,
        threshold: int,
        numbers: dict[str, Any],
        evidence: list[str],
        summary: str,
        at: datetime,
    ) -> Alert:
        return cls._create(
            cls.Raised,
            id=ids.alert_id(alliance_id, rule, cause),
            timestamp=at,
            alliance_id=alliance_id,
            rule=rule,
            cause=cause,
            threshold=threshold,
            numbers=numbers,
            evidence=evidence,
            summary=summary,
        )

    class Acknowledged(Aggregate.Event):
        by: UUID

    class Snoozed(Aggregate.Event):
        by: UUID
        until: str  # an ISO date: out of the way until that day begins

    class Resolved(Aggregate.Event):
        by: UUID
        note: str

        def apply(self, alert: Alert) -> None:
            alert.resolved = True

    def acknowledge(self, actor: UUID, *, at: datetime) -> None:
        self._require_open()
        self.trigger_event(self.Acknowledged, timestamp=at, by=actor)

    def snooze(self, actor: UUID, until: date, *, at: datetime) -> None:
        self._require_open()
        self.trigger_event(self.Snoozed, timestamp=at, by=actor, until=until.isoformat())

    def resolve(self, actor: UUID, note: str, *, at: datetime) -> None:
        self._require_open()
        self.trigger_event(self.Resolved, timestamp=at, by=actor, note=note)

    class DeliveriesQueued(Aggregate.Event):
        count: int

        def apply(self, alert: Alert) -> None:
            alert.deliveries_queued = True

    def deliveries_recorded(self, count: int, *, at: datetime) -> None:
        """Its mails and webhook call are queued, once."""
        if self.deliveries_queued:
            raise errors.AlreadyQueued(f"alert {self.id} has its deliveries queued")
        self.trigger_event(self.DeliveriesQueued, timestamp=at, count=count)

    def _require_open(self) -> None:
        if self.resolved:
            raise errors.AlertResolved("this alert is resolved already")
