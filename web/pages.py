"""Server-rendered pages: the alliances, an alliance's agreement, term history and timeline.

Pages only translate: read the signed-in account and the query parameters, ask
projections.queries, render.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from flask import Blueprint, abort, current_app, render_template, request

from projections.queries import Queries
from web.auth import current_account, require_account

bp = Blueprint("pages", __name__)


def _queries() -> Queries:
    tracker = current_app.extensions["tracker"]
    queries: Queries = tracker.queries
    return queries


def _member_view(alliance_id: UUID) -> tuple[UUID, dict[str, object]]:
    viewer = require_account()
    alliance = _queries().alliance(alliance_id, viewer)
    if alliance is None:
        abort(404)  # the same answer for a stranger as for a missing alliance
    return viewer, alliance


@bp.get("/")
def index() -> str:
    viewer = current_account()
    if viewer is None:
        return render_template("welcome.html")
    queries = _queries()
    return render_template(
        "index.html", viewer=queries.account(viewer), alliances=queries.alliances_for(viewer)
    )


@bp.get("/alliances/<uuid:alliance_id>")
def agreement(alliance_id: UUID) -> str:
    _, alliance = _member_view(alliance_id)
    as_of = _as_of(request.args.get("as_of", ""))
    queries = _queries()
    terms = queries.agreement(alliance_id, as_of=as_of)
    return render_template(
        "agreement.html",
        alliance=alliance,
        terms=terms,
        as_of=as_of,
        proposals=queries.open_proposals(alliance_id) if as_of is None else [],
    )


@bp.get("/alliances/<uuid:alliance_id>/history")
def history(alliance_id: UUID) -> str:
    _, alliance = _member_view(alliance_id)
    queries = _queries()
    return render_template(
        "history.html",
        alliance=alliance,
        terms=queries.terms(alliance_id),
        versions=queries.agreement_versions(alliance_id),
    )


@bp.get("/alliances/<uuid:alliance_id>/terms/<uuid:term_id>")
def term(alliance_id: UUID, term_id: UUID) -> str:
    _, alliance = _member_view(alliance_id)
    versions = _queries().term_history(alliance_id, term_id)
    if not versions:
        abort(404)
    return render_template("term.html", alliance=alliance, versions=versions)


@bp.get("/alliances/<uuid:alliance_id>/timeline")
def timeline(alliance_id: UUID) -> str:
    viewer, alliance = _member_view(alliance_id)
    before = request.args.get("before", type=int)
    rows = _queries().timeline(alliance_id, viewer, before=before, limit=51)
    return render_template(
        "timeline.html",
        alliance=alliance,
        rows=rows[:50],
        older=rows[49]["notification_id"] if len(rows) > 50 else None,
    )


@bp.get("/healthz")
def healthz() -> dict[str, object]:
    tracker = current_app.extensions["tracker"]
    return {"status": "ok", "views_position": tracker.engine.position()}


def _as_of(raw: str) -> datetime | None:
    """A date from the picker means the end of that day, UTC; a full instant is taken as is."""
    if not raw:
        return None
    try:
        if len(raw) == 10:
            return datetime.fromisoformat(raw).replace(hour=23, minute=59, second=59, tzinfo=UTC)
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        abort(422, f"as_of must be a date (YYYY-MM-DD) or an ISO-8601 instant, not {raw!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
