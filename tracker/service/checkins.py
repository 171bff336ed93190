"""Commands on check-ins: the scheduler prompts and closes them, members answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from tracker import ids, schemas
from tracker.domain import errors
from tracker.domain.alliance import Alliance
from tracker.domain.checkin import CheckIn, closing_time
from tracker.domain.vocabulary import CHECKIN_QUESTIONS
from tracker.service.runner import CommandResult, CommandRunner, Outcome

Payload = Mapping[str, Any]

# An unscheduled check-in stays open this long for every member to answer.


class CheckInCommands(CommandRunner):
    def prompt_checkin(self, alliance_id: UUID, payload: Payload) -> CommandResult:
        """The scheduler's command: one check-in per alliance and slot, however often called."""
        data = schemas.load(schemas.PromptCheckInSchema, payload)

        def command() -> Outcome:
            missing = errors.AllianceNotFound(alliance_id)
            alliance = self.load(Alliance, alliance_id, missing, changing=False)
            return self._prompt(alliance, data["slot"], data["closes_at"], scheduled=True)

        return self.run(command)

    def start_checkin_now(self, actor: UUID, alliance_id: UUID) -> CommandResult:
        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor, changing=False)
            now = self.clock.now().replace(microsecond=0)
            closes_at = closing_time(now, alliance.next_slot_after(now))
            return self._prompt(alliance, now, closes_at, scheduled=False)

        return self.run(command)

    def _prompt(self, alliance: Alliance, slot: Any, closes_at: Any, *, scheduled: bool) -> Outcome:
        if alliance.status != "active":
            raise errors.AllianceEnded(f"alliance {alliance.id} has ended")
        if ids.checkin_id(alliance.id, slot) in self.app.repository:
            raise errors.AlreadyPrompted(f"a check-in for {slot.isoformat()} already exists")
        checkin = CheckIn.prompt(
            alliance_id=alliance.id,
            slot=slot,
            closes_at=closes_at,
            questions=[{"id": key, "text": text} for key, text in CHECKIN_QUESTIONS.items()],
            expected=[UUID(member) for member in alliance.members],
            at=self.clock.now(),
            scheduled=scheduled,
        )
        return Outcome([checkin], {"checkin_id": checkin.id})

    def respond_to_checkin(
        self, actor: UUID, alliance_id: UUID, checkin_id: UUID, payload: Payload
    ) -> CommandResult:
        data = schemas.load(schemas.RespondToCheckInSchema, payload)

        def command() -> Outcome:
            self.alliance(alliance_id, actor, changing=False)
            checkin = self._checkin(alliance_id, checkin_id)
            checkin.respond(actor, data["answers"], data["ratings"], at=self.clock.now())
            return Outcome([checkin])

        return self.run(command)

    def close_checkin(self, alliance_id: UUID, checkin_id: UUID) -> CommandResult:
        """The scheduler's command once a window has passed without every answer."""

        def command() -> Outcome:
            checkin = self._checkin(alliance_id, checkin_id)
            checkin.close(at=self.clock.now())
            return Outcome([checkin])

        return self.run(command)

    def _checkin(self, alliance_id: UUID, checkin_id: UUID) -> CheckIn:
        checkin = self.load(CheckIn, checkin_id, errors.CheckInNotFound(checkin_id))
        if checkin.alliance_id != alliance_id:
            raise errors.CheckInNotFound(checkin_id)
        return checkin
