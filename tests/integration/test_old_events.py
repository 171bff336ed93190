"""Events recorded before check-in questions had ids still read: their questions gain the
built-in ids, and answers keyed by a question's wording are keyed by its id."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from shell.bootstrap import Tracker
from tracker import ids
from tracker.domain.checkin import CheckIn
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
