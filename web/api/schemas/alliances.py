"""The answers about alliances: the list, one alliance with its members, invitations and
the timeline."""

from __future__ import annotations

from marshmallow import Schema, fields

from web.api.schemas.agreement import (
    CurrentRedesignSchema,
    ProposalSchema,
    TendingSchema,
    TermSchema,
)


class AllianceSummarySchema(Schema):
    id = fields.UUID(required=True, attribute="alliance_id")
    title = fields.String(required=True)
    purpose = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    role = fields.String(required=True)
    agreement_version = fields.Integer(required=True)
    updated_at = fields.String(required=True)


class MemberSchema(Schema):
    id = fields.UUID(required=True, attribute="member_id")
    name = fields.String(required=True)
    role = fields.String(required=True)
    joined_at = fields.String(required=True)
    agreed_version = fields.Integer(required=True)


class InvitationSchema(Schema):
    id = fields.UUID(required=True, attribute="invitation_id")
    alliance_id = fields.UUID(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True)
    invited_at = fields.String(required=True)
    joined_at = fields.String(allow_none=True)
    url = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "the signed link to pass on; null to all but its sender"},
    )
    emailed = fields.Boolean(metadata={"description": "whether it was just emailed (on creation)"})
    email_problem = fields.String(
        allow_none=True,
        metadata={"description": "why the email was not sent"},
    )


class InvitationViewSchema(Schema):
    """What the holder of an invitation link sees before joining."""

    alliance_id = fields.UUID(required=True)
    title = fields.String(required=True)
    purpose = fields.String(required=True)
    kind = fields.String(required=True)
    role = fields.String(required=True)
    email = fields.String(required=True)
    invited_by_name = fields.String(required=True)
    agreement_version = fields.Integer(required=True)
    terms = fields.List(fields.Nested(TermSchema), required=True)
    joined_at = fields.String(allow_none=True)


class AllianceSchema(Schema):
    id = fields.UUID(required=True, attribute="alliance_id")
    title = fields.String(required=True)
    purpose = fields.String(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    agreement_version = fields.Integer(required=True)
    founded_at = fields.String(required=True)
    design_conversation_at = fields.String(allow_none=True)
    members = fields.List(fields.Nested(MemberSchema), required=True)
    terms = fields.List(fields.Nested(TermSchema), required=True)
    open_proposals = fields.List(fields.Nested(ProposalSchema), required=True)
    open_redesign = fields.Nested(CurrentRedesignSchema, allow_none=True)
    tending_open = fields.Boolean(required=True)
    tending = fields.List(
        fields.Nested(TendingSchema),
        required=True,
        metadata={"description": "calls for tending that no member has answered yet"},
    )


class TimelineEntrySchema(Schema):
    notification_id = fields.Integer(required=True)
    occurred_at = fields.String(required=True)
    actor_id = fields.UUID(allow_none=True)
    actor_name = fields.String(allow_none=True)
    event = fields.String(required=True)
    subject_id = fields.UUID(allow_none=True)
    summary = fields.String(required=True)


class TimelinePageSchema(Schema):
    entries = fields.List(fields.Nested(TimelineEntrySchema), required=True)
    next_before = fields.Integer(
        allow_none=True, metadata={"description": "pass as ?before= for the next, older page"}
    )
