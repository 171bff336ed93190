"""The weekly arithmetic of health: a week's counts, the sums of the weeks asked for, and
each week as an entry of the series."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any

from dateutil.relativedelta import relativedelta

from projections.health import rules
from projections.instants import instant
from tracker.domain.vocabulary import SRS_ITEMS

# What a week adds: each is summed over any run of weeks.
WEEK_COUNTS = (
    "answers",  # revealed check-in answers with ratings
    *(f"srs_{item}" for item in SRS_ITEMS),  # sums of each item over those answers
    "srs_low",  # answers whose total was a concern
    "rated_checkins",  # closed check-ins answered by two members or more
    "spread_sum",  # their spreads (highest total less lowest), summed
    "scheduled_closed",  # check-ins the agreed rhythm scheduled, closed
    "scheduled_completed",  # of those, answered by every member
    "appreciations",  # shared feedback, not retracted, by kind
    "concerns",
    "neutrals",
    "conflicts_reported",
    "conflicts_resolved",
)
VALENCE_COUNTS = {"appreciation": "appreciations", "concern": "concerns", "neutral": "neutrals"}

_SRS_SUMS = itemgetter(*(f"srs_{item}" for item in SRS_ITEMS))  # each item's sum, in order


counts_of = itemgetter(*WEEK_COUNTS)  # a week's row, its counts in WEEK_COUNTS order


@dataclass(slots=True)
class Week:
    monday: date
    starts_at: str
    counts: dict[str, int]
    standing: dict[str, Any]
    activity: dict[str, list[int]] = field(default_factory=dict)  # member -> [notes, answers]
    private: list[int] = field(default_factory=lambda: [0, 0, 0])  # the reader's own


@dataclass(slots=True)
class Tally:
    """A run of weeks added up, with the state the last of them ended in."""

    counts: dict[str, int]
    standing: dict[str, Any]
    activity: dict[str, list[int]]
    private: list[int]
    ends_at: datetime

    @classmethod
    def of(cls, weeks: list[Week], ends_at: datetime) -> Tally:
        counts = dict.fromkeys(WEEK_COUNTS, 0)
        activity: dict[str, list[int]] = {}
        private = [0, 0, 0]
        for week in weeks:
            for column, value in week.counts.items():
                counts[column] += value
            for member, (notes, answers) in week.activity.items():
                mine = activity.setdefault(member, [0, 0])
                mine[0] += notes
                mine[1] += answers
            private = [a + b for a, b in zip(private, week.private, strict=True)]
        standing = weeks[-1].standing if weeks else EMPTY_STANDING
        return cls(counts, standing, activity, private, ends_at)

    # --- the value of each component --------------------------------------------------------

    def srs_total(self) -> float | None:
        answers = self.counts["answers"]
        if not answers:
            return None
        total: int = sum(_SRS_SUMS(self.counts))
        return total / answers

    def srs_items(self) -> dict[str, float | None]:
        answers = self.counts["answers"]
        if not answers:
            return dict.fromkeys(SRS_ITEMS)
        sums = zip(SRS_ITEMS, _SRS_SUMS(self.counts), strict=True)
        return {item: total / answers for item, total in sums}

    def positivity(self) -> float | None:
        shared = self.counts["appreciations"] + self.counts["concerns"]
        if shared < rules.POSITIVITY_MINIMUM:
            return None
        if not self.counts["concerns"]:
            return float("inf")
        return self.counts["appreciations"] / self.counts["concerns"]

    def adherence(self) -> float | None:
        closed = self.counts["scheduled_closed"]
        return self.counts["scheduled_completed"] / closed if closed else None

    def open_conflicts(self) -> dict[str, str]:
        return dict(self.standing["open_conflicts"])

    def oldest_open_days(self) -> float | None:
        opened = self.standing["open_conflicts"].values()
        if not opened:
            return None
        return (self.ends_at - instant(min(opened))).total_seconds() / 86400

    def contributions(self) -> dict[str, int]:
        """Each current member's shared notes and answers; a silent member counts as 0."""
        return {
            member: sum(self.activity.get(member, [0, 0])) for member in self.standing["members"]
        }

    def participation(self) -> float | None:
        given = self.contributions()
        total = sum(given.values())
        if len(given) < 2 or total < rules.PARTICIPATION_MINIMUM:
            return None
        return min(given.values()) * len(given) / total

    def divergence(self) -> float | None:
        rated = self.counts["rated_checkins"]
        return self.counts["spread_sum"] / rated if rated else None

    def review_due(self) -> datetime | None:
        months = self.standing["cadence_months"]
        if not months:
            return None
        return instant(self.standing["reviewed_at"]) + relativedelta(months=months)

    def overdue_days(self) -> float | None:
        due = self.review_due()
        return None if due is None else (self.ends_at - due).total_seconds() / 86400

    def days_since_review(self) -> int:
        return max((self.ends_at - instant(self.standing["reviewed_at"])).days, 0)


EMPTY_STANDING: dict[str, Any] = {
    "members": [],
    "reviewed_at": "1970-01-01T00:00:00.000000Z",
    "cadence_months": None,
    "open_conflicts": {},
}


def weekly_entry(week: Week, ends_at: datetime) -> dict[str, Any]:
    # One week needs no adding up: the tally reads the week's own counts (a history of five
    # years makes 261 of these per page).
    tally = Tally(week.counts, week.standing, week.activity, week.private, ends_at)
    counts = week.counts
    entry: dict[str, Any] = {
        "week": week.monday.isoformat(),
        "starts_at": week.starts_at,
        "srs_total": rounded(tally.srs_total()),
        "srs_items": {item: rounded(value) for item, value in tally.srs_items().items()},
        "answers": counts["answers"],
        "positivity": ratio(tally.positivity()),
        "appreciations": counts["appreciations"],
        "concerns": counts["concerns"],
        "neutrals": counts["neutrals"],
        "adherence": rounded(tally.adherence()),
        "scheduled_checkins_closed": counts["scheduled_closed"],
        "scheduled_checkins_completed": counts["scheduled_completed"],
        "open_conflicts": len(tally.standing["open_conflicts"]),
        "conflicts_reported": counts["conflicts_reported"],
        "conflicts_resolved": counts["conflicts_resolved"],
        "participation": rounded(tally.participation()),
        "divergence": rounded(tally.divergence()),
        "days_since_review": tally.days_since_review()
        if tally.standing is not EMPTY_STANDING
        else None,
    }
    if any(week.private):
        entry["private"] = private_counts(week.private)
    return entry


def private_counts(counts: list[int]) -> dict[str, int]:
    """The reader's own private notes, by kind: shown to them alone, marked as theirs."""
    return dict(zip(("appreciations", "concerns", "neutrals"), counts, strict=True))


def ratio(value: float | None) -> float | None:
    """A ratio with no concerns has no finite value: JSON says null, and words say why."""
    return None if value is None or value == float("inf") else round(value, 2)


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@lru_cache(maxsize=4096)
def standing_of(text: str) -> dict[str, Any]:
    """A week's state as recorded. A past week's text never changes, so a page read again
    decodes it once; the dict is shared and only ever read."""
    decoded: dict[str, Any] = json.loads(text)
    return decoded
