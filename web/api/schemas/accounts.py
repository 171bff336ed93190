"""The answers about accounts and tokens, and a refusal's problem details."""

from __future__ import annotations

from marshmallow import Schema, fields

from tracker.fields import Line
from tracker.schemas import RegisterAccountSchema


class ProblemSchema(Schema):
    """RFC 9457 problem details; ``errors`` names each bad field of a 422."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class InvitationLinkSchema(Schema):
    invitation = Line(
        load_default=None,
        max_length=1000,
        metadata={"description": "the token of the invitation link the person followed"},
    )


class SignUpSchema(RegisterAccountSchema, InvitationLinkSchema):
    pass


class AccountSchema(Schema):
    id = fields.UUID(required=True, attribute="account_id")
    email = fields.String(required=True)
    name = fields.String(required=True)
    time_zone = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "the IANA zone the person reads times in; null: each alliance's own"
        },
    )
    email_confirmed = fields.Boolean(
        required=True,
        metadata={
            "description": "whether the address is proven: by its mailed link, or by an "
            "invitation's link that reached it; invitations are accepted only then"
        },
    )
    email_problem = fields.String(
        allow_none=True,
        metadata={"description": "on sign-up: why the link that confirms it was not mailed"},
    )
    mail = fields.Dict(
        keys=fields.String(),
        values=fields.Boolean(),
        required=True,
        metadata={
            "description": "each kind of mail (checkin, alert, digest): whether it is sent to "
            "this account, in every alliance"
        },
    )


class ConfirmationSentSchema(Schema):
    emailed = fields.Boolean(
        required=True, metadata={"description": "false when the tracker sends no mail"}
    )
    email_problem = fields.String(
        required=True, allow_none=True, metadata={"description": "why it could not be sent"}
    )


class TokenSchema(Schema):
    token = fields.String(required=True)
    expires_at = fields.DateTime(required=True)


class PersonSchema(Schema):
    id = fields.UUID(required=True, attribute="member_id")
    name = fields.String(required=True)
