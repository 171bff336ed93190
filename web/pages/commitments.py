"""Commitments on the pages: recorded from a check-in, a resolved conflict or the open
redesign (the same form on each of those pages), and answered for by their owner in a
later check-in, which opens with them. The check-ins, conflicts and redesigns pages show
them; their forms are here."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint

from web import forms, parts
from web.auth import require_account
from web.formatting import day

bp = Blueprint("commitments", __name__)

# Where the forms are shown: a refused one is shown again on the page it was sent from.
SHOWN_ON = ("checkins.page", "conflicts.page", "redesigns.page")
OUTCOMES_SAID = {
    "done": "Marked done.",
    "not_done": "Marked not done.",
    "carried_over": "Carried over.",
}


@bp.post("/alliances/<uuid:alliance_id>/commitments")
def make(alliance_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("what", "owner_id", "due_on", "term_id", "source", "source_id")
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().make_commitment(viewer, alliance_id, forms.payload(values)),
        shown_on=SHOWN_ON,
        anchor=f"{values['source']}-{values['source_id']}",
        said=lambda _: f"Commitment recorded, due {day(values['due_on'])}.",
    )


@bp.post("/alliances/<uuid:alliance_id>/commitments/<uuid:commitment_id>/review")
def review(alliance_id: UUID, commitment_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("checkin_id", "outcome", "carried_to")
    payload: dict[str, Any] = forms.payload(values)
    if payload.get("outcome") != "carried_over":
        payload.pop("carried_to", None)  # the date field stays on the form whatever is chosen
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().review_commitment(viewer, alliance_id, commitment_id, payload),
        shown_on=SHOWN_ON,
        anchor=f"commitment-{values['checkin_id']}-{commitment_id}",
        said=OUTCOMES_SAID.get(values["outcome"], ""),
    )
