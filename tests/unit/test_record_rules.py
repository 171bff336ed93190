"""Rules of feedback notes, conflict reports and check-ins, shown refusing; no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from tracker import ids
from tracker.domain import errors
from tracker.domain.checkin import CheckIn
from tracker.domain.conflict import ConflictReport
from tracker.domain.feedback import FeedbackNote
from tracker.domain.vocabulary import CHECKIN_QUESTIONS

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
ALLIANCE = uuid4()
ANA = ids.account_id("ana@example.org")
BEN = ids.account_id("ben@example.org")
RATINGS = {"relationship": 9, "goals": 8, "approach": 9, "overall": 9}


def note(visibility: str = "shared") -> FeedbackNote:
    return FeedbackNote.log(
        alliance_id=ALLIANCE,
        author_id=ANA,
        text="I felt heard today",
        valence="appreciation",
        visibility=visibility,
        term_id=None,
        term_version=None,
        at=T0,
    )


def test_a_private_note_does_not_exist_for_anyone_else() -> None:
    private = note("private")
    assert private.visible_to(ANA) and not private.visible_to(BEN)
    with pytest.raises(errors.FeedbackNotFound):
        private.reply(BEN, "thanks", at=T0)
    with pytest.raises(errors.FeedbackNotFound):
        private.retract(BEN, at=T0)


def test_only_the_author_shares_or_retracts() -> None:
    shared = note()
    with pytest.raises(errors.NotAuthor):
        shared.retract(BEN, at=T0)
    with pytest.raises(errors.NoteAlreadyShared):
        shared.share(ANA, at=T0)
    private = note("private")
    private.share(ANA, at=T0)
    assert private.visible_to(BEN)


def test_a_retracted_note_takes_no_more_replies() -> None:
    shared = note()
    shared.retract(ANA, at=T0)
    with pytest.raises(errors.NoteRetracted):
        shared.reply(BEN, "ok", at=T0)
    with pytest.raises(errors.NoteRetracted):
        shared.retract(ANA, at=T0)


def report() -> ConflictReport:
    return ConflictReport.report(
        alliance_id=ALLIANCE,
        reporter_id=ANA,
        description="The session started 20 minutes late",
        occurred_at=T0,
        severity="medium",
        term_id=None,
        term_version=None,
        at=T0,
    )


def test_conflict_lifecycle_refusals() -> None:
    conflict = report()
    with pytest.raises(errors.ReporterCannotAcknowledge):
        conflict.acknowledge(ANA, "", at=T0)
    with pytest.raises(errors.ConflictNotResolved):
        conflict.reopen(BEN, "not yet", at=T0)
    conflict.acknowledge(BEN, "I hear you", at=T0)
    with pytest.raises(errors.ConflictNotOpen):
        conflict.acknowledge(BEN, "again", at=T0)
    conflict.resolve(BEN, "We set reminders", "resolved", at=T0)
    with pytest.raises(errors.ConflictNotOpen):
        conflict.resolve(BEN, "again", "resolved", at=T0)
    conflict.reopen(ANA, "late again", at=T0)
    assert conflict.is_open


def checkin() -> CheckIn:
    return CheckIn.prompt(
        alliance_id=ALLIANCE,
        slot=T0,
        closes_at=T0 + timedelta(days=7),
        questions=[{"id": k, "text": t} for k, t in CHECKIN_QUESTIONS.items()],
        expected=[ANA, BEN],
        at=T0,
    )


def test_a_checkin_id_comes_from_alliance_and_slot() -> None:
    assert checkin().id == checkin().id == ids.checkin_id(ALLIANCE, T0)


def test_answers_stay_sealed_until_everyone_has_answered() -> None:
    occurrence = checkin()
    assert occurrence.respond(ANA, {"working": "pace"}, RATINGS, at=T0) is False
    assert occurrence.status == "open" and list(occurrence.responses) == [str(ANA)]
    with pytest.raises(errors.AlreadyResponded):
        occurrence.respond(ANA, {}, RATINGS, at=T0)
    with pytest.raises(errors.NotExpectedToRespond):
        occurrence.respond(uuid4(), {}, RATINGS, at=T0)
    assert occurrence.respond(BEN, {}, RATINGS, at=T0) is True
    assert occurrence.status == "completed"
    assert set(occurrence.responses) == {str(ANA), str(BEN)}


def test_a_window_that_passes_reveals_what_there_is() -> None:
    occurrence = checkin()
    occurrence.respond(ANA, {}, RATINGS, at=T0)
    with pytest.raises(errors.CheckInStillOpen):
        occurrence.close(at=T0 + timedelta(days=1))
    occurrence.close(at=T0 + timedelta(days=7))
    assert occurrence.status == "missed" and list(occurrence.responses) == [str(ANA)]
    with pytest.raises(errors.CheckInClosed):
        occurrence.respond(BEN, {}, RATINGS, at=T0 + timedelta(days=7))
    with pytest.raises(errors.CheckInClosed):
        occurrence.close(at=T0 + timedelta(days=8))
