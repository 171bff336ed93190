"""Eight processes writing to one alliance at once, on each store: nothing lost, nothing twice,
every command lands or says it clashed, and the notification log has no gaps."""

from __future__ import annotations

import multiprocessing
from uuid import UUID

import pytest

from shell.settings import Settings
from tracker.application import TrackerApplication
from tracker.clock import SystemClock
from tracker.domain import errors
from tracker.domain.alliance import Alliance
from tracker.service import TrackerService

PROCESSES = 8
COMMANDS_EACH = 25


def _writer(settings: Settings, coach: UUID, alliance: UUID, worker: int) -> tuple[list[str], int]:
    app = TrackerApplication(env=settings.event_store_env())
    service = TrackerService(app, SystemClock())
    landed: list[str] = []
    clashes = 0
    try:
        for number in range(COMMANDS_EACH):
            message = f"{worker}-{number}"
            try:
                if number % 2:
                    service.request_tending(coach, alliance, {"message": message})
                else:  # a note is its own aggregate: it reads the alliance but never clashes
                    service.log_feedback(coach, alliance, {"text": message, "valence": "neutral"})
                landed.append(message)
            except errors.ConcurrentWrite:
                clashes += 1
    finally:
        app.close()
    return landed, clashes


@pytest.mark.slow
def test_eight_processes_lose_nothing_and_write_nothing_twice(
    settings: Settings, service: TrackerService, app: TrackerApplication
) -> None:
    coach = service.register_account(
        {"email": "coach@example.org", "name": "Cora", "password": "cora secret!"}
    )["account_id"]
    alliance = service.found_alliance(
        coach, {"title": "Busy", "purpose": "", "kind": "team", "role": "lead"}
    )["alliance_id"]
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        results = pool.starmap(
            _writer, [(settings, coach, alliance, worker) for worker in range(PROCESSES)]
        )
    landed = [message for messages, _ in results for message in messages]
    clashes = sum(count for _, count in results)
    assert len(landed) + clashes == PROCESSES * COMMANDS_EACH

    notifications = app.recorder.select_notifications(start=1, limit=100_000)
    ids = [n.id for n in notifications]
    assert ids == list(range(1, len(ids) + 1)), "notification ids have gaps"
    positions = [(n.originator_id, n.originator_version) for n in notifications]
    assert len(positions) == len(set(positions))

    loaded = app.repository.get(alliance)
    assert isinstance(loaded, Alliance)
    tending = sorted(signal["message"] for signal in loaded.tending.values())
    assert tending == sorted(m for m in landed if int(m.split("-")[1]) % 2)
    # Registered, password set, founded, then one event per landed command and not one more.
    assert len(notifications) == 3 + len(landed)
