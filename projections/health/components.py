"""Health's components as one member reads them: each one's value, band, trend against the
weeks before, the sentence that explains it and what moved it; and the overall status."""

from __future__ import annotations

import statistics
from datetime import datetime
from typing import Any

from projections.db import Row
from projections.health import rules
from projections.health.moved_by import MovedBy
from projections.health.rules import NO_DATA, RED, STATUS_WORDS, YELLOW, Band
from projections.health.tally import Tally, private_counts, ratio, rounded
from projections.health.wording import (
    UNSCHEDULED_REVIEW,
    advice,
    count,
    days,
    duration,
    is_or_are,
    listed,
    ratio_words,
    was_or_were,
)
from projections.instants import instant
from tracker.domain.vocabulary import SRS_ITEMS, SRS_MAX

Component = dict[str, Any]


def every_component(
    recent: Tally,
    before: Tally,
    *,
    checkins: list[Row],
    resolution_hours: list[float],
    names: dict[str, str],
    since: datetime,
    until: datetime,
) -> list[Component]:
    """Each component over the recent weeks, against the weeks before, in the page's order."""
    links = MovedBy(since, until)
    return [
        _ratings(recent, before, checkins, links),
        _positivity(recent, before, links),
        _adherence(recent, before, checkins, links),
        _conflicts(recent, before, resolution_hours, links),
        _participation(recent, before, names, links),
        _divergence(recent, before, checkins, links),
        _freshness(recent, before, links),
    ]


def overall(components: list[Component]) -> dict[str, Any]:
    """The worst status of any component, and every component that is not green, named."""
    status = rules.worst([component["status"] for component in components])
    red = [c["title"].lower() for c in components if c["status"] == RED]
    yellow = [c["title"].lower() for c in components if c["status"] == YELLOW]
    parts = []
    if red:
        parts.append(f"Needs attention: {listed(red)}.")
    if yellow:
        parts.append(f"Worth a look: {listed(yellow)}.")
    judged = [c for c in components if c["status"] != NO_DATA]
    if not parts and 2 * len(judged) < len(components):
        # Green from two readings of seven would say more than anyone knows.
        status = NO_DATA
        has = "has" if len(judged) == 1 else "have"
        parts.append(
            f"Too little has happened yet to judge: {len(judged)} of the {len(components)} "
            f"components {has} enough data."
        )
    elif not parts:
        parts.append("Every component with enough data is green.")
    return {"status": status, "summary": " ".join(parts)}


def _component(
    band: Band,
    value: float | None,
    previous: float | None,
    display: str,
    explanation: str,
    moved_by: list[dict[str, Any]],
    details: dict[str, Any],
    status: str | None = None,
) -> Component:
    status = status or band.status(value)
    return {
        "key": band.key,
        "title": band.title,
        "status": status,
        "status_words": STATUS_WORDS[status],
        "value": ratio(value) if value == float("inf") else rounded(value),
        "display": display,
        "trend": band.trend(value, previous),
        "explanation": explanation,
        "rule": band.rule,
        "moved_by": moved_by,
        "details": details,
        "advice": advice(band.key),
    }


def _ratings(recent: Tally, before: Tally, checkins: list[Row], links: MovedBy) -> Component:
    total, answers = recent.srs_total(), recent.counts["answers"]
    items = recent.srs_items()
    if total is None:
        explanation = "No check-in was answered and closed in the last four weeks."
    else:
        lowest = min(SRS_ITEMS, key=lambda item: items[item] or 0.0)
        explanation = (
            f"{count(answers, 'answer')} averaged {total:.1f} of 40 in the last four weeks; "
            f"{recent.counts['srs_low']} of them {was_or_were(recent.counts['srs_low'])} "
            f"{rules.SRS_CONCERN} or less, the scale's line of concern. "
            f"Lowest item: {lowest} ({items[lowest] or 0:.1f} of {SRS_MAX})."
        )
    return _component(
        rules.RATINGS,
        total,
        before.srs_total(),
        f"{total:.1f} / 40" if total is not None else "—",
        explanation,
        [links.checkin(row) for row in checkins[:8]],
        {
            "answers": answers,
            "items": {item: rounded(value) for item, value in items.items()},
            "answers_of_concern": recent.counts["srs_low"],
        },
    )


def _positivity(recent: Tally, before: Tally, links: MovedBy) -> Component:
    appreciations, concerns = recent.counts["appreciations"], recent.counts["concerns"]
    ratio = recent.positivity()
    shared = f"{count(appreciations, 'appreciation')} and {count(concerns, 'concern')}"
    if ratio is None:
        explanation = (
            f"{shared} were shared in the last four weeks: too few to judge a ratio "
            f"(at least {rules.POSITIVITY_MINIMUM})."
        )
    elif ratio == float("inf"):
        explanation = f"{shared} were shared in the last four weeks: nothing but appreciation."
    else:
        against = "at or above" if ratio >= rules.POSITIVITY.green else "below"
        explanation = (
            f"{shared} were shared in the last four weeks: {ratio:.1f} to 1, {against} the "
            "5 to 1 of relationships that last."
        )
    details: dict[str, Any] = {
        "appreciations": appreciations,
        "concerns": concerns,
        "neutrals": recent.counts["neutrals"],
    }
    if any(recent.private):
        details["private"] = private_counts(recent.private)
        a, c, _ = recent.private
        explanation += (
            f" Your private notes, which only you see, add {count(a, 'appreciation')} and "
            f"{count(c, 'concern')}; they are not counted here."
        )
    return _component(
        rules.POSITIVITY,
        ratio,
        before.positivity(),
        ratio_words(ratio, appreciations),
        explanation,
        [
            links.feedback("Appreciations shared", valence="appreciation"),
            links.feedback("Concerns shared", valence="concern"),
        ],
        details,
    )


def _adherence(recent: Tally, before: Tally, checkins: list[Row], links: MovedBy) -> Component:
    closed, completed = recent.counts["scheduled_closed"], recent.counts["scheduled_completed"]
    share = recent.adherence()
    if share is None:
        explanation = "No check-in the rhythm scheduled closed in the last four weeks."
    else:
        explanation = (
            f"{completed} of {count(closed, 'scheduled check-in')} in the last four weeks "
            f"{was_or_were(completed)} answered by every member ({share:.0%}); "
            f"{closed - completed} {was_or_were(closed - completed)} missed."
        )
    return _component(
        rules.ADHERENCE,
        share,
        before.adherence(),
        f"{share:.0%}" if share is not None else "—",
        explanation,
        [links.checkin(row) for row in checkins if row["scheduled"]][:8],
        {"scheduled_closed": closed, "completed": completed},
    )


def _conflicts(recent: Tally, before: Tally, hours: list[float], links: MovedBy) -> Component:
    open_now = recent.open_conflicts()
    oldest = recent.oldest_open_days()
    status = rules.worst(
        [rules.OPEN_CONFLICTS.status(len(open_now)), rules.CONFLICT_AGE.status(oldest or 0)]
    )
    median = statistics.median(hours) if hours else None
    if open_now:
        explanation = (
            f"{count(len(open_now), 'conflict')} {is_or_are(len(open_now))} open; the oldest has "
            f"been open {days(oldest or 0)}."
        )
    else:
        explanation = "No conflict is open."
    if median is not None:
        explanation += (
            f" The {count(len(hours), 'conflict')} resolved in the last four weeks took a "
            f"median of {duration(median)}."
        )
    open_links = [
        links.conflict(f"Open since {since[:10]}", c)
        for c, since in sorted(open_now.items(), key=lambda item: item[1])
    ]
    return _component(
        rules.OPEN_CONFLICTS,
        len(open_now),
        len(before.open_conflicts()),
        f"{len(open_now)} open",
        explanation,
        open_links or [links.page("Conflicts", "conflicts")],
        {
            "open": len(open_now),
            "oldest_open_days": rounded(oldest),
            "reported": recent.counts["conflicts_reported"],
            "resolved": recent.counts["conflicts_resolved"],
            "median_hours_to_resolve": rounded(median),
        },
        status=status,
    )


def _participation(
    recent: Tally, before: Tally, names: dict[str, str], links: MovedBy
) -> Component:
    given = recent.contributions()
    balance = recent.participation()
    total = sum(given.values())
    said = ", ".join(
        f"{names.get(member, 'a former member')} {count}"
        for member, count in sorted(given.items(), key=lambda item: -item[1])
    )
    if len(given) < 2:
        explanation = "Balance needs two members or more."
    elif balance is None:
        explanation = (
            f"{count(total, 'shared note or answer', 'shared notes and answers')} in the last "
            f"four weeks ({said}): too few to judge a balance."
        )
    else:
        silent = [names.get(m, "a former member") for m, count in given.items() if not count]
        explanation = f"Shared notes and check-in answers in the last four weeks: {said}."
        if silent:
            explanation += f" {listed(silent)} gave none."
    return _component(
        rules.PARTICIPATION,
        balance,
        before.participation(),
        f"{balance:.2f}" if balance is not None else "—",
        explanation,
        [
            links.feedback(f"Notes by {names.get(member, 'a former member')}", author=member)
            for member in given
        ],
        {
            "members": [
                {"member_id": member, "name": names.get(member), "contributions": count}
                for member, count in given.items()
            ]
        },
    )


def _divergence(recent: Tally, before: Tally, checkins: list[Row], links: MovedBy) -> Component:
    spread, rated = recent.divergence(), recent.counts["rated_checkins"]
    if spread is None:
        explanation = "No check-in was answered by two members or more in the last four weeks."
    else:
        explanation = (
            f"Members' totals for the same check-in differed by {spread:.1f} points on average "
            f"over {count(rated, 'check-in')}."
        )
    return _component(
        rules.DIVERGENCE,
        spread,
        before.divergence(),
        f"{spread:.1f} points" if spread is not None else "—",
        explanation,
        [links.checkin(row) for row in checkins[:8]],
        {"checkins": rated},
    )


def _freshness(recent: Tally, before: Tally, links: MovedBy) -> Component:
    overdue = recent.overdue_days()
    since = recent.days_since_review()
    reviewed = recent.standing["reviewed_at"][:10]
    months = recent.standing["cadence_months"]
    if months is None:
        explanation = (
            f"The terms were last reviewed {days(since)} ago ({reviewed}). No review cadence "
            "is agreed, so nothing reminds you when one is due."
        )
    elif overdue is not None and overdue > 0:
        explanation = (
            f"The terms were last reviewed {days(since)} ago ({reviewed}); the agreed cadence "
            f"is every {count(months, 'month')}, so a review has been due for "
            f"{days(overdue)}."
        )
    else:
        explanation = (
            f"The terms were last reviewed {days(since)} ago ({reviewed}); the agreed cadence "
            f"is every {count(months, 'month')}, so the next review is due in "
            f"{days(-(overdue or 0))}."
        )
    reviewed_lately = instant(recent.standing["reviewed_at"]) > before.ends_at
    trend = None
    if overdue is not None:
        trend = {
            "direction": "down" if reviewed_lately else "steady",
            "meaning": "better" if reviewed_lately else "same",
            "previous": None,
        }
    component = _component(
        rules.FRESHNESS,
        overdue,
        None,
        f"{days(since)} since review",
        explanation,
        [links.page("Redesigns", "redesigns")],
        {"days_since_review": since, "cadence_months": months, "reviewed_at": reviewed},
    )
    component["value"] = since
    component["trend"] = trend
    if months is None:
        text, page = UNSCHEDULED_REVIEW
        component["advice"] = {"text": text, "page": page}
    return component
