"""A conflict report: a misstep or a breach, surfaced while it is fresh, until it is resolved."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from tracker.domain import errors


class ConflictReport(Aggregate):
    class Reported(Aggregate.Created):
        alliance_id: UUID
        reporter_id: UUID
        description: str
        occurred_at: datetime
        severity: str
        term_id: UUID | None
        term_version: int | None

    def __init__(
        self,
        alliance_id: UUID,
        reporter_id: UUID,
        description: str,
        occurred_at: datetime,
        severity: str,
        term_id: UUID | None,
        term_version: int | None,
    ) -> None:
        self.alliance_id = alliance_id
        self.reporter_id = reporter_id
        self.description = description
        self.occurred_at = occurred_at
        self.severity = severity
        self.term_id = term_id
        self.term_version = term_version
        self.status = "reported"

    @classmethod
    def report(
        cls,
        *,
        alliance_id: UUID,
        reporter_id: UUID,
        description: str,
        occurred_at: datetime,
        severity: str,
        term_id: UUID | None,
        term_version: int | None,
        at: datetime,
    ) -> ConflictReport:
        return cls._create(
            cls.Reported,
            id=uuid4(),
            timestamp=at,
            alliance_id=alliance_id,
            reporter_id=reporter_id,
            description=description,
            occurred_at=occurred_at,
            severity=severity,
            term_id=term_id,
            term_version=term_version,
        )

    @property
    def is_open(self) -> bool:
        return self.status in ("reported", "acknowledged")

    class Acknowledged(Aggregate.Event):
        by: UUID
        note: str

        def apply(self, report: ConflictReport) -> None:
            report.status = "acknowledged"

    def acknowledge(self, member: UUID, note: str, *, at: datetime) -> None:
        if member == self.reporter_id:
            raise errors.ReporterCannotAcknowledge("another member acknowledges a report")
        if self.status != "reported":
            raise errors.ConflictNotOpen(f"conflict {self.id} is {self.status}")
        self.trigger_event(self.Acknowledged, timestamp=at, by=member, note=note)

    class Resolved(Aggregate.Event):
        by: UUID
        resolution: str
        outcome: str
        redesign_id: UUID | None

        def apply(self, report: ConflictReport) -> None:
            report.status = "resolved"

    def resolve(
        self,
        member: UUID,
        resolution: str,
        outcome: str,
        *,
        at: datetime,
        redesign_id: UUID | None = None,
    ) -> None:
        if not self.is_open:
            raise errors.ConflictNotOpen(f"conflict {self.id} is already {self.status}")
        self.trigger_event(
            self.Resolved,
            timestamp=at,
            by=member,
            resolution=resolution,
            outcome=outcome,
            redesign_id=redesign_id,
        )

    class Reopened(Aggregate.Event):
        by: UUID
        reason: str

        def apply(self, report: ConflictReport) -> None:
            report.status = "reported"

    def reopen(self, member: UUID, reason: str, *, at: datetime) -> None:
        if self.status != "resolved":
            raise errors.ConflictNotResolved(f"conflict {self.id} is not resolved")
        self.trigger_event(self.Reopened, timestamp=at, by=member, reason=reason)
