"""Redesigns and tending: the record of every redesign and call for tending, and the forms
that open and conclude a redesign, ask for tending and answer it: the call for tending and
the redesign it may lead to sit beside their record."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, render_template

from web import forms, parts
from web.auth import member_view, require_account

bp = Blueprint("redesigns", __name__)

SHOWN_ON = ("redesigns.page",)


@bp.get("/alliances/<uuid:alliance_id>/redesigns")
def page(alliance_id: UUID) -> str:
    viewer, alliance = member_view(alliance_id)
    found = parts.queries()
    calls = found.tending(alliance_id, open_only=False)
    return render_template(
        "redesigns/redesigns.html",
        alliance=alliance,
        viewer_id=str(viewer),
        terms=found.agreement(alliance_id),
        redesigns=found.redesigns(alliance_id),
        open_calls=[call for call in calls if not call["addressed_at"]],
        answered_calls=[call for call in calls if call["addressed_at"]],
        suggestions=found.redesign_suggestions(alliance_id),
    )


@bp.post("/alliances/<uuid:alliance_id>/redesigns")
def open_redesign(alliance_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("reason")
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().open_redesign(viewer, alliance_id, forms.payload(values)),
        shown_on=SHOWN_ON,
        anchor="redesign",
        said="Redesign opened: propose the changes to the terms, then conclude it.",
    )


@bp.post("/alliances/<uuid:alliance_id>/redesigns/current/conclusion")
def conclude_redesign(alliance_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("summary")
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().conclude_redesign(viewer, alliance_id, forms.payload(values)),
        shown_on=SHOWN_ON,
        anchor="redesign",
        said="Redesign concluded; it is in the alliance's history.",
    )


@bp.post("/alliances/<uuid:alliance_id>/tending")
def request_tending(alliance_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("message")
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().request_tending(viewer, alliance_id, forms.payload(values)),
        shown_on=SHOWN_ON,
        anchor="tending",
        said="Said. Every member sees it until someone answers.",
    )


@bp.post("/alliances/<uuid:alliance_id>/tending/<uuid:signal_id>/reply")
def address_tending(alliance_id: UUID, signal_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("reply")
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().address_tending(
            viewer, alliance_id, signal_id, forms.payload(values)
        ),
        shown_on=SHOWN_ON,
        anchor="tending",
        said="Answered.",
    )
