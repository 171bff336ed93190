"""What the API answers with. Requests are validated by the commands' own schemas in
tracker.schemas; these describe responses, for dumping and for the OpenAPI document."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from projections.health.rules import ALL_BANDS, STATUS_WORDS
from tracker.domain.vocabulary import (
    CHECKIN_STATUSES,
    CONFLICT_OUTCOMES,
    CONFLICT_STATUSES,
    SEVERITIES,
    VALENCES,
    VISIBILITIES,
)
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


class PromptSchema(Schema):
    category = fields.String(required=True)
    prompt = fields.String(required=True)


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
    key_version = fields.Integer(required=True)
    signing_key = fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "HMAC-SHA256 key: X-Tracker-Signature is sha256=HMAC(key, "
            "X-Tracker-Timestamp + '.' + body)"
        },
    )


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


class ReviewCadenceSchema(Schema):
    review_every_months = fields.Integer(allow_none=True, required=True)
    review_due_at = fields.String(
        allow_none=True, required=True, metadata={"description": "when the next review is due"}
    )


class CalendarFeedSchema(Schema):
    url = fields.String(required=True, metadata={"description": "an iCalendar (.ics) address"})
    key_version = fields.Integer(required=True)


class HealthTrendSchema(Schema):
    direction = fields.String(required=True, metadata={"enum": ["up", "down", "steady"]})
    meaning = fields.String(required=True, metadata={"enum": ["better", "worse", "same"]})
    previous = fields.Float(
        allow_none=True,
        required=True,
        metadata={"description": "the value over the four weeks before"},
    )


class HealthLinkSchema(Schema):
    label = fields.String(required=True)
    href = fields.String(required=True, metadata={"description": "a page of the alliance"})


class HealthComponentSchema(Schema):
    key = fields.String(required=True, metadata={"enum": [band.key for band in ALL_BANDS]})
    title = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": list(STATUS_WORDS)})
    status_words = fields.String(required=True)
    value = fields.Float(
        allow_none=True,
        required=True,
        metadata={"description": "null when there is not enough data, or a ratio has no concerns"},
    )
    display = fields.String(required=True, metadata={"description": "the value, in words"})
    trend = fields.Nested(HealthTrendSchema, allow_none=True, required=True)
    explanation = fields.String(required=True)
    rule = fields.String(required=True, metadata={"description": "the thresholds, in words"})
    links = fields.List(fields.Nested(HealthLinkSchema), required=True)
    details = fields.Dict(
        required=True,
        metadata={"description": "the counts behind the value; private figures are yours only"},
    )


class HealthOverallSchema(Schema):
    status = fields.String(required=True, metadata={"enum": list(STATUS_WORDS)})
    summary = fields.String(required=True, metadata={"description": "names every red component"})


class HealthThresholdSchema(Schema):
    component = fields.String(required=True)
    title = fields.String(required=True)
    rule = fields.String(required=True)
    no_data = fields.String(required=True)


class HealthPeriodSchema(Schema):
    from_ = fields.String(required=True, data_key="from", attribute="from")
    until = fields.String(required=True)


class HealthSchema(Schema):
    alliance_id = fields.UUID(required=True)
    as_of = fields.String(required=True)
    zone = fields.String(required=True, metadata={"description": "weeks begin Monday here"})
    period = fields.Nested(HealthPeriodSchema, required=True)
    overall = fields.Nested(HealthOverallSchema, required=True)
    components = fields.List(fields.Nested(HealthComponentSchema), required=True)
    thresholds = fields.List(fields.Nested(HealthThresholdSchema), required=True)


class HealthPrivateSchema(Schema):
    appreciations = fields.Integer(required=True)
    concerns = fields.Integer(required=True)
    neutrals = fields.Integer(required=True)


class HealthWeekSchema(Schema):
    week = fields.String(required=True, metadata={"description": "its Monday, in the zone"})
    starts_at = fields.String(required=True)
    srs_total = fields.Float(allow_none=True, required=True)
    srs_items = fields.Dict(
        keys=fields.String(), values=fields.Float(allow_none=True), required=True
    )
    answers = fields.Integer(required=True)
    positivity = fields.Float(
        allow_none=True,
        required=True,
        metadata={"description": "appreciations per concern; null if too few or no concerns"},
    )
    appreciations = fields.Integer(required=True)
    concerns = fields.Integer(required=True)
    neutrals = fields.Integer(required=True)
    adherence = fields.Float(allow_none=True, required=True)
    scheduled_checkins_closed = fields.Integer(required=True)
    scheduled_checkins_completed = fields.Integer(required=True)
    open_conflicts = fields.Integer(required=True)
    conflicts_reported = fields.Integer(required=True)
    conflicts_resolved = fields.Integer(required=True)
    participation = fields.Float(allow_none=True, required=True)
    divergence = fields.Float(allow_none=True, required=True)
    days_since_review = fields.Integer(allow_none=True, required=True)
    private = fields.Nested(
        HealthPrivateSchema, metadata={"description": "your own private notes; only yours"}
    )


class HealthMarkSchema(Schema):
    at = fields.String(required=True)
    kind = fields.String(
        required=True,
        metadata={"enum": ["agreement", "redesign_opened", "redesign_concluded"]},
    )
    label = fields.String(required=True)
    version = fields.Integer(allow_none=True, required=True)
    redesign_id = fields.UUID(allow_none=True, required=True)


class HealthHistorySchema(Schema):
    alliance_id = fields.UUID(required=True)
    zone = fields.String(required=True)
    from_ = fields.String(required=True, data_key="from", attribute="from")
    to = fields.String(required=True)
    weeks = fields.List(fields.Nested(HealthWeekSchema), required=True)
    marks = fields.List(fields.Nested(HealthMarkSchema), required=True)
