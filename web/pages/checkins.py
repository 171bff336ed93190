"""Check-ins: the open ones to answer first, each opening with the commitments made since
the last, then the latest closed ones with everyone's answers; and the forms that start one
now and answer one (commitments' own forms are in web.pages.commitments). Where prompts go
(mail, a webhook, the calendar address) is set on the alliance's settings page."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, render_template, request, url_for

from projections.instants import iso
from tracker.domain.vocabulary import SRS_ANCHORS, SRS_ITEMS
from web import forms, parts, query
from web.auth import member_view, require_account

bp = Blueprint("checkins", __name__)

SHOWN_ON = ("checkins.page",)
LISTED = 8  # closed check-ins a page shows; older ones are a link away


@bp.get("/alliances/<uuid:alliance_id>/checkins")
def page(alliance_id: UUID) -> str:
    viewer, alliance = member_view(alliance_id)
    found = parts.queries()
    before = query.instant("before")
    listed = found.checkins(
        alliance_id, viewer, limit=LISTED + 1, with_responses=True, before=before
    )
    older = listed[LISTED]["slot"] if len(listed) > LISTED else None
    listed = listed[:LISTED]
    now = iso(parts.now())
    for checkin in listed:
        # What each opens with (and, closed, what was answered for in it). One that every
        # member has answered is complete, and its commitments answerable until it closes.
        checkin["commitments"] = found.commitments_at_checkin(
            alliance_id, UUID(checkin["checkin_id"]), checkin["prompted_at"]
        )
        checkin["answerable"] = checkin["status"] != "missed" and checkin["closes_at"] > now
    terms = found.agreement(alliance_id)
    return render_template(
        "checkins/checkins.html",
        alliance=alliance,
        viewer_id=str(viewer),
        open=[c for c in listed if c["status"] == "open"],
        closed=[c for c in listed if c["status"] != "open"],
        older=url_for(
            "checkins.page", alliance_id=alliance_id, before=older, _anchor="closed-heading"
        )
        if older
        else None,
        paged=before is not None,
        rhythms=[t for t in terms if t["schedule"]],
        terms=terms,
        srs_items=SRS_ITEMS,
        srs_anchors=SRS_ANCHORS,
    )


@bp.post("/alliances/<uuid:alliance_id>/checkins")
def start(alliance_id: UUID) -> forms.Page:
    viewer = require_account()
    return forms.submit(
        alliance_id,
        {},
        lambda: parts.service().start_checkin_now(viewer, alliance_id),
        shown_on=SHOWN_ON,
        anchor="open",
        said="Check-in started: every member is asked to answer it.",
    )


@bp.post("/alliances/<uuid:alliance_id>/checkins/<uuid:checkin_id>/responses")
def respond(alliance_id: UUID, checkin_id: UUID) -> forms.Page:
    """The form lists the questions beside the answers, so the answers keep their question."""
    viewer = require_account()
    questions = request.form.getlist("question")
    values = forms.typed(*SRS_ITEMS, *(f"answer-{n}" for n in range(len(questions))))
    answers = {q: values[f"answer-{n}"].strip() for n, q in enumerate(questions)}
    ratings = {item: forms.whole_number(v.strip()) for item in SRS_ITEMS if (v := values[item])}
    payload = {"answers": {q: a for q, a in answers.items() if a}, "ratings": ratings}
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().respond_to_checkin(viewer, alliance_id, checkin_id, payload),
        shown_on=SHOWN_ON,
        anchor=f"checkin-{checkin_id}",
        said="Your answers are in. They stay sealed until every member has answered.",
    )
