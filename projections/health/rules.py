"""Every threshold of relationship health, in one place, in numbers and in the words shown.

A component's status is green, yellow or red by the bands below, or ``no_data`` when there is
too little to judge. Pages and the API show these same words, so a member can see why a card
is the colour it is. Changing a number here changes every page at once: the weekly counts
in the view do not depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

GREEN, YELLOW, RED, NO_DATA = "green", "yellow", "red", "no_data"
STATUS_WORDS: Final = {GREEN: "green", YELLOW: "yellow", RED: "red", NO_DATA: "not enough data"}
SEVERITY: Final = {RED: 3, YELLOW: 2, GREEN: 1, NO_DATA: 0}

WINDOW_WEEKS: Final = 4  # "now" is the last four weeks; its trend compares the four before


@dataclass(frozen=True)
class Band:
    """Where green ends and red begins for one measure."""

    key: str
    title: str
    higher_is_better: bool
    green: float  # at least this (or at most, when lower is better) is green
    yellow: float  # at least this (or at most) is yellow; beyond it, red
    steady_within: float  # a change smaller than this is no trend
    rule: str  # the bands in words, as pages show them
    minimum: str  # what "not enough data" means

    def status(self, value: float | None) -> str:
        if value is None:
            return NO_DATA
        if self.higher_is_better:
            return GREEN if value >= self.green else YELLOW if value >= self.yellow else RED
        return GREEN if value <= self.green else YELLOW if value <= self.yellow else RED

    def trend(self, now: float | None, before: float | None) -> dict[str, object] | None:
        """Up, down or steady against the previous period, and whether that is better."""
        if now is None or before is None:
            return None
        change = now - before if now != before else 0.0
        if change != change or abs(change) < self.steady_within:  # NaN: both infinite
            return {"direction": "steady", "meaning": "same", "previous": _finite(before)}
        direction = "up" if change > 0 else "down"
        better = (change > 0) == self.higher_is_better
        return {
            "direction": direction,
            "meaning": "better" if better else "worse",
            "previous": _finite(before),
        }


def _finite(value: float) -> float | None:
    return None if value == float("inf") else round(value, 2)


SRS_CONCERN: Final = 36  # Session Rating Scale: a total of 36 or less of 40 is a concern
POSITIVITY_MINIMUM: Final = 3  # shared appreciations and concerns before a ratio means much
PARTICIPATION_MINIMUM: Final = 4  # notes and answers before a balance means much

RATINGS = Band(
    key="ratings",
    title="Check-in ratings",
    higher_is_better=True,
    green=SRS_CONCERN + 1,
    yellow=31,
    steady_within=1.0,
    rule="Mean Session Rating Scale total of 40: green above 36; yellow from 31 to 36 "
    "(36 or less is the scale's line of concern); red at 30 or less.",
    minimum="No check-in was answered and closed in the period.",
)
POSITIVITY = Band(
    key="positivity",
    title="Positivity ratio",
    higher_is_better=True,
    green=5.0,
    yellow=1.0,
    steady_within=0.5,
    rule="Shared appreciations for each shared concern: green at 5 or more (Gottman's 5 to 1); "
    "yellow from 1 to 5; red below 1. Neutral and private notes are not counted.",
    minimum=f"Fewer than {POSITIVITY_MINIMUM} shared appreciations and concerns in the period.",
)
ADHERENCE = Band(
    key="adherence",
    title="Rhythm adherence",
    higher_is_better=True,
    green=0.8,
    yellow=0.5,
    steady_within=0.1,
    rule="Share of the check-ins the agreed rhythm scheduled that every member answered: "
    "green at 80% or more; yellow from 50%; red below 50%.",
    minimum="No scheduled check-in closed in the period.",
)
OPEN_CONFLICTS = Band(
    key="conflicts",
    title="Conflict load",
    higher_is_better=False,
    green=1,
    yellow=2,
    steady_within=1,
    rule="Open conflicts: green with at most one, open no longer than 7 days; yellow with two, "
    "or one open longer than 7 days; red with three or more, or one open longer than 30 days.",
    minimum="never: no open conflict is a reading too.",
)
CONFLICT_AGE = Band(
    key="conflict_age",
    title="Oldest open conflict",
    higher_is_better=False,
    green=7,
    yellow=30,
    steady_within=1,
    rule="",
    minimum="",
)
PARTICIPATION = Band(
    key="participation",
    title="Participation balance",
    higher_is_better=True,
    green=0.6,
    yellow=0.3,
    steady_within=0.1,
    rule="The least active member's share of shared notes and check-in answers against an "
    "equal share (1 is even, 0 means someone was silent): green at 0.6 or more; yellow from "
    "0.3; red below 0.3.",
    minimum=f"Fewer than two members, or fewer than {PARTICIPATION_MINIMUM} notes and answers.",
)
DIVERGENCE = Band(
    key="divergence",
    title="Divergence",
    higher_is_better=False,
    green=4,
    yellow=8,
    steady_within=1.0,
    rule="Mean gap between the highest and lowest member's total for the same check-in: "
    "green at 4 points or less; yellow up to 8; red above 8.",
    minimum="No check-in was answered by two members or more in the period.",
)
FRESHNESS = Band(
    key="freshness",
    title="Agreement freshness",
    higher_is_better=False,
    green=0,
    yellow=30,
    steady_within=1,
    rule="Days past the review the members' cadence calls for (a review is a concluded "
    "redesign): green when not yet due; yellow up to 30 days overdue; red beyond.",
    minimum="The members have not agreed a review cadence.",
)

COMPONENTS: Final = (RATINGS, POSITIVITY, ADHERENCE, OPEN_CONFLICTS, PARTICIPATION, DIVERGENCE)
ALL_BANDS: Final = (*COMPONENTS, FRESHNESS)


def worst(statuses: list[str]) -> str:
    return max(statuses, key=SEVERITY.__getitem__, default=NO_DATA)


def thresholds() -> list[dict[str, str]]:
    """The rules as pages and the API show them."""
    return [
        {"component": band.key, "title": band.title, "rule": band.rule, "no_data": band.minimum}
        for band in ALL_BANDS
    ]
