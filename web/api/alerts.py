"""Alerts over the API: an alliance's alerts (list, one), and any member's answers to one
(acknowledge, snooze until a day, resolve with a note); the alliance's alert rules (read,
switch one on or off, move its threshold within its bounds)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from werkzeug.exceptions import NotFound

from tracker import schemas
from tracker.domain.alert_rules import BY_KEY
from web import parts, query
from web.api.operations import account, body, operation, settled
from web.api.schemas.alerts import AlertListSchema, AlertRuleListSchema, AlertSchema
from web.formatting import viewer_today

ALERT = "/alliances/<uuid:alliance_id>/alerts/<uuid:alert_id>"


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/alerts",
    summary="The alliance's alerts, open ones first, the newest first; ?status= narrows them",
    tag="alerts",
    response=AlertListSchema,
    refusals=(401, 404, 422),
    query={"status": {"type": "string", "enum": ["open", "resolved"]}},
)
def list_alerts(alliance_id: UUID) -> dict[str, Any]:
    status = query.choice("status", ("open", "resolved"))
    return {"alerts": parts.queries().alerts(alliance_id, viewer_today(), status=status)}


@operation("GET", ALERT, summary="One alert, with the numbers and records behind it",
           tag="alerts", response=AlertSchema, refusals=(401, 404))  # fmt: skip
def get_alert(alliance_id: UUID, alert_id: UUID) -> dict[str, Any]:
    return _alert(alliance_id, alert_id)


@operation("POST", f"{ALERT}/acknowledgement", summary="Say you have seen it",
           tag="alerts", response=AlertSchema, refusals=(401, 404, 409))  # fmt: skip
def acknowledge_alert(alliance_id: UUID, alert_id: UUID) -> dict[str, Any]:
    settled(parts.service().acknowledge_alert(account(), alliance_id, alert_id))
    return _alert(alliance_id, alert_id)


@operation(
    "POST",
    f"{ALERT}/snooze",
    summary="Put it out of the way until a day, from tomorrow to a year ahead",
    tag="alerts",
    body=schemas.SnoozeAlertSchema,
    response=AlertSchema,
    refusals=(400, 401, 404, 409, 415, 422),
)
def snooze_alert(alliance_id: UUID, alert_id: UUID) -> dict[str, Any]:
    settled(parts.service().snooze_alert(account(), alliance_id, alert_id, body()))
    return _alert(alliance_id, alert_id)


@operation(
    "POST",
    f"{ALERT}/resolution",
    summary="Resolve it with a note saying how it was dealt with",
    tag="alerts",
    body=schemas.ResolveAlertSchema,
    response=AlertSchema,
    refusals=(400, 401, 404, 409, 415, 422),
)
def resolve_alert(alliance_id: UUID, alert_id: UUID) -> dict[str, Any]:
    settled(parts.service().resolve_alert(account(), alliance_id, alert_id, body()))
    return _alert(alliance_id, alert_id)


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/alert-rules",
    summary="Every alert rule as it stands in the alliance: on or off, its threshold and bounds, "
    "in words, and the practice it stands on",
    tag="alerts",
    response=AlertRuleListSchema,
    refusals=(401, 404),
)
def list_alert_rules(alliance_id: UUID) -> dict[str, Any]:
    return {"rules": parts.queries().alert_rules(alliance_id)}


@operation(
    "PUT",
    "/alliances/<uuid:alliance_id>/alert-rules/<rule>",
    summary="Switch a rule on or off, or set its threshold within its bounds",
    tag="alerts",
    body=schemas.SetAlertRuleSchema,
    response=AlertRuleListSchema,
    refusals=(400, 401, 404, 409, 415, 422),
)
def set_alert_rule(alliance_id: UUID, rule: str) -> dict[str, Any]:
    if rule not in BY_KEY:
        raise NotFound(f"no alert rule {rule}: the rules are {', '.join(BY_KEY)}")
    settled(parts.service().set_alert_rule(account(), alliance_id, rule, body()))
    return {"rules": parts.queries().alert_rules(alliance_id)}


def _alert(alliance_id: UUID, alert_id: UUID) -> dict[str, Any]:
    found = parts.queries().alert(alliance_id, alert_id, viewer_today())
    if found is None:
        raise NotFound(f"alert {alert_id} not found")
    return found
