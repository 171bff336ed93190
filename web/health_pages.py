"""The health pages: the weekly history with its chart and table, and its export.

The alliance's home page (the agreement) leads with the cards of health now; this module
serves the series behind them, for the member reading: their own private notes appear in
their own export and table, marked, and in nobody else's."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from flask import Response, abort, current_app, render_template, request, url_for

from projections.health import rules
from tracker.domain.vocabulary import SRS_ITEMS
from web.health_chart import PANELS, draw
from web.pages import bp, health_reader, member_view, now

RANGES = {"12 weeks": 12, "6 months": 26, "a year": 52}


def _day(name: str) -> date | None:
    raw = request.args.get(name, "")
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year < 2200:
        abort(422, f"{name} must be a day from 1900 to 2199, like 2026-05-01, not {raw[:40]!r}")
    return day


def _history(alliance_id: UUID, viewer: UUID) -> dict[str, Any]:
    first, last = _day("from"), _day("to")
    if first and last and first > last:
        abort(422, "from must not be after to")
    return health_reader().history(alliance_id, viewer, now(), first, last)


@bp.get("/alliances/<uuid:alliance_id>/health")
def health(alliance_id: UUID) -> str:
    viewer, alliance = member_view(alliance_id)
    history = _history(alliance_id, viewer)
    last = date.fromisoformat(history["to"])
    ranges = {}
    for label, weeks in RANGES.items():
        since: dict[str, Any] = {"from": (last - timedelta(weeks=weeks - 1)).isoformat()}
        ranges[label] = url_for("pages.health", alliance_id=alliance_id, **since)
    ranges["the whole life"] = url_for("pages.health", alliance_id=alliance_id)
    chosen: dict[str, Any] = {k: request.args[k] for k in ("from", "to") if request.args.get(k)}
    return render_template(
        "health.html",
        alliance=alliance,
        history=history,
        chart=draw(history["weeks"], history["marks"]),
        panels=PANELS,
        ranges=ranges,
        exports={
            kind: url_for(f"pages.health_{kind}", alliance_id=alliance_id, **chosen)
            for kind in ("csv", "json")
        },
        thresholds=rules.thresholds(),
        items=SRS_ITEMS,
        any_private=any("private" in week for week in history["weeks"]),
    )


COLUMNS = (
    "week",
    "starts_at",
    "srs_total",
    *(f"srs_{item}" for item in SRS_ITEMS),
    "answers",
    "positivity",
    "appreciations",
    "concerns",
    "neutrals",
    "adherence",
    "scheduled_checkins_closed",
    "scheduled_checkins_completed",
    "open_conflicts",
    "conflicts_reported",
    "conflicts_resolved",
    "participation",
    "divergence",
    "days_since_review",
    "your_private_appreciations",
    "your_private_concerns",
    "your_private_neutrals",
)


def _row(week: dict[str, Any]) -> list[Any]:
    flat = {
        **week,
        **{f"srs_{item}": value for item, value in week["srs_items"].items()},
        **{f"your_private_{kind}": n for kind, n in week.get("private", {}).items()},
    }
    return ["" if flat.get(column) is None else flat.get(column, 0) for column in COLUMNS]


@bp.get("/alliances/<uuid:alliance_id>/health.csv")
def health_csv(alliance_id: UUID) -> Response:
    viewer, alliance = member_view(alliance_id)
    history = _history(alliance_id, viewer)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for week in history["weeks"]:
        writer.writerow(_row(week))
    return _download(out.getvalue(), "text/csv; charset=utf-8", history, "csv")


@bp.get("/alliances/<uuid:alliance_id>/health.json")
def health_json(alliance_id: UUID) -> Response:
    viewer, _ = member_view(alliance_id)
    history = _history(alliance_id, viewer)
    body = current_app.json.dumps(history, indent=2)
    return _download(body, "application/json", history, "json")


def _download(body: str, mimetype: str, history: dict[str, Any], suffix: str) -> Response:
    name = f"health-{history['from']}-to-{history['to']}.{suffix}"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
