"""Alerts and alert rules as the API answers them."""

from __future__ import annotations

from marshmallow import Schema, fields

from tracker.domain.alert_rules import BY_KEY


class AlertSchema(Schema):
    alert_id = fields.UUID(required=True)
    alliance_id = fields.UUID(required=True)
    rule = fields.String(required=True, metadata={"enum": list(BY_KEY)})
    rule_title = fields.String(required=True, metadata={"description": "the rule's name"})
    severity = fields.String(required=True, metadata={"enum": ["red", "yellow"]})
    cause = fields.String(required=True, metadata={"description": "what met the rule"})
    threshold = fields.Integer(required=True, metadata={"description": "in force when raised"})
    numbers = fields.Dict(required=True, metadata={"description": "the readings that met it"})
    evidence = fields.List(
        fields.String(), required=True, metadata={"description": "ids of the records behind it"}
    )
    summary = fields.String(required=True)
    raised_at = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": ["open", "resolved"]})
    snoozed = fields.Boolean(required=True, metadata={"description": "out of the way for now"})
    snoozed_until = fields.String(allow_none=True, required=True)
    snoozed_by_name = fields.String(allow_none=True, required=True)
    acknowledged_at = fields.String(allow_none=True, required=True)
    acknowledged_by_name = fields.String(allow_none=True, required=True)
    resolved_at = fields.String(allow_none=True, required=True)
    resolved_by_name = fields.String(allow_none=True, required=True)
    resolution = fields.String(allow_none=True, required=True)


class AlertListSchema(Schema):
    alerts = fields.List(fields.Nested(AlertSchema), required=True)


class AlertRuleSchema(Schema):
    rule = fields.String(required=True)
    title = fields.String(required=True)
    enabled = fields.Boolean(required=True)
    threshold = fields.Integer(required=True)
    default_threshold = fields.Integer(required=True)
    minimum = fields.Integer(required=True)
    maximum = fields.Integer(required=True)
    unit = fields.String(required=True)
    severity = fields.String(required=True, metadata={"enum": ["red", "yellow"]})
    words = fields.String(required=True, metadata={"description": "the rule as it stands"})
    grounding = fields.String(required=True, metadata={"description": "where it comes from"})
    set_by_name = fields.String(allow_none=True, required=True)
    set_at = fields.String(allow_none=True, required=True)


class AlertRuleListSchema(Schema):
    rules = fields.List(fields.Nested(AlertRuleSchema), required=True)
