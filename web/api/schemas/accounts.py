"""The answers about accounts and tokens, and a refusal's problem details."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tracker.schemas import RegisterAccountSchema


class ProblemSchema(Schema):
    """RFC 9457 problem details; ``errors`` names each bad field of a 422."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class SignUpSchema(RegisterAccountSchema):
    invitation = fields.String(
        load_default=None,
        validate=validate.Length(max=1000),
        metadata={"description": "the token of the invitation link the person followed"},
    )


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


class TokenSchema(Schema):
    token = fields.String(required=True)
    expires_at = fields.DateTime(required=True)


class PersonSchema(Schema):
    id = fields.UUID(required=True, attribute="member_id")
    name = fields.String(required=True)
