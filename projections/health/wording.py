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
