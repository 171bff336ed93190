"""Events recorded before check-in questions had ids still read: their questions gain the
built-in ids, and answers keyed by a question's wording are keyed by its id."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from shell.bootstrap import Tracker
from tracker import ids
from tracker.domain.alliance import Alliance
from tracker.domain.checkin import CheckIn
from tracker.domain.feedback import FeedbackNote
from tracker.domain.vocabulary import CHECKIN_QUESTIONS

T = datetime(2025, 1, 6, 9, tzinfo=UTC)
ANA = ids.account_id("ana@example.org")


def test_a_check_in_recorded_with_questions_by_wording_reads_with_ids(tracker: Tracker) -> None:
    checkin = CheckIn.prompt(
        alliance_id=ids.account_id("alliance@example.org"),
        slot=T,
        closes_at=T.replace(day=13),
        questions=[{"id": k, "text": t} for k, t in CHECKIN_QUESTIONS.items()],
        expected=[ANA],
        at=T,
    )
    checkin.respond(
        ANA,
        {"feel": "warm", "better": "pace"},
        dict.fromkeys(("relationship", "goals", "approach", "overall"), 8),
        at=T,
    )
    mapper = tracker.app.mapper
    prompted, responded, _completed = checkin.collect_events()
    old_prompt = mapper.to_stored_event(prompted)
    state = mapper.transcoder.decode(old_prompt.state)
    state["class_version"] = 2
    state["questions"] = [*CHECKIN_QUESTIONS.values(), "A question of its own?"]
    old_prompt = replace(old_prompt, state=mapper.transcoder.encode(state))
    old_answer = mapper.to_stored_event(responded)
    state = mapper.transcoder.decode(old_answer.state)
    state.pop("class_version")
    state["answers"] = {CHECKIN_QUESTIONS["feel"]: "warm", CHECKIN_QUESTIONS["better"]: "pace"}
    old_answer = replace(old_answer, state=mapper.transcoder.encode(state))

    read_prompt = mapper.to_domain_event(old_prompt)
    assert isinstance(read_prompt, CheckIn.Prompted)
    assert read_prompt.questions == [
        *({"id": k, "text": t} for k, t in CHECKIN_QUESTIONS.items()),
        {"id": "q5", "text": "A question of its own?"},
    ]
    read_answer = mapper.to_domain_event(old_answer)
    assert isinstance(read_answer, CheckIn.Responded)
    assert read_answer.answers == {"feel": "warm", "better": "pace"}


def test_a_reply_recorded_as_acknowledged_reads_and_shows_as_a_reply(tracker: Tracker) -> None:
    # Until the word was made one, a reply to a note was the event FeedbackNote.Acknowledged:
    # records under that topic must still load, and still be shown as replies.
    service = tracker.service
    ana = service.register_account(
        {"email": "ana@example.org", "name": "Ana", "password": "ana keeps the rhythm"}
    )["account_id"]
    alliance = service.found_alliance(
        ana, {"title": "Solo", "purpose": "", "kind": "team", "role": "lead"}
    )["alliance_id"]
    note = FeedbackNote.log(
        alliance_id=alliance,
        author_id=ana,
        text="Calm week",
        valence="appreciation",
        visibility="shared",
        term_id=None,
        term_version=None,
        at=T,
    )
    note.reply(ana, "Agreed", at=T)
    mapper = tracker.app.mapper
    logged, replied = (mapper.to_stored_event(e) for e in note.collect_events())
    assert replied.topic == "tracker.domain.feedback:FeedbackNote.Replied"
    old_reply = replace(replied, topic="tracker.domain.feedback:FeedbackNote.Acknowledged")
    tracker.app.recorder.insert_events([logged, old_reply])

    assert isinstance(mapper.to_domain_event(old_reply), FeedbackNote.Replied)
    loaded = tracker.app.repository.get(note.id)
    assert loaded.version == 2
    tracker.engine.run_once()
    shown = tracker.queries.note(alliance, ana, note.id)
    assert shown is not None and [r["text"] for r in shown["replies"]] == ["Agreed"]


def test_a_webhook_set_before_formats_reads_as_the_tracker_s_own_json(tracker: Tracker) -> None:
    """WebhookSet gained its format: one recorded without (version 1) reads as "json", and
    so does an alliance restored from a snapshot taken before, whose webhook has none."""
    service = tracker.service
    ana = service.register_account(
        {"email": "ana@example.org", "name": "Ana", "password": "ana keeps the rhythm"}
    )["account_id"]
    alliance_id = service.found_alliance(
        ana, {"title": "Solo", "purpose": "", "kind": "team", "role": "lead"}
    )["alliance_id"]
    alliance = tracker.app.repository.get(alliance_id)
    alliance.set_webhook(ana, "https://hooks.example/old", "slack", at=T)
    (event,) = alliance.collect_events()
    mapper = tracker.app.mapper
    stored = mapper.to_stored_event(event)
    state = mapper.transcoder.decode(stored.state)
    state.pop("class_version")
    state.pop("format")
    old = replace(stored, state=mapper.transcoder.encode(state))
    tracker.app.recorder.insert_events([old])

    read = mapper.to_domain_event(old)
    assert isinstance(read, Alliance.WebhookSet) and read.format == "json"
    assert tracker.app.repository.get(alliance_id).webhook_format == "json"
    tracker.engine.run_once()
    shown = tracker.queries.alliance(alliance_id, ana)
    assert shown is not None and shown["webhook_format"] == "json"

    restored = tracker.app.repository.get(alliance_id)
    restored.webhook = {"url": "https://hooks.example/old", "key_version": 1}  # as snapshotted
    assert restored.webhook_format == "json"
