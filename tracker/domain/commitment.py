"""A commitment: what one member will do and by when, made in a check-in, from a conflict's
resolution or in a redesign, optionally for a term it serves; and answered for by its owner
at each check-in after it, until it is done or not done. Carried over, it stays open with a
new date.

The date is a calendar day, as people say "by Friday": it is read in the zone of whoever
reads it, and a commitment is overdue once that day has passed there.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate

from tracker.domain import errors


class Commitment(Aggregate):
    class Made(Aggregate.Created):
        alliance_id: UUID
        what: str
        owner_id: UUID
        due_on: str  # an ISO date
        term_id: UUID | None
        source: str  # one of COMMITMENT_SOURCES
        source_id: UUID
        made_by: UUID

    def __init__(
        self,
        alliance_id: UUID,
        what: str,
        owner_id: UUID,
        due_on: str,
        term_id: UUID | None,
        source: str,
        source_id: UUID,
        made_by: UUID,
    ) -> None:
        self.alliance_id = alliance_id
        self.what = what
        self.owner_id = owner_id
        self.due_on = due_on
        self.term_id = term_id
        self.source = source
        self.source_id = source_id
        self.made_by = made_by
        self.status = "open"
        self.reviewed_in: list[str] = []  # the check-ins it was answered for in

    @classmethod
    def make(
        cls,
        *,
        alliance_id: UUID,
        what: str,
        owner_id: UUID,
        due_on: date,
        term_id: UUID | None,
        source: str,
        source_id: UUID,
        made_by: UUID,
        at: datetime,
    ) -> Commitment:
        return cls._create(
            cls.Made,
            id=uuid4(),
            timestamp=at,
            alliance_id=alliance_id,
            what=what,
            owner_id=owner_id,
            due_on=due_on.isoformat(),
            term_id=term_id,
            source=source,
            source_id=source_id,
            made_by=made_by,
        )

    class Reviewed(Aggregate.Event):
        checkin_id: UUID
        outcome: str  # one of COMMITMENT_OUTCOMES
        carried_to: str | None  # the new date of one carried over
        by: UUID

        def apply(self, commitment: Commitment) -> None:
            commitment.reviewed_in.append(str(self.checkin_id))
            if self.outcome == "carried_over":
                assert self.carried_to is not None
                commitment.due_on = self.carried_to
            else:
                commitment.status = self.outcome

    def review(
        self,
        actor: UUID,
        *,
        checkin_id: UUID,
        checkin_opened: datetime,
        outcome: str,
        carried_to: date | None,
        at: datetime,
    ) -> None:
        if actor != self.owner_id:
            raise errors.NotCommitmentOwner("only its owner answers for a commitment")
        if self.status != "open":
            raise errors.CommitmentNotOpen(f"this commitment is already {_said(self.status)}")
        if checkin_opened <= self.created_on:
            raise errors.NotTheNextCheckIn(
                "a commitment is answered for at a check-in that opened after it was made"
            )
        if str(checkin_id) in self.reviewed_in:
            raise errors.AlreadyReviewedHere("you have answered for it in this check-in already")
        if (outcome == "carried_over") != (carried_to is not None):
            said = (
                "a new date is needed to carry it over"
                if carried_to is None
                else "only a commitment carried over takes a new date"
            )
            raise errors.InvalidInput({"carried_to": [said]})
        self.trigger_event(
            self.Reviewed,
            timestamp=at,
            checkin_id=checkin_id,
            outcome=outcome,
            carried_to=carried_to.isoformat() if carried_to else None,
            by=actor,
        )


def _said(status: str) -> str:
    return "not done" if status == "not_done" else status
