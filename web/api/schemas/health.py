"""The answers about health: now, with its components, and week by week."""

from __future__ import annotations

from marshmallow import Schema, fields

from projections.health.rules import ALL_BANDS, STATUS_WORDS


class HealthTrendSchema(Schema):
    direction = fields.String(required=True, metadata={"enum": ["up", "down", "steady"]})
    meaning = fields.String(required=True, metadata={"enum": ["better", "worse", "same"]})
    previous = fields.Float(
        allow_none=True,
        required=True,
        metadata={"description": "the value over the four weeks before"},
    )


class HealthLinkSchema(Schema):
    label = fields.String(required=True)
    href = fields.String(required=True, metadata={"description": "a page of the alliance"})


class HealthComponentSchema(Schema):
    key = fields.String(required=True, metadata={"enum": [band.key for band in ALL_BANDS]})
    title = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": list(STATUS_WORDS)})
    status_words = fields.String(required=True)
    value = fields.Float(
        allow_none=True,
        required=True,
        metadata={"description": "null when there is not enough data, or a ratio has no concerns"},
    )
    display = fields.String(required=True, metadata={"description": "the value, in words"})
    trend = fields.Nested(HealthTrendSchema, allow_none=True, required=True)
    explanation = fields.String(required=True)
    rule = fields.String(required=True, metadata={"description": "the thresholds, in words"})
    links = fields.List(fields.Nested(HealthLinkSchema), required=True)
    details = fields.Dict(
        required=True,
        metadata={"description": "the counts behind the value; private figures are yours only"},
    )


class HealthOverallSchema(Schema):
    status = fields.String(required=True, metadata={"enum": list(STATUS_WORDS)})
    summary = fields.String(required=True, metadata={"description": "names every red component"})


class HealthThresholdSchema(Schema):
    component = fields.String(required=True)
    title = fields.String(required=True)
    rule = fields.String(required=True)
    no_data = fields.String(required=True)


class HealthPeriodSchema(Schema):
    from_ = fields.String(required=True, data_key="from", attribute="from")
    until = fields.String(required=True)


class HealthSchema(Schema):
    alliance_id = fields.UUID(required=True)
    as_of = fields.String(required=True)
    zone = fields.String(required=True, metadata={"description": "weeks begin Monday here"})
    period = fields.Nested(HealthPeriodSchema, required=True)
    overall = fields.Nested(HealthOverallSchema, required=True)
    components = fields.List(fields.Nested(HealthComponentSchema), required=True)
    thresholds = fields.List(fields.Nested(HealthThresholdSchema), required=True)


class HealthPrivateSchema(Schema):
    appreciations = fields.Integer(required=True)
    concerns = fields.Integer(required=True)
    neutrals = fields.Integer(required=True)


class HealthWeekSchema(Schema):
    week = fields.String(required=True, metadata={"description": "its Monday, in the zone"})
    starts_at = fields.String(required=True)
    srs_total = fields.Float(allow_none=True, required=True)
    srs_items = fields.Dict(
        keys=fields.String(), values=fields.Float(allow_none=True), required=True
    )
    answers = fields.Integer(required=True)
    positivity = fields.Float(
        allow_none=True,
        required=True,
        metadata={"description": "appreciations per concern; null if too few or no concerns"},
    )
    appreciations = fields.Integer(required=True)
    concerns = fields.Integer(required=True)
    neutrals = fields.Integer(required=True)
    adherence = fields.Float(allow_none=True, required=True)
    scheduled_checkins_closed = fields.Integer(required=True)
    scheduled_checkins_completed = fields.Integer(required=True)
    open_conflicts = fields.Integer(required=True)
    conflicts_reported = fields.Integer(required=True)
    conflicts_resolved = fields.Integer(required=True)
    participation = fields.Float(allow_none=True, required=True)
    divergence = fields.Float(allow_none=True, required=True)
    days_since_review = fields.Integer(allow_none=True, required=True)
    private = fields.Nested(
        HealthPrivateSchema, metadata={"description": "your own private notes; only yours"}
    )


class HealthMarkSchema(Schema):
    at = fields.String(required=True)
    kind = fields.String(
        required=True,
        metadata={"enum": ["agreement", "redesign_opened", "redesign_concluded"]},
    )
    label = fields.String(required=True)
    version = fields.Integer(allow_none=True, required=True)
    redesign_id = fields.UUID(allow_none=True, required=True)


class HealthHistorySchema(Schema):
    alliance_id = fields.UUID(required=True)
    zone = fields.String(required=True)
    from_ = fields.String(required=True, data_key="from", attribute="from")
    to = fields.String(required=True)
    weeks = fields.List(fields.Nested(HealthWeekSchema), required=True)
    marks = fields.List(fields.Nested(HealthMarkSchema), required=True)
