"""The answers about commitments: each with its owner, its date, and every answer given."""

from __future__ import annotations

from marshmallow import Schema, fields

from tracker.domain.vocabulary import COMMITMENT_OUTCOMES, COMMITMENT_SOURCES, COMMITMENT_STATUSES


class CommitmentReviewSchema(Schema):
    checkin_id = fields.UUID(
        required=True, metadata={"description": "the check-in it was given in"}
    )
    outcome = fields.String(required=True, metadata={"enum": list(COMMITMENT_OUTCOMES)})
    carried_to = fields.String(
        allow_none=True, metadata={"description": "the new date, carried over"}
    )
    reviewed_by = fields.UUID(required=True)
    reviewed_at = fields.String(required=True)


class CommitmentSchema(Schema):
    id = fields.UUID(required=True, attribute="commitment_id")
    what = fields.String(required=True)
    owner_id = fields.UUID(required=True)
    owner_name = fields.String(required=True)
    made_by = fields.UUID(required=True)
    made_by_name = fields.String(required=True)
    made_at = fields.String(required=True)
    due_on = fields.String(
        required=True, metadata={"description": "a date (carried over: the latest)"}
    )
    term_id = fields.UUID(allow_none=True, metadata={"description": "the term it serves"})
    source = fields.String(required=True, metadata={"enum": list(COMMITMENT_SOURCES)})
    source_id = fields.UUID(required=True)
    status = fields.String(required=True, metadata={"enum": list(COMMITMENT_STATUSES)})
    closed_at = fields.String(allow_none=True)
    reviews = fields.List(fields.Nested(CommitmentReviewSchema), required=True)
