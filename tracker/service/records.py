"""Commands on what the members record as they go: feedback notes and conflict reports.

Each is its own aggregate, so logging feedback never contends with agreeing terms: the
alliance is only read, to check membership and the term version in force.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from tracker import schemas
from tracker.domain import errors
from tracker.domain.alliance import Alliance
from tracker.domain.conflict import ConflictReport
from tracker.domain.feedback import FeedbackNote
from tracker.service.runner import CommandResult, CommandRunner, Outcome

Payload = Mapping[str, Any]


class FeedbackCommands(CommandRunner):
    def log_feedback(self, actor: UUID, alliance_id: UUID, payload: Payload) -> CommandResult:
        data = schemas.load(schemas.LogFeedbackSchema, payload)

        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor, changing=False)
            term_id = data["term_id"]
            note = FeedbackNote.log(
                alliance_id=alliance_id,
                author_id=actor,
                text=data["text"],
                valence=data["valence"],
                visibility=data["visibility"],
                term_id=term_id,
                term_version=_version_cited(alliance, term_id),
                at=self.clock.now(),
            )
            return Outcome([note], {"note_id": note.id})

        return self.run(command)

    def reply_to_feedback(
        self, actor: UUID, alliance_id: UUID, note_id: UUID, payload: Payload
    ) -> CommandResult:
        data = schemas.load(schemas.ReplyToNoteSchema, payload)
        return self._on_note(
            actor,
            alliance_id,
            note_id,
            lambda note, now: note.reply(actor, data["text"], at=now),
        )

    def share_feedback(self, actor: UUID, alliance_id: UUID, note_id: UUID) -> CommandResult:
        return self._on_note(
            actor, alliance_id, note_id, lambda note, now: note.share(actor, at=now)
        )

    def retract_feedback(self, actor: UUID, alliance_id: UUID, note_id: UUID) -> CommandResult:
        return self._on_note(
            actor, alliance_id, note_id, lambda note, now: note.retract(actor, at=now)
        )

    def _on_note(
        self,
        actor: UUID,
        alliance_id: UUID,
        note_id: UUID,
        change: Callable[[FeedbackNote, datetime], object],
    ) -> CommandResult:
        def command() -> Outcome:
            self.alliance(alliance_id, actor, changing=False)
            note = self.load(FeedbackNote, note_id, errors.FeedbackNotFound(note_id))
            if note.alliance_id != alliance_id or not note.visible_to(actor):
                raise errors.FeedbackNotFound(note_id)
            change(note, self.clock.now())
            return Outcome([note])

        return self.run(command)


class ConflictCommands(CommandRunner):
    def report_conflict(self, actor: UUID, alliance_id: UUID, payload: Payload) -> CommandResult:
        data = schemas.load(schemas.ReportConflictSchema, payload)

        def command() -> Outcome:
            alliance = self.alliance(alliance_id, actor, changing=False)
            term_id = data["term_id"]
            report = ConflictReport.report(
                alliance_id=alliance_id,
                reporter_id=actor,
                description=data["description"],
                occurred_at=data["occurred_at"],
                severity=data["severity"],
                term_id=term_id,
                term_version=_version_cited(alliance, term_id),
                at=self.clock.now(),
            )
            return Outcome([report], {"conflict_id": report.id})

        return self.run(command)

    def acknowledge_conflict(
        self, actor: UUID, alliance_id: UUID, conflict_id: UUID, payload: Payload
    ) -> CommandResult:
        data = schemas.load(schemas.AcknowledgeConflictSchema, payload)

        def command() -> Outcome:
            _, report = self._report(actor, alliance_id, conflict_id)
            report.acknowledge(actor, data["note"], at=self.clock.now())
            return Outcome([report])

        return self.run(command)

    def resolve_conflict(
        self, actor: UUID, alliance_id: UUID, conflict_id: UUID, payload: Payload
    ) -> CommandResult:
        """An outcome of "redesign" opens a redesign citing the report, in the same save."""
        data = schemas.load(schemas.ResolveConflictSchema, payload)

        def command() -> Outcome:
            alliance, report = self._report(actor, alliance_id, conflict_id)
            now = self.clock.now()
            if data["outcome"] == "redesign":
                redesign_id = alliance.open_redesign(
                    actor, f"conflict: {report.description}"[:2000], at=now, conflict_id=report.id
                )
                report.resolve(
                    actor, data["resolution"], "redesign", at=now, redesign_id=redesign_id
                )
                return Outcome([report, alliance], {"redesign_id": redesign_id})
            report.resolve(actor, data["resolution"], "resolved", at=now)
            return Outcome([report])

        return self.run(command)

    def reopen_conflict(
        self, actor: UUID, alliance_id: UUID, conflict_id: UUID, payload: Payload
    ) -> CommandResult:
        data = schemas.load(schemas.ReopenConflictSchema, payload)

        def command() -> Outcome:
            _, report = self._report(actor, alliance_id, conflict_id)
            report.reopen(actor, data["reason"], at=self.clock.now())
            return Outcome([report])

        return self.run(command)

    def _report(
        self, actor: UUID, alliance_id: UUID, conflict_id: UUID
    ) -> tuple[Alliance, ConflictReport]:
        alliance = self.alliance(alliance_id, actor)
        report = self.load(ConflictReport, conflict_id, errors.ConflictReportNotFound(conflict_id))
        if report.alliance_id != alliance_id:
            raise errors.ConflictReportNotFound(conflict_id)
        return alliance, report


def _version_cited(alliance: Alliance, term_id: UUID | None) -> int | None:
    return alliance.term_version(term_id) if term_id else None
