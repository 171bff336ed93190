"""The health pages: the weekly history with its chart and table, and its export.

The page leads with the cards of the last four weeks (the alliance's home shows them as a
strip), then the series behind them, for the member reading: their own private notes appear
in their own export and table, marked, and in nobody else's."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, current_app, render_template, request, url_for
from markupsafe import Markup, escape

from projections.health import rules
from tracker.domain.errors import InvalidInput
from tracker.domain.vocabulary import SRS_ITEMS
from web import parts, query
from web.auth import member_view
from web.health_chart import PANELS, draw
from web.health_links import health_now

bp = Blueprint("health", __name__)

RANGES = {"12 weeks": 12, "6 months": 26, "a year": 52}
DEFAULT_WEEKS = 26  # the page opens on half a year: its cost does not grow with the alliance


def _history(
    alliance_id: UUID, viewer: UUID, *, default_weeks: int | None = None
) -> dict[str, Any]:
    first, last = query.day("from"), query.day("to")
    if first and last and first > last:
        raise InvalidInput({"from": ["must not be after to"]})
    if first is None and default_weeks is not None:
        first = (last or parts.now().date()) - timedelta(weeks=default_weeks - 1)
    return parts.health().history(alliance_id, viewer, parts.now(), first, last)


@bp.get("/alliances/<uuid:alliance_id>/health")
def page(alliance_id: UUID) -> str:
    with parts.one_snapshot():
        return _health_page(alliance_id)


def _health_page(alliance_id: UUID) -> str:
    viewer, alliance = member_view(alliance_id)
    history = _history(alliance_id, viewer, default_weeks=DEFAULT_WEEKS)
    last = date.fromisoformat(history["to"])
    ranges = {}
    for label, weeks in RANGES.items():
        since: dict[str, Any] = {"from": (last - timedelta(weeks=weeks - 1)).isoformat()}
        ranges[label] = url_for("health.page", alliance_id=alliance_id, **since)
    began: dict[str, Any] = {"from": (parts.health().first_week(alliance_id) or last).isoformat()}
    ranges["all time"] = url_for("health.page", alliance_id=alliance_id, **began)
    chosen: dict[str, Any] = {k: request.args[k] for k in ("from", "to") if request.args.get(k)}
    return render_template(
        "health/health.html",
        alliance=alliance,
        health=health_now(alliance_id, viewer),
        history=history,
        chart=draw(history["weeks"], history["marks"]),
        panels=PANELS,
        ranges=ranges,
        exports={
            kind: url_for(f"health.{kind}", alliance_id=alliance_id, **chosen)
            for kind in ("csv", "json")
        },
        thresholds=rules.thresholds(),
        items=SRS_ITEMS,
        rows=_table_rows(history["weeks"]),
        any_private=any("private" in week for week in history["weeks"]),
    )


def _table_rows(weeks: list[dict[str, Any]]) -> Markup:
    """The table's rows, newest first, built here rather than in the template: at a year of
    weeks the template's per-cell work was half the page's time."""
    mine = any("private" in week for week in weeks)
    rows = []
    for week in reversed(weeks):
        cells = [
            _figure(week["srs_total"]),
            *(_figure(week["srs_items"][item]) for item in SRS_ITEMS),
            f"{week['appreciations']} : {week['concerns']}",
            "—" if week["adherence"] is None else f"{week['adherence']:.0%}",
            str(week["open_conflicts"]),
            _figure(week["divergence"]),
            _figure(week["participation"]),
        ]
        row = f'<tr><th scope="row">{escape(week["week"])}</th>'
        row += "".join(f"<td>{cell}</td>" for cell in cells)
        if mine:
            kept = week.get("private")
            said = f"{kept['appreciations']} : {kept['concerns']}" if kept else ""
            row += f'<td class="private">{said}</td>'
        rows.append(row + "</tr>")
    return Markup("\n".join(rows))


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


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


@bp.get("/alliances/<uuid:alliance_id>/health.csv", endpoint="csv")
def csv_export(alliance_id: UUID) -> Response:
    viewer, alliance = member_view(alliance_id)
    history = _history(alliance_id, viewer)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for week in history["weeks"]:
        writer.writerow(_row(week))
    return _download(out.getvalue(), "text/csv; charset=utf-8", history, "csv")


@bp.get("/alliances/<uuid:alliance_id>/health.json", endpoint="json")
def json_export(alliance_id: UUID) -> Response:
    viewer, _ = member_view(alliance_id)
    history = _history(alliance_id, viewer)
    body = current_app.json.dumps(history, indent=2)
    return _download(body, "application/json", history, "json")


def _download(body: str, mimetype: str, history: dict[str, Any], suffix: str) -> Response:
    name = f"health-{history['from']}-to-{history['to']}.{suffix}"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
