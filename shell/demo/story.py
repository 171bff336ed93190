"""The demo's story, fixed: when it starts, what the members agree and write, and how their
ratings and the mix of their notes move, week by week, around the redesign."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

START = datetime(2026, 5, 4, 10, tzinfo=UTC)  # a Monday: where the tests' demo begins
WEEKS = 26
# The last week's notes come four days after its Monday check-in.
LAST_WEEK_LASTS = timedelta(days=5)
REDESIGN_WEEK = 13


def start_ending(now: datetime) -> datetime:
    """The Monday, 10:00 UTC, to begin on for the story's last week to have just passed."""
    last_monday = (now - LAST_WEEK_LASTS).astimezone(UTC).date()
    last_monday -= timedelta(days=last_monday.weekday())
    first = last_monday - timedelta(weeks=WEEKS)
    return datetime.combine(first, time(10), tzinfo=UTC)


def rhythm(start: datetime) -> dict[str, str]:
    """The rhythm the members agree, which the scheduler keeps once the demo is served:
    Mondays at 09:00, from the week after the story starts."""
    first = (start + timedelta(weeks=1)).date()
    return {
        "rule": "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0",
        "start": f"{first.isoformat()}T09:00",
        "zone": "UTC",
    }


DESIGN_TERMS = [
    (
        "coach",
        "feel",
        "I want our sessions to feel candid and warm.",
    ),
    ("client", "time", "I want an hour every week, protected from work meetings."),
    ("coach", "rhythm", "I want a check-in every Monday at 09:00, answered by both of us."),
    ("client", "communication", "I prefer short written notes between sessions, not calls."),
    ("coach", "conflict", "I want us to name a misstep within a day, then talk it through."),
    (
        "client",
        "triggers",
        "I get defensive when judged; I want you to ask before advising.",
    ),
    ("coach", "expectations", "I expect you to arrive with one topic you want to work on."),
    ("client", "values", "I value honesty over comfort, and follow-through on what we agree."),
]

# (week, author, valence, visibility, text); ratings drift down before the redesign.
FEEDBACK = [
    (1, "client", "appreciation", "shared", "I felt listened to when you let me finish my story."),
    (2, "coach", "appreciation", "shared", "I appreciated you bringing a concrete topic today."),
    (3, "client", "neutral", "private", "I am not sure yet whether the weekly hour is too much."),
    (4, "coach", "concern", "shared", "I noticed we ran over by twenty minutes twice."),
    (
        5,
        "client",
        "appreciation",
        "shared",
        "I liked the written recap you sent afterwards.",
    ),
    (7, "coach", "neutral", "private", "Cliff seems tired; I should ask about workload."),
    (8, "client", "concern", "shared", "I felt rushed at the end of our last two sessions."),
    (10, "client", "concern", "shared", "I felt advised before I was asked, which stung."),
    (11, "coach", "concern", "shared", "I have arrived to sessions without your topic twice now."),
    (12, "client", "concern", "private", "I dread Mondays a little. Something needs to change."),
    (15, "client", "appreciation", "shared", "I like the new fortnightly deep-dive format."),
    (16, "coach", "appreciation", "shared", "I appreciated how you named the tension early today."),
    (18, "client", "appreciation", "shared", "I felt trusted when you asked before advising."),
    (20, "coach", "neutral", "private", "Momentum is back; keep the asking-first habit."),
    (22, "client", "appreciation", "shared", "I am following through on what we agree."),
    (24, "coach", "appreciation", "shared", "I love how prepared you arrive these days."),
]


# Shorter notes of the weekly routine, by author and kind: their mix follows the story, mostly
# appreciation, then mostly concern as things get harder, then appreciation again.
ROUTINE_TEXTS = {
    ("coach", "appreciation"): [
        "Thank you for the honest answer about your week.",
        "Good follow-through on the action from last time.",
        "I liked how you challenged my framing today.",
    ],
    ("client", "appreciation"): [
        "The question you asked at the end stayed with me.",
        "Thanks for keeping us on time today.",
        "The recap made the week easier to plan.",
    ],
    ("coach", "concern"): [
        "We spent most of the hour on status updates.",
        "I talked more than I listened today.",
    ],
    ("client", "concern"): [
        "I left without a clear next step.",
        "The session felt like a checklist.",
    ],
}


def routine(week: int) -> list[tuple[str, str]]:
    """The week's routine notes: (author, valence)."""
    if week < 8:
        notes = [("coach", "appreciation"), ("client", "appreciation"), ("client", "appreciation")]
        return notes + ([("coach", "concern")] if week % 3 == 0 else [])
    if week < REDESIGN_WEEK:
        return [("coach", "concern"), ("client", "concern"), ("client", "appreciation")]
    if week < REDESIGN_WEEK + 3:
        return [("coach", "appreciation"), ("client", "appreciation"), ("client", "concern")]
    notes = [("coach", "appreciation"), ("client", "appreciation")] * 2
    return notes + ([("client", "concern")] if week % 4 == 0 else [])


def ratings(week: int, lean: int) -> dict[str, int]:
    """Ratings on the Session Rating Scale: steady, a dip before the redesign, a recovery."""
    if week < 8:
        base = 10
    elif week < REDESIGN_WEEK:
        base = 10 - (week - 7)  # 9, 8, 7, 6, 5: the relationship needs tending
    else:
        base = min(10, 7 + (week - REDESIGN_WEEK) // 2)
    score = max(0, min(10, base + lean))
    return {
        "relationship": score,
        "goals": max(0, score - 1),
        "approach": score,
        "overall": score,
    }
