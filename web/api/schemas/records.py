"""The answers about feedback notes and conflict reports."""

from __future__ import annotations

from marshmallow import Schema, fields

from tracker.domain.vocabulary import (
    CONFLICT_OUTCOMES,
    CONFLICT_STATUSES,
    SEVERITIES,
    VALENCES,
    VISIBILITIES,
)


class ReplySchema(Schema):
    member_id = fields.UUID(required=True)
    member_name = fields.String(required=True)
    text = fields.String(required=True)
    replied_at = fields.String(required=True)


class FeedbackNoteSchema(Schema):
    id = fields.UUID(required=True, attribute="note_id")
    author_id = fields.UUID(required=True)
    author_name = fields.String(required=True)
    text = fields.String(required=True)
    valence = fields.String(required=True, metadata={"enum": list(VALENCES)})
    visibility = fields.String(
        required=True,
        metadata={
            "enum": list(VISIBILITIES),
            "description": "private: its author alone sees it",
        },
    )
    term_id = fields.UUID(allow_none=True)
    term_version = fields.Integer(
        allow_none=True, metadata={"description": "the version in force when it was logged"}
    )
    logged_at = fields.String(required=True)
    shared_at = fields.String(allow_none=True)
    replies = fields.List(fields.Nested(ReplySchema), required=True)


class FeedbackPageSchema(Schema):
    notes = fields.List(fields.Nested(FeedbackNoteSchema), required=True)
    next_cursor = fields.String(
        allow_none=True, metadata={"description": "pass as ?cursor= for the next, older page"}
    )


class ConflictSchema(Schema):
    id = fields.UUID(required=True, attribute="conflict_id")
    reporter_id = fields.UUID(required=True)
    reporter_name = fields.String(required=True)
    description = fields.String(required=True)
    occurred_at = fields.String(required=True)
    severity = fields.String(required=True, metadata={"enum": list(SEVERITIES)})
    term_id = fields.UUID(allow_none=True)
    term_version = fields.Integer(
        allow_none=True, metadata={"description": "the version in force when it happened"}
    )
    term_text = fields.String(allow_none=True, metadata={"description": "that version's words"})
    status = fields.String(required=True, metadata={"enum": list(CONFLICT_STATUSES)})
    reported_at = fields.String(required=True)
    acknowledged_by = fields.UUID(allow_none=True)
    acknowledged_at = fields.String(allow_none=True)
    acknowledgement = fields.String(allow_none=True)
    resolved_by = fields.UUID(allow_none=True)
    resolved_at = fields.String(allow_none=True)
    resolution = fields.String(allow_none=True)
    outcome = fields.String(
        allow_none=True,
        metadata={"description": "once resolved: " + " or ".join(CONFLICT_OUTCOMES)},
    )
    redesign_id = fields.UUID(allow_none=True)
    reopened_at = fields.String(allow_none=True)
    reopen_reason = fields.String(allow_none=True)
