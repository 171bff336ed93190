"""Every alert rule in one place: what it watches, its threshold and the bounds members may set
it within, and the practice it stands on. Pages and the API show these same words.

A rule is on in every alliance until its members switch it off; a threshold they set holds
for their alliance alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class AlertRule:
    key: str
    title: str
    threshold: int  # the default
    minimum: int
    maximum: int
    unit: str  # what the threshold counts, as a page says it
    severity: str  # red or yellow: where an open alert puts its alliance in the queue
    rule: str  # the rule in words, with {threshold} for the number in force
    grounding: str  # where the number comes from

    def words(self, threshold: int) -> str:
        return self.rule.format(threshold=threshold)


RULES: Final = (
    AlertRule(
        key="srs_low",
        title="Low session rating",
        threshold=36,
        minimum=10,
        maximum=39,
        unit="points of 40",
        severity="red",
        rule="A member's Session Rating Scale total at a check-in is {threshold} or less.",
        grounding="36 is the scale's clinical cut-off: totals at or under it flag a working "
        "alliance at risk (Duncan, Miller et al., the Session Rating Scale, 2003).",
    ),
    AlertRule(
        key="srs_drop",
        title="A rating dropped",
        threshold=1,
        minimum=1,
        maximum=9,
        unit="points",
        severity="red",
        rule="Any Session Rating Scale item is down by {threshold} or more from the same "
        "member's previous check-in.",
        grounding="Feedback-informed practice treats a one-point drop on any item as the moment "
        "to ask about the relationship, before the client disengages.",
    ),
    AlertRule(
        key="divergence",
        title="Members see it differently",
        threshold=8,
        minimum=2,
        maximum=30,
        unit="points",
        severity="yellow",
        rule="Two members' Session Rating Scale totals at one check-in are {threshold} points "
        "or more apart.",
        grounding="The health page's own band: a gap above 8 points is red there.",
    ),
    AlertRule(
        key="positivity",
        title="Few appreciations",
        threshold=5,
        minimum=1,
        maximum=10,
        unit="appreciations per concern",
        severity="yellow",
        rule="Over the last four weeks, shared feedback holds fewer than {threshold} "
        "appreciations per concern, with at least three concerns.",
        grounding="Gottman's ratio: stable relationships show about five positive exchanges "
        "for each negative one.",
    ),
    AlertRule(
        key="missed_checkins",
        title="Check-ins missed",
        threshold=2,
        minimum=2,
        maximum=6,
        unit="check-ins in a row",
        severity="red",
        rule="{threshold} scheduled check-ins in a row were missed.",
        grounding="The rhythm is the agreement's heartbeat: two silent beats in a row are a "
        "pattern, not an accident.",
    ),
    AlertRule(
        key="conflict_open",
        title="A conflict left open",
        threshold=14,
        minimum=1,
        maximum=90,
        unit="days",
        severity="yellow",
        rule="A conflict has been open for {threshold} days or more.",
        grounding="The health page counts a conflict open beyond 7 days as a load and beyond 30 "
        "as red; two weeks sits between.",
    ),
    AlertRule(
        key="review_overdue",
        title="Review overdue",
        threshold=0,
        minimum=0,
        maximum=60,
        unit="days past due",
        severity="yellow",
        rule="The agreement's review is more than {threshold} days past the date its cadence "
        "calls for.",
        grounding="The review cadence the members agreed.",
    ),
    AlertRule(
        key="commitment_overdue",
        title="Commitment overdue",
        threshold=0,
        minimum=0,
        maximum=30,
        unit="days past its day",
        severity="yellow",
        rule="An open commitment is more than {threshold} days past its day.",
        grounding="What was promised at the last check-in is reviewed at the next.",
    ),
)
BY_KEY: Final = {rule.key: rule for rule in RULES}


def title_of(key: str) -> str:
    """A rule's title; a key no rule has now (one retired later) reads as itself."""
    rule = BY_KEY.get(key)
    return rule.title if rule else key


def severity_of(key: str) -> str:
    """Where an alert of this rule puts its alliance in the queue; yellow if retired."""
    rule = BY_KEY.get(key)
    return rule.severity if rule else "yellow"
