"""A realistic alliance to explore: a coach and a client over six months.

The story is the same every time (the clock is set, the words are fixed): a design
conversation, adopted terms, an amendment, weekly check-ins whose ratings dip and then
recover after a redesign, feedback both ways whose mix of appreciation and concern follows
the same curve, private notes, and two conflicts, the second resolved once the redesign made
room for it.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from uuid import UUID

from shell.demo import story
from shell.demo.story import (
    DESIGN_TERMS,
    FEEDBACK,
    REDESIGN_WEEK,
    ROUTINE_TEXTS,
    START,
    WEEKS,
)
from tracker import ids
from tracker.clock import SettableClock
from tracker.service import TrackerService

COACH_EMAIL = "cora@example.org"
CLIENT_EMAIL = "cliff@example.org"
# Published on purpose: `make run` prints them so a new user can sign in as either member.
DEMO_PASSWORDS = {COACH_EMAIL: "cora-designs-alliances", CLIENT_EMAIL: "cliff-keeps-the-rhythm"}


def load_demo(service: TrackerService, clock: SettableClock, *, start: datetime = START) -> UUID:
    """Record the demo alliance, its story beginning on the Monday ``start``, and return its
    id. `tracker demo` begins it so that it ends this week (story.start_ending); the tests on
    a fixed day, so that what they read of it never moves."""
    clock.set(start)
    schedule = story.rhythm(start)
    people = {
        "coach": service.register_account(
            {
                "email": COACH_EMAIL,
                "name": "Cora Lindqvist",
                "password": DEMO_PASSWORDS[COACH_EMAIL],
            }
        )["account_id"],
        "client": service.register_account(
            {"email": CLIENT_EMAIL, "name": "Cliff Osei", "password": DEMO_PASSWORDS[CLIENT_EMAIL]}
        )["account_id"],
    }
    coach, client = people["coach"], people["client"]
    for account, email in ((coach, COACH_EMAIL), (client, CLIENT_EMAIL)):
        service.verify_address(account, email, via="mail")  # as if each had opened the link
    alliance = service.found_alliance(
        coach,
        {
            "title": "Cora & Cliff: leadership coaching",
            "purpose": "We care that this works for both of us: Cliff grows into leading his "
            "team with confidence, and our work together stays honest and sustainable.",
            "kind": "coaching",
            "role": "coach",
        },
    )["alliance_id"]
    service.schedule_design_conversation(
        coach, alliance, {"at": (start + timedelta(days=2, hours=5)).isoformat()}
    )
    invitation = service.invite_member(coach, alliance, {"email": CLIENT_EMAIL, "role": "client"})
    service.join_alliance(
        client, alliance, {"invitation_id": invitation["invitation_id"], "agreed_version": 0}
    )

    # The design conversation: each answer becomes a proposal the other accepts.
    clock.set(start + timedelta(days=2, hours=5))
    for author, category, text in DESIGN_TERMS:
        clock.advance(timedelta(minutes=6))
        term: dict[str, object] = {"kind": "add", "category": category, "text": text}
        if category == "rhythm":
            term["schedule"] = schedule
        proposal = service.propose(people[author], alliance, term)["proposal_id"]
        other = client if author == "coach" else coach
        service.accept_proposal(other, alliance, proposal)
    clock.advance(timedelta(minutes=5))
    declined = service.propose(
        coach,
        alliance,
        {"kind": "add", "category": "time", "text": "I want a daily journal entry from you."},
    )["proposal_id"]
    service.decline_proposal(
        client, alliance, declined, {"reason": "Daily is more than I can give."}
    )
    withdrawn = service.propose(
        client,
        alliance,
        {"kind": "add", "category": "appreciation", "text": "I love that we laugh a lot."},
    )["proposal_id"]
    service.withdraw_proposal(client, alliance, withdrawn)
    service.set_review_cadence(coach, alliance, {"every_months": 3})

    feedback_by_week: dict[int, list[tuple[str, str, str, str]]] = {}
    for week, author, valence, visibility, text in FEEDBACK:
        feedback_by_week.setdefault(week, []).append((author, valence, visibility, text))

    kept: dict[str, UUID] = {}  # what a turn of the story leaves for a later one
    for week in range(1, WEEKS + 1):
        monday = start + timedelta(weeks=week) - timedelta(hours=1)  # Mondays at 09:00
        slot = {"slot": monday.isoformat(), "closes_at": (monday + timedelta(weeks=1)).isoformat()}
        clock.set(monday)
        checkin = service.prompt_checkin(alliance, slot)["checkin_id"]
        clock.set(monday + timedelta(hours=3))
        service.respond_to_checkin(
            coach, alliance, checkin, _response(week, lean=0, note="Steady work this week.")
        )
        if week in (11, 12):  # the client goes quiet as things get harder
            clock.set(monday + timedelta(weeks=1))
            service.close_checkin(alliance, checkin)
        else:
            clock.set(monday + timedelta(hours=20))
            service.respond_to_checkin(
                client, alliance, checkin, _response(week, lean=-1, note="Useful session.")
            )
        for author, valence, visibility, text in feedback_by_week.get(week, []):
            clock.set(monday + timedelta(days=2, hours=4))
            service.log_feedback(
                people[author],
                alliance,
                {"text": text, "valence": valence, "visibility": visibility},
            )
        for hour, (author, valence) in enumerate(story.routine(week)):
            clock.set(monday + timedelta(days=4, hours=hour))
            texts = ROUTINE_TEXTS[(author, valence)]
            service.log_feedback(
                people[author],
                alliance,
                {"text": texts[week % len(texts)], "valence": valence, "visibility": "shared"},
            )
        _story(service, clock, alliance, week, monday, coach, client, kept, schedule)
    return alliance


def open_this_week(
    service: TrackerService, clock: SettableClock, alliance: UUID, start: datetime, now: datetime
) -> UUID | None:
    """This week's check-in, when its slot has come since the story's last: prompted at its
    slot and answered by the coach, so that the client finds it waiting in his inbox (the
    scheduler prompts only slots of the last day)."""
    last_slot = start + timedelta(weeks=story.WEEKS) - timedelta(hours=1)
    monday = now.astimezone(UTC).date() - timedelta(days=now.astimezone(UTC).weekday())
    slot = datetime.combine(monday, time(9), tzinfo=UTC)
    if slot > now:
        slot -= timedelta(weeks=1)
    if slot <= last_slot:
        return None
    clock.set(slot)
    window = {"slot": slot.isoformat(), "closes_at": (slot + timedelta(weeks=1)).isoformat()}
    checkin: UUID = service.prompt_checkin(alliance, window)["checkin_id"]
    clock.set(min(slot + timedelta(hours=3), now))
    coach = ids.account_id(COACH_EMAIL)
    answered = _response(story.WEEKS, lean=0, note="Steady work this week.")
    service.respond_to_checkin(coach, alliance, checkin, answered)
    clock.set(now)
    return checkin


def _response(week: int, *, lean: int, note: str) -> dict[str, object]:
    return {
        "answers": {"feel": note, "working": "Showing up prepared."},
        "ratings": story.ratings(week, lean),
    }


def _term_of(service: TrackerService, alliance: UUID, category: str) -> str:
    terms: dict[str, dict[str, object]] = service.app.repository.get(alliance).terms
    return next(
        tid
        for tid, term in terms.items()
        if term["category"] == category and term["status"] == "in_force"
    )


def _version(service: TrackerService, alliance: UUID, category: str) -> tuple[UUID, int]:
    term_id = _term_of(service, alliance, category)
    return UUID(term_id), int(service.app.repository.get(alliance).terms[term_id]["version"])


def _story(
    service: TrackerService,
    clock: SettableClock,
    alliance: UUID,
    week: int,
    monday: datetime,
    coach: UUID,
    client: UUID,
    kept: dict[str, UUID],
    schedule: dict[str, str],
) -> None:
    """The turns of the story that are not weekly routine; ``schedule`` is the rhythm the
    members agreed, which the redesign keeps."""
    clock.set(monday + timedelta(days=3, hours=2))
    if week == 6:
        term_id, version = _version(service, alliance, "time")
        amendment = service.propose(
            client,
            alliance,
            {
                "kind": "amend",
                "term_id": term_id,
                "based_on_version": version,
                "text": "I want fifty minutes every week, ending on time.",
                "rationale": "We keep running over; a firm end helps me plan.",
            },
        )["proposal_id"]
        service.accept_proposal(coach, alliance, amendment)
    elif week == 9:
        term_id, _ = _version(service, alliance, "time")
        conflict = service.report_conflict(
            client,
            alliance,
            {
                "description": "Our session was cancelled with two hours' notice.",
                "occurred_at": (monday + timedelta(days=1)).isoformat(),
                "severity": "medium",
                "term_id": term_id,
            },
        )["conflict_id"]
        clock.advance(timedelta(hours=5))
        service.acknowledge_conflict(coach, alliance, conflict, {"note": "You are right."})
        clock.advance(timedelta(days=1))
        service.resolve_conflict(
            coach,
            alliance,
            conflict,
            {"resolution": "Cancellations need 24 hours' notice.", "outcome": "resolved"},
        )
    elif week == 11:
        term_id, _ = _version(service, alliance, "expectations")
        kept["topic_conflict"] = service.report_conflict(
            coach,
            alliance,
            {
                "description": "Cliff arrived without a topic for the second week running.",
                "occurred_at": (monday + timedelta(days=1)).isoformat(),
                "severity": "low",
                "term_id": term_id,
            },
        )["conflict_id"]
    elif week == REDESIGN_WEEK + 1:
        service.resolve_conflict(
            client,
            alliance,
            kept["topic_conflict"],
            {
                "resolution": "I send my topic by Friday; the redesign made room for it.",
                "outcome": "resolved",
            },
        )
    elif week == 12:
        service.request_tending(
            client, alliance, {"message": "Sessions feel rushed and I am dreading them."}
        )
    elif week == REDESIGN_WEEK:
        service.open_redesign(
            coach, alliance, {"reason": "Ratings have fallen for five weeks; let us redesign."}
        )
        rhythm_id, rhythm_version = _version(service, alliance, "rhythm")
        amendment = service.propose(
            client,
            alliance,
            {
                "kind": "amend",
                "term_id": rhythm_id,
                "based_on_version": rhythm_version,
                "text": "I want a short Monday check-in weekly, and a deep-dive every other week.",
                "rationale": "Weekly deep sessions were too much alongside work.",
                "schedule": schedule,
            },
        )["proposal_id"]
        service.accept_proposal(coach, alliance, amendment)
        triggers_id, triggers_version = _version(service, alliance, "triggers")
        retirement = service.propose(
            coach,
            alliance,
            {
                "kind": "retire",
                "term_id": triggers_id,
                "based_on_version": triggers_version,
                "rationale": "Folded into the new communication term.",
            },
        )["proposal_id"]
        service.accept_proposal(client, alliance, retirement)
        added = service.propose(
            coach,
            alliance,
            {
                "kind": "add",
                "category": "communication",
                "text": "I ask 'do you want my view?' before I offer advice.",
            },
        )["proposal_id"]
        service.accept_proposal(client, alliance, added)
        clock.advance(timedelta(days=1))
        service.conclude_redesign(
            client, alliance, {"summary": "Lighter rhythm; advice only when asked."}
        )
