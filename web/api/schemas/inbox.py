"""The answer of the inbox: what waits for the person, by kind."""

from __future__ import annotations

from marshmallow import Schema, fields


class _InboxItem(Schema):
    alliance_id = fields.UUID(required=True)
    title = fields.String(required=True, metadata={"description": "the alliance's"})


class InboxCheckInSchema(_InboxItem):
    checkin_id = fields.UUID(required=True)
    slot = fields.String(required=True)
    closes_at = fields.String(required=True)


class InboxProposalSchema(_InboxItem):
    proposal_id = fields.UUID(required=True)
    kind = fields.String(required=True)
    category = fields.String(required=True)
    text = fields.String(required=True)
    proposer_name = fields.String(required=True)
    proposed_at = fields.String(required=True)


class InboxConflictSchema(_InboxItem):
    conflict_id = fields.UUID(required=True)
    description = fields.String(required=True)
    severity = fields.String(required=True)
    reporter_name = fields.String(required=True)
    reported_at = fields.String(required=True)


class InboxTendingSchema(_InboxItem):
    signal_id = fields.UUID(required=True)
    message = fields.String(required=True)
    member_name = fields.String(required=True)
    raised_at = fields.String(required=True)


class InboxRedesignPromptSchema(_InboxItem):
    reason = fields.String(required=True)
    suggested_at = fields.String(required=True)


class InboxCommitmentSchema(_InboxItem):
    commitment_id = fields.UUID(required=True)
    what = fields.String(required=True)
    due_on = fields.String(required=True, metadata={"description": "a date"})
    overdue = fields.Boolean(
        required=True, metadata={"description": "its day has passed on your calendar"}
    )


class InboxAlertSchema(_InboxItem):
    alert_id = fields.UUID(required=True)
    rule = fields.String(required=True)
    rule_title = fields.String(required=True, metadata={"description": "the rule's name"})
    severity = fields.String(required=True, metadata={"enum": ["red", "yellow"]})
    summary = fields.String(required=True)
    raised_at = fields.String(required=True)
    acknowledged_at = fields.String(allow_none=True, required=True)


class InboxSchema(Schema):
    checkins = fields.List(
        fields.Nested(InboxCheckInSchema),
        required=True,
        metadata={"description": "open check-ins you have not answered"},
    )
    proposals = fields.List(
        fields.Nested(InboxProposalSchema),
        required=True,
        metadata={"description": "proposals awaiting your acceptance"},
    )
    conflicts = fields.List(
        fields.Nested(InboxConflictSchema),
        required=True,
        metadata={"description": "reports by others, not yet acknowledged"},
    )
    tending = fields.List(fields.Nested(InboxTendingSchema), required=True)
    redesign_prompts = fields.List(fields.Nested(InboxRedesignPromptSchema), required=True)
    commitments = fields.List(
        fields.Nested(InboxCommitmentSchema),
        required=True,
        metadata={"description": "your open commitments due today or before"},
    )
    alerts = fields.List(
        fields.Nested(InboxAlertSchema),
        required=True,
        metadata={"description": "open alerts, not snoozed, in your alliances"},
    )
