"""The answers about check-ins and how their prompts arrive (webhook, calendar)."""

from __future__ import annotations

from marshmallow import Schema, fields

from tracker.domain.vocabulary import CHECKIN_STATUSES, WEBHOOK_FORMATS


class CheckInMemberSchema(Schema):
    member_id = fields.UUID(required=True)
    name = fields.String(required=True)
    answered = fields.Boolean(required=True)


class CheckInQuestionSchema(Schema):
    id = fields.String(required=True, metadata={"description": "what answers are keyed by"})
    text = fields.String(required=True)


class CheckInResponseSchema(Schema):
    member_id = fields.UUID(required=True)
    name = fields.String(required=True)
    answers = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "by question id (see questions for the wording)"},
    )
    ratings = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    responded_at = fields.String(required=True)


class CheckInSchema(Schema):
    id = fields.UUID(required=True, attribute="checkin_id")
    alliance_id = fields.UUID(required=True)
    slot = fields.String(required=True, metadata={"description": "when it was due, UTC"})
    closes_at = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": list(CHECKIN_STATUSES)})
    scheduled = fields.Boolean(
        required=True, metadata={"description": "by the agreed rhythm, or started by a member"}
    )
    questions = fields.List(fields.Nested(CheckInQuestionSchema), required=True)
    members = fields.List(
        fields.Nested(CheckInMemberSchema),
        required=True,
        metadata={"description": "who is asked, and who has answered (not what)"},
    )
    answered_by_you = fields.Boolean(required=True)
    sealed = fields.Boolean(
        required=True,
        metadata={"description": "while true, responses holds your own answers alone"},
    )
    responses = fields.List(fields.Nested(CheckInResponseSchema))


class WebhookSchema(Schema):
    url = fields.String(allow_none=True, required=True)
    format = fields.String(
        required=True,
        metadata={
            "enum": list(WEBHOOK_FORMATS),
            "description": "the body its calls are written in",
        },
    )
    key_version = fields.Integer(required=True)
    signing_key = fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "HMAC-SHA256 key: X-Tracker-Signature is sha256=HMAC(key, "
            "X-Tracker-Timestamp + '.' + body)"
        },
    )


class CalendarFeedSchema(Schema):
    url = fields.String(required=True, metadata={"description": "an iCalendar (.ics) address"})
    key_version = fields.Integer(required=True)
