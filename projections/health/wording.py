"""The words health is said in: counts, durations and lists in English sentences."""

from __future__ import annotations


def count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def was_or_were(n: int) -> str:
    return "was" if n == 1 else "were"


def is_or_are(n: int) -> str:
    return "is" if n == 1 else "are"


def days(days: float) -> str:
    whole = int(days)
    return count(whole, "day")


def duration(hours: float) -> str:
    return count(round(hours), "hour") if hours < 48 else days(hours / 24)


def listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def ratio_words(ratio: float | None, appreciations: int) -> str:
    if ratio is None:
        return "—"
    if ratio == float("inf"):
        return f"{appreciations} : 0"
    return f"{ratio:.1f} : 1"


# What the members can do when a component asks for a look, and the page (by its name in the
# web) where it is done: the web makes the link.
ADVICE = {
    "ratings": ("Talk together about what the ratings say, at your next check-in.", "checkins"),
    "positivity": (
        "Say what works as readily as what does not: log an appreciation when you notice one.",
        "feedback",
    ),
    "adherence": ("Keep to the rhythm, or agree one you can keep.", "agreement"),
    "conflicts": ("Acknowledge what is open and talk it through.", "conflicts"),
    "conflict_age": ("Acknowledge what is open and talk it through.", "conflicts"),
    "participation": ("Ask the quieter member how it is going for them.", "feedback"),
    "divergence": ("Your ratings differ: compare them together.", "checkins"),
    "freshness": ("Review the terms together, or open a redesign.", "redesigns"),
}
UNSCHEDULED_REVIEW = ("Agree how often to review the terms.", "settings")


def advice(key: str) -> dict[str, str]:
    text, page = ADVICE[key]
    return {"text": text, "page": page}
