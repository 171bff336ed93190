"""An alliance's alerts: the open ones with what made each fire and a way to look at it, the
forms by which any member acknowledges, snoozes or resolves one, the answered ones, and the
rules themselves, each with its threshold, its grounds and a form to switch it or move it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template

from tracker.domain.alert_rules import BY_KEY
from web import forms, parts
from web.auth import member_view, require_account
from web.formatting import day, viewer_today

bp = Blueprint("alerts", __name__)

SHOWN_ON = ("alerts.page",)
SNOOZE_DAYS = 7  # the date the snooze form offers first: a week, a usual rhythm

# Where each rule's cause is seen on the pages: the page, and the anchor its evidence names.
LOOK_AT = {
    "srs_low": ("checkins.page", "checkin-"),
    "srs_drop": ("checkins.page", "checkin-"),
    "divergence": ("checkins.page", "checkin-"),
    "missed_checkins": ("checkins.page", "checkin-"),
    "positivity": ("feedback.page", ""),
    "conflict_open": ("conflicts.page", "conflict-"),
    "review_overdue": ("redesigns.page", ""),
    "commitment_overdue": ("checkins.page", ""),
}


@bp.get("/alliances/<uuid:alliance_id>/alerts")
def page(alliance_id: UUID) -> str:
    viewer, alliance = member_view(alliance_id)
    found = parts.queries()
    today = viewer_today()
    # Red before yellow, as the queue ranks them; the reader's order (newest first) within.
    every = sorted(found.alerts(alliance_id, today), key=lambda a: a["severity"] != "red")
    return render_template(
        "alerts/alerts.html",
        alliance=alliance,
        open_alerts=[a for a in every if a["status"] == "open"],
        resolved=[a for a in every if a["status"] != "open"],
        rules=found.alert_rules(alliance_id),
        look_at=LOOK_AT,
        snooze_to=(today + timedelta(days=SNOOZE_DAYS)).isoformat(),
        tomorrow=(today + timedelta(days=1)).isoformat(),
        viewer_id=str(viewer),
    )


@bp.post("/alliances/<uuid:alliance_id>/alerts/<uuid:alert_id>/acknowledgement")
def acknowledge(alliance_id: UUID, alert_id: UUID) -> forms.Page:
    viewer = require_account()
    return forms.submit(
        alliance_id,
        {},
        lambda: parts.service().acknowledge_alert(viewer, alliance_id, alert_id),
        shown_on=SHOWN_ON,
        anchor=f"alert-{alert_id}",
        said="Acknowledged: the others see that you have seen it.",
    )


@bp.post("/alliances/<uuid:alliance_id>/alerts/<uuid:alert_id>/snooze")
def snooze(alliance_id: UUID, alert_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("until")
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().snooze_alert(viewer, alliance_id, alert_id, forms.payload(values)),
        shown_on=SHOWN_ON,
        anchor=f"alert-{alert_id}",
        said=lambda _: f"Snoozed until {day(values['until'])}: it is back in the inbox then.",
    )


@bp.post("/alliances/<uuid:alliance_id>/alerts/<uuid:alert_id>/resolution")
def resolve(alliance_id: UUID, alert_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("note")
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().resolve_alert(viewer, alliance_id, alert_id, forms.payload(values)),
        shown_on=SHOWN_ON,
        anchor="answered",
        said="Resolved.",
    )


@bp.post("/alliances/<uuid:alliance_id>/alert-rules/<rule>")
def set_rule(alliance_id: UUID, rule: str) -> forms.Page:
    viewer = require_account()
    if rule not in BY_KEY:
        abort(404)
    values = forms.typed("threshold", "enabled")
    enabled = values["enabled"] == "yes"  # a checkbox left clear sends nothing
    payload: dict[str, Any] = {
        "enabled": enabled,
        "threshold": forms.whole_number(values["threshold"].strip()),
    }
    title = BY_KEY[rule].title
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().set_alert_rule(viewer, alliance_id, rule, payload),
        shown_on=SHOWN_ON,
        anchor=f"rule-{rule}",
        said=f"“{title}” is {'on, at ' + values['threshold'].strip() if enabled else 'off'}.",
    )
