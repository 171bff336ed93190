"""Commands on commitments: a member records one from a check-in, a resolved conflict or the
open redesign; its owner answers for it at a later check-in.

A commitment is its own aggregate, like a note: making one reads the alliance and its
source, and never contends with the alliance's own writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from tracker import schemas
from tracker.domain import errors
from tracker.domain.alliance import Alliance
from tracker.domain.checkin import CheckIn
from tracker.domain.commitment import Commitment
from tracker.domain.conflict import ConflictReport
from tracker.service.runner import CommandResult, CommandRunner, Outcome

Payload = Mapping[str, Any]

# A day is read in the zone of whoever reads it, so "today" is today somewhere: in the zone
# furthest behind UTC, twelve hours (Baker Island); two years ahead is as far as anyone
# plans a step.
_EARLIEST_ZONE = timedelta(hours=12)
_FURTHEST = timedelta(days=2 * 365)


class CommitmentCommands(CommandRunner):
    def make_commitment(self, actor: UUID, alliance_id: UUID, payload: Payload) -> CommandResult:
        data = schemas.load(schemas.MakeCommitmentSchema, payload)
        self._refuse_far_date("due_on", data["due_on"])

        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor, changing=False)
            if alliance.status != "active":
                raise errors.AllianceEnded(f"alliance {alliance_id} has ended")
            owner = data["owner_id"]
            if str(owner) not in alliance.members:
                raise errors.InvalidInput({"owner_id": ["must be a member of this alliance"]})
            term_id = data["term_id"]
            if term_id is not None:
                term = alliance.terms.get(str(term_id))
                if term is None:
                    raise errors.TermNotFound(term_id)
                if term["status"] != "in_force":
                    raise errors.TermRetired("a commitment serves a term in force")
            self._check_source(alliance, data["source"], data["source_id"])
            commitment = Commitment.make(
                alliance_id=alliance_id,
                what=data["what"],
                owner_id=owner,
                due_on=data["due_on"],
                term_id=term_id,
                source=data["source"],
                source_id=data["source_id"],
                made_by=actor,
                at=self.clock.now(),
            )
            return Outcome([commitment], {"commitment_id": commitment.id})

        return self.run(command)

    def review_commitment(
        self, actor: UUID, alliance_id: UUID, commitment_id: UUID, payload: Payload
    ) -> CommandResult:
        data = schemas.load(schemas.ReviewCommitmentSchema, payload)
        if data["carried_to"] is not None:
            self._refuse_far_date("carried_to", data["carried_to"])

        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor, changing=False)
            if alliance.status != "active":
                raise errors.AllianceEnded(f"alliance {alliance_id} has ended")
            commitment = self.load(
                Commitment, commitment_id, errors.CommitmentNotFound(commitment_id)
            )
            if commitment.alliance_id != alliance_id:
                raise errors.CommitmentNotFound(commitment_id)
            checkin = self._checkin_of(alliance_id, data["checkin_id"])
            now = self.clock.now()
            # Until its window closes, as its answers are: a check-in every member has
            # answered is complete, and its commitments may still be answered for.
            if checkin.status == "missed" or now >= checkin.closes_at:
                raise errors.CheckInClosed(
                    "a commitment is answered for in a check-in while it is open"
                )
            commitment.review(
                actor,
                checkin_id=checkin.id,
                # When it was opened, to the microsecond: a check-in started by hand has its
                # slot cut to the second, which a commitment of that same second would follow.
                checkin_opened=checkin.created_on,
                outcome=data["outcome"],
                carried_to=data["carried_to"],
                at=now,
            )
            return Outcome([commitment])

        return self.run(command)

    def _check_source(self, alliance: Alliance, source: str, source_id: UUID) -> None:
        if source == "checkin":
            self._checkin_of(alliance.id, source_id)
        elif source == "conflict":
            missing = errors.ConflictReportNotFound(source_id)
            report = self.load(ConflictReport, source_id, missing, changing=False)
            if report.alliance_id != alliance.id:
                raise missing
            if report.status != "resolved":
                raise errors.ConflictNotResolved(
                    "a commitment is made from a conflict's resolution: resolve it first"
                )
        elif (alliance.redesign or {}).get("redesign_id") != str(source_id):
            raise errors.NoOpenRedesign(
                f"redesign {source_id} is not this alliance's open one: a commitment is made "
                "in the redesign while it is open"
            )

    def _checkin_of(self, alliance_id: UUID, checkin_id: UUID) -> CheckIn:
        missing = errors.CheckInNotFound(checkin_id)
        checkin = self.load(CheckIn, checkin_id, missing, changing=False)
        if checkin.alliance_id != alliance_id:
            raise missing
        return checkin

    def _refuse_far_date(self, name: str, day: date) -> None:
        now = self.clock.now()
        if not (now - _EARLIEST_ZONE).date() <= day <= (now + _FURTHEST).date():
            raise errors.InvalidInput({name: ["must be from today to two years ahead"]})
