"""The check-in scheduler on a clock the tests move: one prompt per slot of the agreed
rhythm, in the alliance's own time zone, exactly once, whatever else is running."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from shell.bootstrap import Tracker
from shell.scheduler import GRACE, CheckInScheduler
from shell.settings import Settings
from tests.builders import alliance_with_rhythm
from tracker import ids
from tracker.clock import SettableClock
from tracker.domain.checkin import CheckIn


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def prompted(tracker: Tracker, alliance: UUID) -> list[datetime]:
    tracker.engine.run_once()
    rows = tracker.queries._all(
        "SELECT slot FROM v_checkins WHERE alliance_id = ? ORDER BY slot", (str(alliance),)
    )
    return [datetime.fromisoformat(row["slot"].replace("Z", "+00:00")) for row in rows]


def run_at(tracker: Tracker, clock: SettableClock, when: datetime) -> Any:
    clock.set(when)
    done = CheckInScheduler.for_tracker(tracker).run_due()
    tracker.engine.run_once()
    return done


def test_weekly_prompts_once_per_monday_at_nine_london_time_across_the_clock_change(
    tracker: Tracker, clock: SettableClock
) -> None:
    clock.set(utc(2026, 10, 1))
    _, alliance = alliance_with_rhythm(tracker, clock)
    assert run_at(tracker, clock, utc(2026, 10, 12, 7, 59)).prompted == []
    for minute in (utc(2026, 10, 12, 8), utc(2026, 10, 12, 8, 0, 20), utc(2026, 10, 12, 12)):
        run_at(tracker, clock, minute)
    run_at(tracker, clock, utc(2026, 10, 19, 8, 0, 30))
    run_at(tracker, clock, utc(2026, 10, 26, 8, 0, 30))  # 08:00 UTC is 08:00 GMT: not yet
    run_at(tracker, clock, utc(2026, 10, 26, 9, 0, 10))
    assert prompted(tracker, alliance) == [
        utc(2026, 10, 12, 8),
        utc(2026, 10, 19, 8),
        utc(2026, 10, 26, 9),
    ]
    checkin = tracker.app.repository.get(ids.checkin_id(alliance, utc(2026, 10, 26, 9)))
    assert isinstance(checkin, CheckIn) and checkin.closes_at == utc(2026, 11, 2, 9)


def test_an_amended_rhythm_is_followed_from_its_next_slot_without_a_restart(
    tracker: Tracker, clock: SettableClock
) -> None:
    ada, alliance = alliance_with_rhythm(tracker, clock)
    scheduler = CheckInScheduler.for_tracker(tracker)
    clock.set(utc(2026, 1, 12, 9, 0, 5))
    scheduler.run_due()
    term = tracker.queries.agreement(alliance)[0]
    tracker.service.propose(
        ada,
        alliance,
        {
            "kind": "amend",
            "term_id": term["term_id"],
            "based_on_version": 1,
            "text": "We check in on Thursday evenings",
            "schedule": {
                "rule": "FREQ=WEEKLY;BYDAY=TH;BYHOUR=18",
                "start": "2026-01-15T18:00",
                "zone": "Europe/London",
            },
        },
    )
    tracker.engine.run_once()
    for when in (utc(2026, 1, 15, 18, 0, 5), utc(2026, 1, 19, 9, 0, 5), utc(2026, 1, 22, 18, 0, 5)):
        clock.set(when)
        scheduler.run_due()
        tracker.engine.run_once()
    assert prompted(tracker, alliance) == [
        utc(2026, 1, 12, 9),
        utc(2026, 1, 15, 18),
        utc(2026, 1, 22, 18),
    ]


def test_a_rhythm_retired_or_amended_into_words_alone_stops_prompting(
    tracker: Tracker, clock: SettableClock
) -> None:
    ada, alliance = alliance_with_rhythm(tracker, clock)
    term = tracker.queries.agreement(alliance)[0]
    tracker.service.propose(
        ada,
        alliance,
        {
            "kind": "amend",
            "term_id": term["term_id"],
            "based_on_version": 1,
            "text": "When we feel like it",
        },
    )
    tracker.engine.run_once()
    assert run_at(tracker, clock, utc(2026, 1, 12, 9, 0, 5)).prompted == []


def test_after_downtime_missed_slots_become_one_prompt_within_the_grace_time(
    tracker: Tracker, clock: SettableClock
) -> None:
    _, alliance = alliance_with_rhythm(tracker, clock)
    # Down from before 12 January until 26 January 10:00: three Mondays missed.
    done = run_at(tracker, clock, utc(2026, 1, 26, 10))
    assert done.prompted == [(alliance, utc(2026, 1, 26, 9))]
    assert prompted(tracker, alliance) == [utc(2026, 1, 26, 9)]
    # Down again, past the grace time of the latest missed slot: it is let go.
    late = utc(2026, 2, 2, 9) + GRACE + timedelta(minutes=1)
    done = run_at(tracker, clock, late)
    assert done.prompted == [] and done.let_go == [(alliance, utc(2026, 2, 2, 9))]
    run_at(tracker, clock, utc(2026, 2, 9, 9, 0, 5))
    assert prompted(tracker, alliance) == [utc(2026, 1, 26, 9), utc(2026, 2, 9, 9)]


def test_a_window_closes_at_the_next_slot_and_reveals_what_was_answered(
    tracker: Tracker, clock: SettableClock
) -> None:
    ada, alliance = alliance_with_rhythm(tracker, clock)
    run_at(tracker, clock, utc(2026, 1, 12, 9, 0, 5))
    checkin_id = ids.checkin_id(alliance, utc(2026, 1, 12, 9))
    assert run_at(tracker, clock, utc(2026, 1, 19, 8, 59)).closed == []
    done = run_at(tracker, clock, utc(2026, 1, 19, 9, 0, 5))
    assert done.closed == [checkin_id] and done.prompted == [(alliance, utc(2026, 1, 19, 9))]
    closed = tracker.app.repository.get(checkin_id)
    assert isinstance(closed, CheckIn) and closed.status == "missed"
    tracker.service.respond_to_checkin(
        ada,
        alliance,
        ids.checkin_id(alliance, utc(2026, 1, 19, 9)),
        {"answers": {}, "ratings": {"relationship": 8, "goals": 7, "approach": 9, "overall": 8}},
    )
    answered = tracker.app.repository.get(ids.checkin_id(alliance, utc(2026, 1, 19, 9)))
    assert isinstance(answered, CheckIn) and answered.status == "completed"


def _one_scheduler_pass(settings: Settings, at: str) -> int:
    tracker = Tracker.build(settings, SettableClock(datetime.fromisoformat(at)))
    try:
        return len(CheckInScheduler.for_tracker(tracker).run_due().prompted)
    finally:
        tracker.close()


@pytest.mark.slow
def test_two_schedulers_at_once_prompt_each_slot_exactly_once(
    tracker: Tracker, clock: SettableClock, settings: Settings
) -> None:
    alliances = [
        alliance_with_rhythm(tracker, clock, email=f"member{number}@example.org")[1]
        for number in range(12)
    ]
    due = utc(2026, 1, 12, 9, 0, 10).isoformat()
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        counts = pool.starmap(_one_scheduler_pass, [(settings, due), (settings, due)])
    assert sum(counts) == len(alliances)
    for alliance in alliances:
        assert prompted(tracker, alliance) == [utc(2026, 1, 12, 9)]


def test_events_recorded_before_schedules_existed_still_read(tracker: Tracker) -> None:
    """Proposals, adoptions and prompts stored without the fields added since read back
    with no schedule (and a prompt counts as scheduled): the library's upcasting."""
    from dataclasses import replace

    from tracker.domain.alliance import Alliance

    alliance = Alliance.found(
        title="Old",
        purpose="",
        kind="team",
        founder_id=ids.account_id("a@example.org"),
        role="lead",
        at=utc(2025, 1, 1),
    )
    alliance.propose_term(
        ids.account_id("a@example.org"), "rhythm", "Mondays", "", at=utc(2025, 1, 1)
    )
    checkin = CheckIn.prompt(
        alliance_id=alliance.id,
        slot=utc(2025, 1, 6),
        closes_at=utc(2025, 1, 13),
        questions=[],
        expected=[],
        at=utc(2025, 1, 6),
    )
    mapper = tracker.app.mapper
    upcast = 0
    for event in [*alliance.collect_events(), *checkin.collect_events()]:
        stored = mapper.to_stored_event(event)
        state = mapper.transcoder.decode(stored.state)
        if state.pop("class_version", 1) == 1:
            continue
        state.pop("schedule", None)
        state.pop("scheduled", None)
        old = mapper.to_domain_event(replace(stored, state=mapper.transcoder.encode(state)))
        if isinstance(old, CheckIn.Prompted):
            assert old.scheduled is True
        else:
            assert old.schedule is None  # type: ignore[attr-defined]
        upcast += 1
    assert upcast == 3  # the proposal, its adoption, the prompt


def suggestions(tracker: Tracker, alliance: UUID) -> list[tuple[str, str | None]]:
    tracker.engine.run_once()
    rows = tracker.queries._all(
        "SELECT key, answered_at FROM v_redesign_suggestions WHERE alliance_id = ? "
        "ORDER BY suggested_at",
        (str(alliance),),
    )
    return [(row["key"].split(":")[0], row["answered_at"]) for row in rows]


def test_a_review_due_prompts_a_redesign_once_and_a_redesign_answers_it(
    tracker: Tracker, clock: SettableClock
) -> None:
    ada, alliance = alliance_with_rhythm(tracker, clock)  # founded 5 January 2026, 09:00
    tracker.service.set_review_cadence(ada, alliance, {"every_months": 3})
    tracker.engine.run_once()
    assert run_at(tracker, clock, utc(2026, 4, 5, 8, 59)).suggested == []
    assert [key for _, key in run_at(tracker, clock, utc(2026, 4, 5, 9, 0, 1)).suggested] == [
        "review:2026-04-05T09:00:00.000000Z"
    ]
    assert run_at(tracker, clock, utc(2026, 4, 5, 9, 1)).suggested == []
    assert suggestions(tracker, alliance) == [("review", None)]
    tracker.service.open_redesign(ada, alliance, {"reason": "Our quarterly review"})
    assert suggestions(tracker, alliance)[0][1] is not None, "opening a redesign answers it"
    clock.set(utc(2026, 4, 20))
    tracker.service.conclude_redesign(ada, alliance, {})
    tracker.engine.run_once()
    assert run_at(tracker, clock, utc(2026, 7, 20, 0, 0, 1)).suggested != [], "3 months on"


def test_three_missed_check_ins_in_a_row_and_unanswered_tending_prompt_a_redesign(
    tracker: Tracker, clock: SettableClock
) -> None:
    ada, alliance = alliance_with_rhythm(tracker, clock)
    for week in range(4):  # prompted on the 12th, 19th, 26th; each closed unanswered
        run_at(tracker, clock, utc(2026, 1, 12, 9, 0, 5) + timedelta(weeks=week))
    assert suggestions(tracker, alliance) == [], "the third closed in that pass: seen next"
    run_at(tracker, clock, utc(2026, 2, 2, 9, 0, 25))
    assert suggestions(tracker, alliance) == [("missed", None)]
    tracker.service.request_tending(ada, alliance, {"message": "We keep skipping"})
    tracker.engine.run_once()
    run_at(tracker, clock, utc(2026, 2, 9, 9, 0, 10))
    assert [key for key, _ in suggestions(tracker, alliance)] == ["missed"]
    run_at(tracker, clock, utc(2026, 2, 9, 9, 0, 10) + timedelta(days=7, minutes=1))
    assert [key for key, _ in suggestions(tracker, alliance)] == ["missed", "tending"]


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (  # every two weeks, Tuesday 18:30 in New York, across the change of 8 March
            {
                "rule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;BYHOUR=18;BYMINUTE=30",
                "start": "2026-02-24T18:30",
                "zone": "America/New_York",
            },
            [utc(2026, 2, 24, 23, 30), utc(2026, 3, 10, 22, 30), utc(2026, 3, 24, 22, 30)],
        ),
        (  # monthly on the last day at 09:00 in Berlin, across the change of 29 March
            {
                "rule": "FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=9;BYMINUTE=0",
                "start": "2026-02-28T09:00",
                "zone": "Europe/Berlin",
            },
            [utc(2026, 2, 28, 8), utc(2026, 3, 31, 7), utc(2026, 4, 30, 7)],
        ),
    ],
)
def test_biweekly_and_monthly_rhythms_across_a_clock_change(
    tracker: Tracker, clock: SettableClock, schedule: dict[str, str], expected: list[datetime]
) -> None:
    clock.set(utc(2026, 2, 1))
    _, alliance = alliance_with_rhythm(tracker, clock, **schedule)
    scheduler = CheckInScheduler.for_tracker(tracker)
    minute = utc(2026, 2, 1)
    while minute < utc(2026, 5, 1):  # a pass every six hours, and one just after each slot
        clock.set(minute)
        scheduler.run_due()
        tracker.engine.run_once()
        minute += timedelta(hours=6)
    for slot in expected:
        clock.set(slot + timedelta(seconds=20))
        scheduler.run_due()
        tracker.engine.run_once()
    assert prompted(tracker, alliance)[:3] == expected


def test_a_check_in_started_now_closes_when_the_rhythm_s_next_one_opens(
    tracker: Tracker, clock: SettableClock
) -> None:
    ada, alliance = alliance_with_rhythm(tracker, clock)  # Mondays at 09:00, London
    clock.set(datetime(2026, 1, 8, 15, tzinfo=UTC))  # a Thursday
    started = tracker.service.start_checkin_now(ada, alliance)["checkin_id"]
    opened = tracker.app.repository.get(started)
    assert opened.closes_at == datetime(2026, 1, 12, 9, tzinfo=UTC), "the next Monday's slot"

    plain = tracker.service.found_alliance(
        ada, {"title": "No rhythm", "purpose": "", "kind": "team", "role": "lead"}
    )["alliance_id"]
    unscheduled = tracker.service.start_checkin_now(ada, plain)["checkin_id"]
    assert tracker.app.repository.get(unscheduled).closes_at == clock.now() + timedelta(days=7)
