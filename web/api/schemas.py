"""What the API answers with. Requests are validated by the commands' own schemas in
tracker.schemas; these describe responses, for dumping and for the OpenAPI document."""

from __future__ import annotations

from marshmallow import Schema, fields


class ProblemSchema(Schema):
    """RFC 9457 problem details; ``errors`` names each bad field of a 422."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class AccountSchema(Schema):
    id = fields.UUID(required=True, attribute="account_id")
    email = fields.String(required=True)
    name = fields.String(required=True)


class TokenSchema(Schema):
    token = fields.String(required=True)
    expires_at = fields.DateTime(required=True)


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


class PersonSchema(Schema):
    id = fields.UUID(required=True, attribute="member_id")
    name = fields.String(required=True)


class TermSchema(Schema):
    id = fields.UUID(required=True, attribute="term_id")
    category = fields.String(required=True)
    text = fields.String(required=True)
    version = fields.Integer(required=True)
    valid_from = fields.String(required=True)


class ProposalSchema(Schema):
    id = fields.UUID(required=True, attribute="proposal_id")
    kind = fields.String(required=True)
    category = fields.String(required=True)
    text = fields.String(required=True)
    rationale = fields.String(required=True)
    term_id = fields.UUID(required=True)
    based_on_version = fields.Integer(allow_none=True)
    proposer_id = fields.UUID(required=True)
    proposed_at = fields.String(required=True)
    accepted_by = fields.List(fields.Nested(PersonSchema), required=True)
    awaiting = fields.List(fields.Nested(PersonSchema), required=True)


class RedesignSchema(Schema):
    id = fields.UUID(required=True, attribute="redesign_id")
    reason = fields.String(required=True, attribute="redesign_reason")


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
    open_redesign = fields.Nested(RedesignSchema, allow_none=True)
    tending_open = fields.Boolean(required=True)
