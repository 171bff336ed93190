"""The closed sets of words the domain speaks, shared by aggregates, schemas and views."""

from __future__ import annotations

from typing import Final

ALLIANCE_KINDS: Final = ("coaching", "partnership", "team", "personal")

# The prompt library of the design conversation: each prompt opens one term category.
PROMPTS: Final[dict[str, str]] = {
    "feel": "How do you want this relationship to feel?",
    "time": "How much time do you want to dedicate to it? How does it fit with the rest of "
    "your life?",
    "appreciation": "What do you love about it? What already works well?",
    "improvement": "What could be better?",
    "expectations": "What unarticulated expectations do you have?",
    "rhythm": "What rhythms, patterns and regular touch points will you need?",
    "communication": "What mechanisms for communication work well for you?",
    "triggers": "What do you know about your triggers? Where do you expect to get derailed?",
    "conflict": "How do you resolve conflict? How do we want to handle it here?",
    "values": "What core values do we share? What parts of who we are together matter most?",
}
TERM_CATEGORIES: Final = tuple(PROMPTS)

PROPOSAL_KINDS: Final = ("add", "amend", "retire")

VALENCES: Final = ("appreciation", "concern", "neutral")
VISIBILITIES: Final = ("shared", "private")

SEVERITIES: Final = ("low", "medium", "high")
CONFLICT_OUTCOMES: Final = ("resolved", "redesign")
CONFLICT_STATUSES: Final = ("reported", "acknowledged", "resolved")
# What a list of conflicts may be narrowed to: a status, or "open" for every one not resolved.
CONFLICT_FILTERS: Final = ("open", *CONFLICT_STATUSES)
CHECKIN_STATUSES: Final = ("open", "completed", "missed")

# Where a commitment is made, and how its owner answers for it at the next check-in.
COMMITMENT_SOURCES: Final = ("checkin", "conflict", "redesign")
COMMITMENT_OUTCOMES: Final = ("done", "not_done", "carried_over")
COMMITMENT_STATUSES: Final = ("open", "done", "not_done")

# The bodies a webhook's calls can be written in, as the receiver expects them: the
# tracker's own JSON (with a "text" that Slack-compatible receivers show), Slack's Block
# Kit, or an Adaptive Card for a Microsoft Teams Workflows webhook.
WEBHOOK_FORMATS: Final[dict[str, str]] = {
    "json": "JSON, for any receiver",
    "slack": "Slack",
    "teams": "Microsoft Teams",
}

# The mails a person chooses to receive, each on or off for all their alliances, with whether
# it is on before they choose: check-in prompts and alerts are, the weekly digest is opt-in.
MAIL_KINDS: Final[dict[str, bool]] = {"checkin": True, "alert": True, "digest": False}

# The Session Rating Scale's four items (Duncan, Miller et al., 2003), each rated 0 to 10.
SRS_ITEMS: Final = ("relationship", "goals", "approach", "overall")
SRS_MAX: Final = 10
# Each Session Rating Scale item with the words at its two ends, 0 and SRS_MAX.
SRS_ANCHORS: Final[dict[str, tuple[str, str]]] = {
    "relationship": (
        "I did not feel heard, understood and respected",
        "I felt heard, understood and respected",
    ),
    "goals": ("We did not work on what I wanted to", "We worked on what I wanted to"),
    "approach": (
        "The way we work together is not a good fit for me",
        "The way we work together is a good fit for me",
    ),
    "overall": ("Something was missing this week", "Overall, this was right for me"),
}

# Each check-in question by its id, which answers are keyed by: the wording may change, or
# be translated, and answers already given still belong to their question.
CHECKIN_QUESTIONS: Final = {
    "feel": "How does the relationship feel?",
    "working": "What is working?",
    "better": "What could be better?",
    "tending": "Does any term need tending?",
}
QUESTION_IDS: Final = {text: question_id for question_id, text in CHECKIN_QUESTIONS.items()}


def question_id(text: str, position: int) -> str:
    """The id of a question recorded by its wording alone (check-ins before questions had
    ids): the built-in one's, else one made from its place in the check-in."""
    return QUESTION_IDS.get(text, f"q{position + 1}")


def with_article(word: str) -> str:
    """A category or kind as a sentence says it: "an appreciation", "a conflict"."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"
