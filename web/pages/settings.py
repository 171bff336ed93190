"""An alliance's settings: who its members are, when the agreement is reviewed, and where
check-in prompts go (mail, a webhook and its signing key, the calendar address), with the
latest deliveries; and the forms that change them."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, render_template, request

from delivery import webhook
from tracker.domain.vocabulary import WEBHOOK_FORMATS
from web import calendar_feed, forms, parts
from web.auth import member_view, require_account

bp = Blueprint("settings", __name__)

SHOWN_ON = ("settings.page",)
DELIVERIES_SHOWN = 10


@bp.get("/alliances/<uuid:alliance_id>/settings")
def page(alliance_id: UUID) -> str:
    viewer, alliance = member_view(alliance_id)
    found = parts.queries()
    settings = parts.settings()
    return render_template(
        "settings/settings.html",
        alliance=alliance,
        viewer_id=str(viewer),
        mail_on=bool((found.account(viewer) or {}).get("checkin_mail", 1)),
        mail_configured=bool(settings.smtp_url),
        signing_key=webhook.key_of(settings.secret_key(), alliance),
        webhook_formats=WEBHOOK_FORMATS,
        deliveries=found.deliveries(alliance_id)[:DELIVERIES_SHOWN],
        calendar_url=calendar_feed.feed_url(alliance_id, viewer)[0],
    )


@bp.post("/alliances/<uuid:alliance_id>/review-cadence")
def set_review_cadence(alliance_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("every_months")
    typed = values["every_months"].strip()
    payload = {"every_months": forms.whole_number(typed) if typed else None}
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().set_review_cadence(viewer, alliance_id, payload),
        shown_on=SHOWN_ON,
        anchor="review",
        said=(
            f"The agreement is to be reviewed every {typed} months."
            if typed
            else "No review on a calendar."
        ),
    )


@bp.post("/alliances/<uuid:alliance_id>/webhook")
def set_webhook(alliance_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("url", "format")
    payload = {"url": values["url"].strip() or None, "format": values["format"] or "json"}
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
    settings page and comes back to it."""
    viewer = require_account()
    if not parts.queries().is_member(alliance_id, viewer):
        abort(404)  # the page it comes from is a member's; a stranger changes nothing here
    enabled = request.form.get("enabled") == "yes"
    return forms.submit(
        alliance_id,
        {},
        lambda: parts.service().choose_mail(viewer, {"kind": "checkin", "enabled": enabled}),
        shown_on=SHOWN_ON,
        anchor="delivery",
        said="Check-in mails are on." if enabled else "Check-in mails are off.",
    )
