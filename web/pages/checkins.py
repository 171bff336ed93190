"""Check-ins: the open ones to answer first, then the latest closed ones with everyone's
answers; and the forms that start one now, answer one, and choose how prompts arrive (mail,
a webhook and its signing key, the calendar address)."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, render_template, request

from delivery import webhook
from tracker.domain.vocabulary import SRS_ANCHORS, SRS_ITEMS
from web import calendar_feed, forms, parts
from web.auth import member_view, require_account

bp = Blueprint("checkins", __name__)

SHOWN_ON = ("checkins.page",)
LISTED = 20
DELIVERIES_SHOWN = 10


@bp.get("/alliances/<uuid:alliance_id>/checkins")
def page(alliance_id: UUID) -> str:
    viewer, alliance = member_view(alliance_id)
    found = parts.queries()
    listed = found.checkins(alliance_id, viewer, limit=LISTED, with_responses=True)
    settings = parts.settings()
    return render_template(
        "checkins/checkins.html",
        alliance=alliance,
        viewer_id=str(viewer),
        open=[c for c in listed if c["status"] == "open"],
        closed=[c for c in listed if c["status"] != "open"],
        rhythms=[t for t in found.agreement(alliance_id) if t["schedule"]],
        srs_items=SRS_ITEMS,
        srs_anchors=SRS_ANCHORS,
        mail_on=bool((found.account(viewer) or {}).get("checkin_mail", 1)),
        mail_configured=bool(settings.smtp_url),
        signing_key=webhook.key_of(settings.secret_key(), alliance),
        deliveries=found.deliveries(alliance_id)[:DELIVERIES_SHOWN],
        calendar_url=calendar_feed.feed_url(alliance_id, viewer)[0],
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


@bp.post("/alliances/<uuid:alliance_id>/webhook")
def set_webhook(alliance_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("url")
    payload = {"url": values["url"].strip() or None}
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().set_webhook(viewer, alliance_id, payload),
        shown_on=SHOWN_ON,
        anchor="delivery",
        said="Webhook saved." if payload["url"] else "Webhook removed.",
    )


@bp.post("/alliances/<uuid:alliance_id>/calendar-feed")
def rotate_calendar_key(alliance_id: UUID) -> forms.Page:
    viewer = require_account()
    return forms.submit(
        alliance_id,
        {},
        lambda: parts.service().rotate_calendar_key(viewer, alliance_id),
        shown_on=SHOWN_ON,
        anchor="delivery",
        said="A new calendar address is made; the old one no longer works.",
    )


@bp.post("/alliances/<uuid:alliance_id>/checkin-mail")
def choose_mail(alliance_id: UUID) -> forms.Page:
    """Mail is a choice of the person, for every alliance; the form sits on each alliance's
    check-ins page and comes back to it."""
    viewer = require_account()
    if not parts.queries().is_member(alliance_id, viewer):
        abort(404)  # the page it comes from is a member's; a stranger changes nothing here
    enabled = request.form.get("enabled") == "yes"
    return forms.submit(
        alliance_id,
        {},
        lambda: parts.service().choose_checkin_mail(viewer, {"enabled": enabled}),
        shown_on=SHOWN_ON,
        anchor="delivery",
        said="Check-in mails are on." if enabled else "Check-in mails are off.",
    )
