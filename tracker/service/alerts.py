"""Commands on alerts: the scheduler raises one for each cause a rule meets; any member
acknowledges, snoozes or resolves it; members set their alliance's rules.

An alert is its own aggregate, as a note is, so raising one never contends with the
alliance's own writes; its id comes from its cause, so it is raised once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from uuid import UUID

from tracker import ids, schemas
from tracker.domain import errors
from tracker.domain.alert import Alert
from tracker.domain.alliance import Alliance
from tracker.service.runner import CommandResult, CommandRunner, Outcome

Payload = Mapping[str, Any]

_SNOOZE_LONGEST = timedelta(days=365)
_EARLIEST_ZONE = timedelta(hours=12)  # "tomorrow" somewhere: see tracker.service.commitments


class AlertCommands(CommandRunner):
    def raise_alert(
        self,
        alliance_id: UUID,
        *,
        rule: str,
        cause: str,
        threshold: int,
        numbers: dict[str, Any],
        evidence: list[str],
        summary: str,
    ) -> CommandResult:
        """The scheduler's: AlreadyRaised when this cause has raised it before."""

        def command() -> Outcome:
            alliance = self.load(Alliance, alliance_id, errors.AllianceNotFound(alliance_id))
            if alliance.status != "active":
                raise errors.AllianceEnded(f"alliance {alliance_id} has ended")
            if self._exists(ids.alert_id(alliance_id, rule, cause)):
                raise errors.AlreadyRaised(f"the {rule} alert for {cause} is raised already")
            alert = Alert.raise_for(
                alliance_id=alliance_id,
                rule=rule,
                cause=cause,
                threshold=threshold,
                numbers=numbers,
                evidence=evidence,
                summary=summary,
                at=self.clock.now(),
            )
            return Outcome([alert], {"alert_id": alert.id})

        return self.run(command)

    def acknowledge_alert(self, actor: UUID, alliance_id: UUID, alert: UUID) -> CommandResult:
        def command() -> Outcome:
            found = self._alert(actor, alliance_id, alert)
            found.acknowledge(actor, at=self.clock.now())
            return Outcome([found])

        return self.run(command)

    def snooze_alert(
        self, actor: UUID, alliance_id: UUID, alert: UUID, payload: Payload
    ) -> CommandResult:
        data = schemas.load(schemas.SnoozeAlertSchema, payload)
        now = self.clock.now()
        if not (now - _EARLIEST_ZONE).date() < data["until"] <= (now + _SNOOZE_LONGEST).date():
            raise errors.InvalidInput({"until": ["must be from tomorrow to a year ahead"]})

        def command() -> Outcome:
            found = self._alert(actor, alliance_id, alert)
            found.snooze(actor, data["until"], at=self.clock.now())
            return Outcome([found])

        return self.run(command)

    def resolve_alert(
        self, actor: UUID, alliance_id: UUID, alert: UUID, payload: Payload
    ) -> CommandResult:
        data = schemas.load(schemas.ResolveAlertSchema, payload)

        def command() -> Outcome:
            found = self._alert(actor, alliance_id, alert)
            found.resolve(actor, data["note"], at=self.clock.now())
            return Outcome([found])

        return self.run(command)

    def set_alert_rule(
        self, actor: UUID, alliance_id: UUID, rule: str, payload: Payload
    ) -> CommandResult:
        data = schemas.load(schemas.SetAlertRuleSchema, payload)

        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor)
            if alliance.status != "active":
                raise errors.AllianceEnded(f"alliance {alliance_id} has ended")
            alliance.set_alert_rule(
                actor,
                rule,
                enabled=data["enabled"],
                threshold=data["threshold"],
                at=self.clock.now(),
            )
            return Outcome([alliance] if alliance.pending_events else [])

        return self.run(command)

    def _alert(self, actor: UUID, alliance_id: UUID, alert: UUID) -> Alert:
        alliance = self.alliance(alliance_id, actor, changing=False)
        if alliance.status != "active":
            raise errors.AllianceEnded(f"alliance {alliance_id} has ended")
        found = self.load(Alert, alert, errors.AlertNotFound(alert))
        if found.alliance_id != alliance_id:
            raise errors.AlertNotFound(alert)
        return found

    def _exists(self, aggregate_id: UUID) -> bool:
        try:
            self.load(Alert, aggregate_id, errors.AlertNotFound(aggregate_id), changing=False)
        except errors.AlertNotFound:
            return False
        return True
