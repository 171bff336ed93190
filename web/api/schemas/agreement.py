"""The answers about the agreement: terms, proposals, their diff and history, redesigns
and tending."""

from __future__ import annotations

from marshmallow import Schema, fields

from web.api.schemas.accounts import PersonSchema
from web.api.schemas.commitments import CommitmentSchema


class ScheduleSchema(Schema):
    rule = fields.String(
        required=True,
        metadata={"description": "RFC 5545 RRULE, like FREQ=WEEKLY;BYDAY=MO;BYHOUR=9"},
    )
    start = fields.String(required=True, metadata={"description": "local date and time"})
    zone = fields.String(required=True, metadata={"description": "IANA time zone"})


SCHEDULE = {"description": "a rhythm term's check-in schedule; null for words alone"}


class TermSchema(Schema):
    id = fields.UUID(required=True, attribute="term_id")
    category = fields.String(required=True)
    text = fields.String(required=True)
    version = fields.Integer(required=True)
    valid_from = fields.String(required=True)
    schedule = fields.Nested(ScheduleSchema, allow_none=True, metadata=SCHEDULE)


class ProposalSchema(Schema):
    id = fields.UUID(required=True, attribute="proposal_id")
    schedule = fields.Nested(ScheduleSchema, allow_none=True, metadata=SCHEDULE)
    status = fields.String(
        required=True, metadata={"enum": ["open", "adopted", "declined", "withdrawn", "lapsed"]}
    )
    kind = fields.String(required=True)
    category = fields.String(required=True)
    text = fields.String(required=True)
    rationale = fields.String(required=True)
    term_id = fields.UUID(required=True)
    based_on_version = fields.Integer(allow_none=True)
    proposer_id = fields.UUID(required=True)
    proposed_at = fields.String(required=True)
    redesign_id = fields.UUID(allow_none=True)
    accepted_by = fields.List(fields.Nested(PersonSchema), required=True)
    awaiting = fields.List(fields.Nested(PersonSchema), required=True)
    closed_at = fields.String(allow_none=True)
    reason = fields.String(allow_none=True, metadata={"description": "why it was declined"})
    term_version = fields.Integer(allow_none=True, metadata={"description": "once adopted"})
    agreement_version = fields.Integer(allow_none=True, metadata={"description": "once adopted"})


class CurrentRedesignSchema(Schema):
    id = fields.UUID(required=True, attribute="redesign_id")
    reason = fields.String(required=True, attribute="redesign_reason")


class TendingSchema(Schema):
    id = fields.UUID(required=True, attribute="signal_id")
    member_id = fields.UUID(required=True)
    member_name = fields.String(required=True)
    message = fields.String(required=True)
    raised_at = fields.String(required=True)
    addressed_at = fields.String(allow_none=True)
    addressed_by = fields.UUID(allow_none=True)
    reply = fields.String(allow_none=True)
    redesign_id = fields.UUID(allow_none=True, metadata={"description": "opened in answer"})


class DiffSegmentSchema(Schema):
    op = fields.String(required=True, metadata={"enum": ["same", "added", "removed"]})
    text = fields.String(required=True)


class TermChangeSchema(Schema):
    term_id = fields.UUID(required=True)
    category = fields.String(required=True)
    change = fields.String(required=True, metadata={"enum": ["added", "amended", "retired"]})
    from_version = fields.Integer(allow_none=True)
    to_version = fields.Integer(allow_none=True)
    before = fields.String(allow_none=True)
    after = fields.String(allow_none=True)
    diff = fields.List(fields.Nested(DiffSegmentSchema), required=True)


class AgreementDiffSchema(Schema):
    from_version = fields.Integer(required=True, data_key="from")
    to_version = fields.Integer(required=True, data_key="to")
    changes = fields.List(fields.Nested(TermChangeSchema), required=True)


class RedesignSchema(Schema):
    id = fields.UUID(required=True, attribute="redesign_id")
    reason = fields.String(required=True)
    opened_by = fields.UUID(required=True)
    opened_at = fields.String(required=True)
    baseline_version = fields.Integer(required=True)
    concluded_by = fields.UUID(allow_none=True)
    concluded_at = fields.String(allow_none=True)
    summary = fields.String(allow_none=True)
    final_version = fields.Integer(allow_none=True)
    changes = fields.List(fields.Nested(TermChangeSchema), required=True)


class AgreementSchema(Schema):
    version = fields.Integer(required=True)
    as_of = fields.String(allow_none=True)
    terms = fields.List(fields.Nested(TermSchema), required=True)


class CitingNoteSchema(Schema):
    id = fields.UUID(required=True, attribute="note_id")
    author_name = fields.String(required=True)
    text = fields.String(required=True)
    valence = fields.String(required=True)
    visibility = fields.String(required=True)
    logged_at = fields.String(required=True)


class CitingConflictSchema(Schema):
    id = fields.UUID(required=True, attribute="conflict_id")
    reporter_name = fields.String(required=True)
    description = fields.String(required=True)
    severity = fields.String(required=True)
    status = fields.String(required=True)
    occurred_at = fields.String(required=True)


class TermVersionSchema(Schema):
    version = fields.Integer(required=True)
    category = fields.String(required=True)
    text = fields.String(required=True)
    valid_from = fields.String(required=True)
    valid_to = fields.String(allow_none=True)
    agreement_from = fields.Integer(required=True)
    agreement_to = fields.Integer(allow_none=True)
    proposal_id = fields.UUID(required=True)
    proposer_id = fields.UUID(required=True)
    proposer_name = fields.String(required=True)
    rationale = fields.String(required=True)
    accepted_by = fields.List(fields.Nested(PersonSchema), required=True)
    diff = fields.List(fields.Nested(DiffSegmentSchema), required=True)
    feedback = fields.List(
        fields.Nested(CitingNoteSchema),
        required=True,
        metadata={"description": "notes that cite this version (private ones: yours only)"},
    )
    conflicts = fields.List(fields.Nested(CitingConflictSchema), required=True)


class TermHistorySchema(Schema):
    id = fields.UUID(required=True, attribute="term_id")
    versions = fields.List(fields.Nested(TermVersionSchema), required=True)
    commitments = fields.List(
        fields.Nested(CommitmentSchema),
        required=True,
        metadata={"description": "made to serve the term, the first made first"},
    )


class PromptSchema(Schema):
    category = fields.String(required=True)
    prompt = fields.String(required=True)


class ReviewCadenceSchema(Schema):
    review_every_months = fields.Integer(allow_none=True, required=True)
    review_due_at = fields.String(
        allow_none=True, required=True, metadata={"description": "when the next review is due"}
    )
