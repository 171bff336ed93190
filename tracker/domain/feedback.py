"""A feedback note: honest words given as they happen, shared with the members or kept private.

A private note is its author's journal: to anyone else it does not exist, so every refusal
to another member is the same NotFound a missing note gets.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate
from eventsourcing.utils import register_topic

from tracker.domain import errors


class FeedbackNote(Aggregate):
    class Logged(Aggregate.Created):
        alliance_id: UUID
        author_id: UUID
        text: str
        valence: str
        visibility: str
        term_id: UUID | None
        term_version: int | None

    def __init__(
        self,
        alliance_id: UUID,
        author_id: UUID,
        text: str,
        valence: str,
        visibility: str,
        term_id: UUID | None,
        term_version: int | None,
    ) -> None:
        self.alliance_id = alliance_id
        self.author_id = author_id
        self.text = text
        self.valence = valence
        self.visibility = visibility
        self.term_id = term_id
        self.term_version = term_version
        self.retracted = False

    @classmethod
    def log(
        cls,
        *,
        alliance_id: UUID,
        author_id: UUID,
        text: str,
        valence: str,
        visibility: str,
        term_id: UUID | None,
        term_version: int | None,
        at: datetime,
    ) -> FeedbackNote:
        return cls._create(
            cls.Logged,
            id=uuid4(),
            timestamp=at,
            alliance_id=alliance_id,
            author_id=author_id,
            text=text,
            valence=valence,
            visibility=visibility,
            term_id=term_id,
            term_version=term_version,
        )

    def visible_to(self, member: UUID) -> bool:
        return self.visibility == "shared" or member == self.author_id

    def _require_visible(self, member: UUID) -> None:
        if not self.visible_to(member):
            raise errors.FeedbackNotFound(self.id)

    class Replied(Aggregate.Event):
        by: UUID
        reply: str

    def reply(self, member: UUID, reply: str, *, at: datetime) -> None:
        self._require_visible(member)
        if self.retracted:
            raise errors.NoteRetracted(f"feedback note {self.id} was retracted")
        self.trigger_event(self.Replied, timestamp=at, by=member, reply=reply)

    class Shared(Aggregate.Event):
        by: UUID

        def apply(self, note: FeedbackNote) -> None:
            note.visibility = "shared"

    def share(self, member: UUID, *, at: datetime) -> None:
        self._require_visible(member)
        if member != self.author_id:
            raise errors.NotAuthor("only the author may share a note")
        if self.retracted:
            raise errors.NoteRetracted(f"feedback note {self.id} was retracted")
        if self.visibility == "shared":
            raise errors.NoteAlreadyShared(f"feedback note {self.id} is already shared")
        self.trigger_event(self.Shared, timestamp=at, by=member)

    class Retracted(Aggregate.Event):
        by: UUID

        def apply(self, note: FeedbackNote) -> None:
            note.retracted = True

    def retract(self, member: UUID, *, at: datetime) -> None:
        self._require_visible(member)
        if member != self.author_id:
            raise errors.NotAuthor("only the author may retract a note")
        if self.retracted:
            raise errors.NoteRetracted(f"feedback note {self.id} was already retracted")
        self.trigger_event(self.Retracted, timestamp=at, by=member)


# Replies were recorded as FeedbackNote.Acknowledged until the word was made one: a reply.
register_topic("tracker.domain.feedback:FeedbackNote.Acknowledged", FeedbackNote.Replied)
