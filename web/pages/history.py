"""How the alliance came to be as it is: the agreement's versions, one term's history, and
the timeline of everything recorded, as the viewer may see it."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, render_template

from web import parts, query
from web.auth import member_view

bp = Blueprint("history", __name__)

TIMELINE_PAGE = 50


@bp.get("/alliances/<uuid:alliance_id>/history")
def page(alliance_id: UUID) -> str:
    _, alliance = member_view(alliance_id)
    found = parts.queries()
    return render_template(
        "history/history.html",
        alliance=alliance,
        terms=found.terms(alliance_id),
        versions=found.agreement_versions(alliance_id),
    )


@bp.get("/alliances/<uuid:alliance_id>/terms/<uuid:term_id>")
def term(alliance_id: UUID, term_id: UUID) -> str:
    viewer, alliance = member_view(alliance_id)
    versions = parts.queries().term_history(alliance_id, term_id, viewer)
    if not versions:
        abort(404)
    commitments = parts.queries().commitments_for_term(alliance_id, term_id)
    return render_template(
        "history/term.html", alliance=alliance, versions=versions, commitments=commitments
    )


@bp.get("/alliances/<uuid:alliance_id>/timeline")
def timeline(alliance_id: UUID) -> str:
    viewer, alliance = member_view(alliance_id)
    before = query.whole_number("before", minimum=1)
    rows = parts.queries().timeline(alliance_id, viewer, before=before, limit=TIMELINE_PAGE + 1)
    return render_template(
        "history/timeline.html",
        alliance=alliance,
        rows=rows[:TIMELINE_PAGE],
        older=rows[TIMELINE_PAGE - 1]["notification_id"] if len(rows) > TIMELINE_PAGE else None,
    )
