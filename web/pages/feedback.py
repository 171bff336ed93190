"""Feedback: the notes the viewer may see, newest first, with their filters; and the forms
that log a note (here, or from any alliance page), reply to one, share or retract it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, render_template, request, url_for

from projections.readers.records import page_cursor, read_cursor
from tracker.domain.vocabulary import VALENCES
from web import forms, parts, query
from web.auth import member_view, require_account

bp = Blueprint("feedback", __name__)

SHOWN_ON = ("feedback.page",)
PAGE_SIZE = 25
FILTERS = ("author", "valence", "term_id", "since", "until")


@bp.app_template_global()
def terms_in_force(alliance_id: str) -> list[dict[str, Any]]:
    """What a note may be about, for the log-a-note form on every alliance page."""
    return parts.queries().agreement(UUID(alliance_id))


@bp.get("/alliances/<uuid:alliance_id>/feedback")
def page(alliance_id: UUID) -> str:
    viewer, alliance = member_view(alliance_id)
    args = request.args
    found = parts.queries()
    notes = found.feedback(
        alliance_id,
        viewer,
        author=query.uuid("author"),
        # A valence the page does not offer filters nothing, as if none were chosen.
        valence=args.get("valence") if args.get("valence") in VALENCES else None,
        term_id=query.uuid("term_id"),
        since=query.day_or_instant("since", end_of_day=False),
        until=query.day_or_instant("until"),
        after=query.cursor(read_cursor),
        limit=PAGE_SIZE + 1,
    )
    shown, more = notes[:PAGE_SIZE], len(notes) > PAGE_SIZE
    filters = {key: args.get(key, "") for key in FILTERS}
    chosen: dict[str, Any] = {key: value for key, value in filters.items() if value}
    older = (
        url_for("feedback.page", alliance_id=alliance_id, cursor=page_cursor(shown[-1]), **chosen)
        if more
        else None
    )
    return render_template(
        "feedback/feedback.html",
        alliance=alliance,
        viewer_id=str(viewer),
        notes=shown,
        older=older,
        filters=filters,
        terms=found.agreement(alliance_id),
    )


@bp.post("/alliances/<uuid:alliance_id>/feedback")
def log(alliance_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("text", "valence", "visibility", "term_id")
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().log_feedback(viewer, alliance_id, forms.payload(values)),
        shown_on=SHOWN_ON,
        anchor="notes",
        said="Your note is logged.",
    )


@bp.post("/alliances/<uuid:alliance_id>/feedback/<uuid:note_id>/replies")
def reply(alliance_id: UUID, note_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("text")
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().reply_to_feedback(
            viewer, alliance_id, note_id, forms.payload(values)
        ),
        shown_on=SHOWN_ON,
        anchor=f"note-{note_id}",
        said="Replied.",
    )


@bp.post("/alliances/<uuid:alliance_id>/feedback/<uuid:note_id>/sharing")
def share(alliance_id: UUID, note_id: UUID) -> forms.Page:
    viewer = require_account()
    return forms.submit(
        alliance_id,
        {},
        lambda: parts.service().share_feedback(viewer, alliance_id, note_id),
        shown_on=SHOWN_ON,
        anchor=f"note-{note_id}",
        said="Shared: every member can read it now.",
    )


@bp.post("/alliances/<uuid:alliance_id>/feedback/<uuid:note_id>/retraction")
def retract(alliance_id: UUID, note_id: UUID) -> forms.Page:
    viewer = require_account()
    return forms.submit(
        alliance_id,
        {},
        lambda: parts.service().retract_feedback(viewer, alliance_id, note_id),
        shown_on=SHOWN_ON,
        anchor="notes",
        said="Retracted: it no longer counts in the alliance's health.",
    )
