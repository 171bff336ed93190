"""Realistic event histories, recorded fast: aggregates built in memory, saved in bulk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from tracker import ids
from tracker.application import TrackerApplication
from tracker.domain.account import Account
from tracker.domain.alliance import Alliance
from tracker.domain.checkin import CheckIn
from tracker.domain.conflict import ConflictReport
from tracker.domain.feedback import FeedbackNote
from tracker.domain.vocabulary import CHECKIN_QUESTIONS

T0 = datetime(2024, 1, 1, 9, tzinfo=UTC)
RATINGS = {"relationship": 8, "goals": 7, "approach": 9, "overall": 8}


def people(app: TrackerApplication) -> tuple[UUID, UUID]:
    coach = Account.register(email="coach@bench.example", name="Coach", at=T0)
    client = Account.register(email="client@bench.example", name="Client", at=T0)
    app.save(coach, client)
    return coach.id, client.id


def pair(coach: UUID, client: UUID, at: datetime) -> Alliance:
    alliance = Alliance.found(
        title="Bench", purpose="Measure", kind="coaching", founder_id=coach, role="coach", at=at
    )
    invitation = alliance.invite(coach, "client@bench.example", "client", at=at)
    alliance.join(client, "client@bench.example", invitation, 0, proven=True, at=at)
    return alliance


def one_alliance(app: TrackerApplication, coach: UUID, client: UUID, number: int) -> int:
    """About 470 events of every kind for one alliance; returns how many were recorded."""
    at = T0 + timedelta(minutes=number)
    alliance = pair(coach, client, at)
    for turn in range(30):
        proposal = alliance.propose_term(coach, "values", f"I value thing {turn}", "", at=at)
        alliance.accept(client, proposal, at=at)
    term = next(iter(alliance.terms))
    records: list[FeedbackNote | CheckIn | ConflictReport] = []
    for turn in range(100):
        note = FeedbackNote.log(
            alliance_id=alliance.id,
            author_id=coach if turn % 2 else client,
            text=f"Note {turn}: I noticed something worth saying.",
            valence=("appreciation", "concern", "neutral")[turn % 3],
            visibility="private" if turn % 7 == 0 else "shared",
            term_id=UUID(term) if turn % 5 == 0 else None,
            term_version=1 if turn % 5 == 0 else None,
            at=at,
        )
        if turn % 2 == 0 and note.visibility == "shared":
            note.reply(client if turn % 2 else coach, "Thank you.", at=at)
        records.append(note)
    for week in range(50):
        slot = at + timedelta(weeks=week)
        checkin = CheckIn.prompt(
            alliance_id=alliance.id,
            slot=slot,
            closes_at=slot + timedelta(weeks=1),
            questions=[{"id": key, "text": text} for key, text in CHECKIN_QUESTIONS.items()],
            expected=[coach, client],
            at=slot,
        )
        checkin.respond(coach, {"feel": "Fine."}, RATINGS, at=slot)
        checkin.respond(client, {"feel": "Good."}, RATINGS, at=slot)
        records.append(checkin)
    for turn in range(10):
        report = ConflictReport.report(
            alliance_id=alliance.id,
            reporter_id=client,
            description=f"Conflict {turn}",
            occurred_at=at,
            severity="low",
            term_id=None,
            term_version=None,
            at=at,
        )
        report.acknowledge(coach, "Heard.", at=at)
        report.resolve(coach, "Talked it through.", "resolved", at=at)
        records.append(report)
    recordings = app.save(alliance, *records)
    return len(recordings)


def history(app: TrackerApplication, events: int) -> int:
    """Record at least ``events`` events over as many alliances as it takes."""
    coach, client = people(app)
    recorded, number = 2, 0
    while recorded < events:
        recorded += one_alliance(app, coach, client, number)
        number += 1
    return recorded


def long_alliance(app: TrackerApplication, events: int) -> UUID:
    """One alliance with ``events`` events: amendments proposed and adopted, over and over."""
    coach, client = ids.account_id("coach@bench.example"), ids.account_id("client@bench.example")
    alliance = pair(coach, client, T0)
    proposal = alliance.propose_term(coach, "feel", "I want it to feel calm, version 1", "", at=T0)
    alliance.accept(client, proposal, at=T0)
    term = ids.term_id(proposal)
    version = 1
    while alliance.version < events:
        amendment = alliance.propose_amendment(
            coach, term, version, f"I want it to feel calm, version {version + 1}", "", at=T0
        )
        alliance.accept(client, amendment, at=T0)
        version += 1
        if len(alliance.pending_events) > 900:
            app.save(alliance)
    app.save(alliance)
    return alliance.id
