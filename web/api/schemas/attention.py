"""The answer of the attention queue: each of the person's alliances by need, with why."""

from __future__ import annotations

from marshmallow import Schema, fields

from projections.attention.place import NEEDS


class _Reason(Schema):
    kind = fields.String(
        required=True, metadata={"description": "a health component's key, or tending, commitments"}
    )
    status = fields.String(required=True, metadata={"enum": ["red", "yellow"]})
    title = fields.String(required=True)
    text = fields.String(required=True, metadata={"description": "why, in words"})


class _Overall(Schema):
    status = fields.String(required=True)
    summary = fields.String(required=True)


class _OldestConflict(Schema):
    conflict_id = fields.UUID(required=True)
    reported_at = fields.String(required=True)
    severity = fields.String(required=True)


class _Overdue(Schema):
    commitment_id = fields.UUID(required=True)
    what = fields.String(required=True)
    due_on = fields.String(required=True)


class _OpenAlert(Schema):
    alert_id = fields.UUID(required=True)
    rule = fields.String(required=True)
    summary = fields.String(required=True)
    raised_at = fields.String(required=True)
    acknowledged = fields.Boolean(required=True)


class AttentionEntrySchema(Schema):
    alliance_id = fields.UUID(required=True)
    title = fields.String(required=True)
    kind = fields.String(required=True)
    role = fields.String(required=True, metadata={"description": "yours in the alliance"})
    agreement_version = fields.Integer(required=True)
    need = fields.String(required=True, metadata={"enum": list(NEEDS)})
    need_words = fields.String(required=True)
    why_here = fields.String(
        required=True, metadata={"description": "the reason for this place in the order"}
    )
    waiting_since = fields.String(required=True)
    waiting_for = fields.String(required=True, metadata={"description": "what it waits on"})
    health = fields.Nested(_Overall, required=True)
    reasons = fields.List(fields.Nested(_Reason), required=True)
    alerts = fields.List(
        fields.Nested(_OpenAlert), required=True, metadata={"description": "open, not snoozed"}
    )
    alerts_snoozed = fields.Integer(required=True)
    open_conflicts = fields.Integer(required=True)
    oldest_conflict = fields.Nested(_OldestConflict, allow_none=True, required=True)
    tending_open = fields.Integer(required=True)
    commitments_open = fields.Integer(required=True)
    commitments_overdue = fields.List(fields.Nested(_Overdue), required=True)
    review_due_at = fields.String(allow_none=True, required=True)
    review_overdue = fields.Boolean(required=True)
    next_checkin = fields.String(allow_none=True, required=True)
    last_checkin = fields.String(allow_none=True, required=True)
    zone = fields.String(required=True, metadata={"description": "the alliance's time zone"})
    as_of = fields.String(required=True, metadata={"description": "when the place was judged"})


class AttentionSchema(Schema):
    as_of = fields.String(required=True)
    total = fields.Integer(required=True, metadata={"description": "alliances in the queue"})
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "how many of your alliances (of the kind asked) at each need"},
    )
    alliances = fields.List(fields.Nested(AttentionEntrySchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)
