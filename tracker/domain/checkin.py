"""One occurrence of the agreed rhythm: a prompt, each member's sealed answers, then the reveal.

Answers stay sealed until every expected member has answered or the window closes. The
aggregate holds them all; who may read which is decided where they are read, by the check-in
reader (projections.readers.checkins): one's own answer always, the others' once revealed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from tracker import ids
from tracker.domain import errors
from tracker.domain.vocabulary import QUESTION_IDS, question_id

LONGEST_OPEN = timedelta(days=7)  # the longest a check-in stays open for answers


def closing_time(opened: datetime, following: datetime | None) -> datetime:
    """A check-in stays open until the rhythm's next slot opens, and at most LONGEST_OPEN."""
    longest = opened + LONGEST_OPEN
    return min(following, longest) if following is not None else longest


class CheckIn(Aggregate):
    deliveries_queued: bool = False  # the default for check-ins recorded before deliveries

    class Prompted(Aggregate.Created):
        alliance_id: UUID
        slot: datetime
        closes_at: datetime
        questions: list[dict[str, str]]  # each its id and its wording
        expected: list[UUID]
        scheduled: bool  # by the agreed rhythm, or started by a member there and then

        class_version = 3

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["scheduled"] = True  # before members could start one, the scheduler did

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            # Questions were their wording alone.
            state["questions"] = [
                {"id": question_id(text, n), "text": text}
                for n, text in enumerate(state["questions"])
            ]

    def __init__(
        self,
        alliance_id: UUID,
        slot: datetime,
        closes_at: datetime,
        questions: list[dict[str, str]],
        expected: list[UUID],
        scheduled: bool,
    ) -> None:
        self.alliance_id = alliance_id
        self.scheduled = scheduled
        self.slot = slot
        self.closes_at = closes_at
        self.questions = [dict(question) for question in questions]
        self.expected = [str(member) for member in expected]
        self.responses: dict[str, dict[str, Any]] = {}
        self.status = "open"

    @classmethod
    def prompt(
        cls,
        *,
        alliance_id: UUID,
        slot: datetime,
        closes_at: datetime,
        questions: list[dict[str, str]],
        expected: list[UUID],
        at: datetime,
        scheduled: bool = True,
    ) -> CheckIn:
        return cls._create(
            cls.Prompted,
            id=ids.checkin_id(alliance_id, slot),
            timestamp=at,
            alliance_id=alliance_id,
            slot=slot,
            closes_at=closes_at,
            questions=questions,
            expected=expected,
            scheduled=scheduled,
        )

    class Responded(Aggregate.Event):
        member_id: UUID
        answers: dict[str, str]  # by question id
        ratings: dict[str, int]

        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Answers were keyed by the question's wording; every check-in then asked the
            # built-in questions.
            state["answers"] = {
                QUESTION_IDS.get(question, question): answer
                for question, answer in state["answers"].items()
            }

        def apply(self, checkin: CheckIn) -> None:
            checkin.responses[str(self.member_id)] = {
                "answers": dict(self.answers),
                "ratings": dict(self.ratings),
            }

    class Completed(Aggregate.Event):
        def apply(self, checkin: CheckIn) -> None:
            checkin.status = "completed"

    def respond(
        self, member: UUID, answers: dict[str, str], ratings: dict[str, int], *, at: datetime
    ) -> bool:
        """Records one member's answers; returns whether that completed the check-in."""
        if self.status != "open" or at >= self.closes_at:
            raise errors.CheckInClosed(f"check-in {self.id} is closed")
        if str(member) not in self.expected:
            raise errors.NotExpectedToRespond("you were not a member when this check-in opened")
        if str(member) in self.responses:
            raise errors.AlreadyResponded("you have already answered this check-in")
        unknown = sorted(set(answers) - {question["id"] for question in self.questions})
        if unknown:
            raise errors.InvalidInput(
                {"answers": [f"not a question of this check-in: {', '.join(unknown)}"]}
            )
        self.trigger_event(
            self.Responded, timestamp=at, member_id=member, answers=answers, ratings=ratings
        )
        if set(self.expected) <= set(self.responses):
            self.trigger_event(self.Completed, timestamp=at)
            return True
        return False

    class Missed(Aggregate.Event):
        def apply(self, checkin: CheckIn) -> None:
            checkin.status = "missed"

    def close(self, *, at: datetime) -> None:
        """The window has passed without every answer: reveal what there is."""
        if self.status != "open":
            raise errors.CheckInClosed(f"check-in {self.id} is already {self.status}")
        if at < self.closes_at:
            raise errors.CheckInStillOpen(f"check-in {self.id} is open until {self.closes_at}")
        self.trigger_event(self.Missed, timestamp=at)

    class DeliveriesQueued(Aggregate.Event):
        count: int

        def apply(self, checkin: CheckIn) -> None:
            checkin.deliveries_queued = True

    def deliveries_recorded(self, count: int, *, at: datetime) -> None:
        """Its prompt's mails and webhook calls are queued, once."""
        if self.deliveries_queued:
            raise errors.AlreadyQueued(f"check-in {self.id} has its deliveries queued")
        self.trigger_event(self.DeliveriesQueued, timestamp=at, count=count)
