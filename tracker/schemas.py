"""One marshmallow schema per command payload, shared by the service, the pages and the API.

Loading a payload is the only validation a command needs before the domain's own rules:
each error names its field, and unknown fields are refused rather than silently dropped.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from tracker import clean_text, passwords
from tracker.domain import rhythm
from tracker.domain.errors import InvalidInput, InvalidRhythm
from tracker.domain.rhythm import RULE_MAX, Rhythm
from tracker.domain.vocabulary import (
    ALLIANCE_KINDS,
    COMMITMENT_OUTCOMES,
    COMMITMENT_SOURCES,
    CONFLICT_OUTCOMES,
    MAIL_KINDS,
    PROPOSAL_KINDS,
    SEVERITIES,
    SRS_ITEMS,
    SRS_MAX,
    TERM_CATEGORIES,
    VALENCES,
    VISIBILITIES,
    WEBHOOK_FORMATS,
)
from tracker.fields import (
    COMMITMENT_MAX,
    EMAIL_MAX,
    NAME_MAX,
    QUESTION_MAX,
    REASON_MAX,
    ROLE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    VERSION_MAX,
    ZONE_MAX,
    Day,
    EmailAddress,
    Flag,
    Instant,
    Line,
    NewPassword,
    Text,
    WebAddress,
    WholeNumber,
    choice,
    exact,
    optional_text,
)


class RegisterAccountSchema(Schema):
    email = EmailAddress(required=True)
    name = Line(required=True, max_length=NAME_MAX)
    password = NewPassword(required=True, load_only=True)


class SignInSchema(Schema):
    email = Line(required=True, max_length=EMAIL_MAX)
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=1, max=passwords.MAX_LENGTH),
        metadata={"pattern": clean_text.LINE_PATTERN},
    )


class FoundAllianceSchema(Schema):
    title = Line(required=True, max_length=TITLE_MAX)
    purpose = optional_text(TEXT_MAX)
    kind = choice(ALLIANCE_KINDS, required=True)
    role = Line(required=True, max_length=ROLE_MAX)


class ScheduleDesignConversationSchema(Schema):
    at = Instant(required=True)


class InviteMemberSchema(Schema):
    email = EmailAddress(required=True)
    role = Line(required=True, max_length=ROLE_MAX)


class JoinAllianceSchema(Schema):
    invitation_id = fields.UUID(required=True)
    agreed_version = WholeNumber(required=True, validate=validate.Range(min=0, max=VERSION_MAX))


class AcceptInvitationSchema(Schema):
    """The version the invitee read; left out, the version in force when they accept."""

    agreed_version = WholeNumber(
        validate=validate.Range(min=0, max=VERSION_MAX), load_default=None, allow_none=True
    )


class ProposedScheduleSchema(Schema):
    """A rhythm's schedule: RFC 5545 rule, local start, IANA zone (see domain.rhythm)."""

    rule = exact(
        rhythm.RULE_PATTERN,
        maxLength=RULE_MAX,
        description="an RFC 5545 recurrence rule, at most daily, like FREQ=WEEKLY;BYDAY=MO;"
        "BYHOUR=9. Refused besides, by name: a FREQ other than DAILY, WEEKLY, MONTHLY or"
        " YEARLY, a part RFC 5545 does not know, a rule that comes round more often than"
        f" daily or not within {rhythm.SEARCH_YEARS} years of its start",
    )
    start = exact(
        rhythm.START_PATTERN,
        description="the first check-in's local date and time, like 2026-05-04T09:00; refused"
        " besides if more than two years from today",
    )
    zone = fields.String(
        required=True,
        validate=validate.Length(max=ZONE_MAX),
        metadata={"enum": sorted(rhythm.ZONES)},
    )

    @post_load
    def _rhythm(self, data: dict[str, Any], **_: Any) -> Rhythm:
        try:
            return Rhythm.parse(data["rule"], data["start"], data["zone"])
        except InvalidRhythm as invalid:
            raise ValidationError(invalid.fields) from None


# What each kind of proposal must carry besides its kind (the OpenAPI document says so too).
PROPOSAL_NEEDS: dict[str, tuple[str, ...]] = {
    "add": ("category", "text"),
    "amend": ("term_id", "based_on_version", "text"),
    "retire": ("term_id", "based_on_version"),
}


class ProposeSchema(Schema):
    kind = choice(PROPOSAL_KINDS, required=True)
    category = choice(TERM_CATEGORIES, load_default=None)
    text = Text(max_length=TEXT_MAX, load_default=None)
    term_id = fields.UUID(load_default=None)
    based_on_version = WholeNumber(
        validate=validate.Range(min=1, max=VERSION_MAX), load_default=None
    )
    rationale = optional_text(REASON_MAX)
    schedule = fields.Nested(ProposedScheduleSchema, load_default=None, allow_none=True)

    @validates_schema
    def _fields_the_kind_needs(self, data: dict[str, Any], **_: Any) -> None:
        needs = PROPOSAL_NEEDS[data["kind"]]
        missing = {
            name: [f"required when kind is {data['kind']}"]
            for name in needs
            if data.get(name) is None
        }
        if missing:
            raise ValidationError(missing)


class DeclineProposalSchema(Schema):
    reason = optional_text(REASON_MAX)


class OpenRedesignSchema(Schema):
    reason = Text(required=True, max_length=REASON_MAX)


class ConcludeRedesignSchema(Schema):
    summary = optional_text(REASON_MAX)


class RequestTendingSchema(Schema):
    message = optional_text(REASON_MAX)


class AddressTendingSchema(Schema):
    reply = Text(required=True, max_length=REASON_MAX)


class EndAllianceSchema(Schema):
    reason = optional_text(REASON_MAX)


class LogFeedbackSchema(Schema):
    text = Text(required=True, max_length=TEXT_MAX)
    valence = choice(VALENCES, required=True)
    visibility = choice(VISIBILITIES, load_default="shared")
    term_id = fields.UUID(load_default=None, allow_none=True)


class ReplyToNoteSchema(Schema):
    text = Text(required=True, max_length=TEXT_MAX)


class ReportConflictSchema(Schema):
    description = Text(required=True, max_length=TEXT_MAX)
    occurred_at = Instant(required=True)
    severity = choice(SEVERITIES, required=True)
    term_id = fields.UUID(load_default=None, allow_none=True)


class AcknowledgeConflictSchema(Schema):
    note = optional_text(REASON_MAX)


class ResolveConflictSchema(Schema):
    resolution = Text(required=True, max_length=TEXT_MAX)
    outcome = choice(CONFLICT_OUTCOMES, required=True)


class ReopenConflictSchema(Schema):
    reason = Text(required=True, max_length=REASON_MAX)


class MakeCommitmentSchema(Schema):
    what = Line(required=True, max_length=COMMITMENT_MAX)
    owner_id = fields.UUID(
        required=True, metadata={"description": "the member who will do it: one of the alliance's"}
    )
    due_on = Day(
        required=True,
        metadata={
            "description": "the day it is to be done by: from today (as the zone furthest"
            " behind UTC counts days) to two years ahead"
        },
    )
    term_id = fields.UUID(
        load_default=None, allow_none=True, metadata={"description": "a term it serves"}
    )
    source = choice(
        COMMITMENT_SOURCES,
        required=True,
        metadata={
            "description": "where it was made: a check-in, a resolved conflict, or the open"
            " redesign"
        },
    )
    source_id = fields.UUID(
        required=True, metadata={"description": "that check-in's, conflict's or redesign's id"}
    )


class ReviewCommitmentSchema(Schema):
    checkin_id = fields.UUID(
        required=True,
        metadata={"description": "the open check-in, opened after it was made, it is answered in"},
    )
    outcome = choice(COMMITMENT_OUTCOMES, required=True)
    carried_to = Day(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "its new date, from today to two years ahead: required to carry it"
            " over, and only then"
        },
    )


class PromptCheckInSchema(Schema):
    slot = Instant(required=True)
    closes_at = Instant(required=True)

    @validates_schema
    def _window_after_slot(self, data: dict[str, Any], **_: Any) -> None:
        if data["closes_at"] <= data["slot"]:
            raise ValidationError({"closes_at": ["must be after slot"]})


class RespondToCheckInSchema(Schema):
    answers = fields.Dict(
        keys=Line(max_length=QUESTION_MAX),
        values=Text(max_length=TEXT_MAX, min_length=0),
        load_default=dict,
        validate=validate.Length(max=20),
    )
    ratings = fields.Nested(
        lambda: RatingsSchema(),
        required=True,
        metadata={"description": "the Session Rating Scale's four items, each 0 to 10"},
    )


def _rating() -> WholeNumber:
    return WholeNumber(required=True, validate=validate.Range(min=0, max=SRS_MAX))


class RatingsSchema(Schema):
    """Each of the Session Rating Scale's items (SRS_ITEMS), and nothing else."""

    relationship = _rating()
    goals = _rating()
    approach = _rating()
    overall = _rating()


assert tuple(RatingsSchema._declared_fields) == SRS_ITEMS


def load(schema: type[Schema], payload: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a payload, raising InvalidInput that names every bad field."""
    if not isinstance(payload, Mapping):
        raise InvalidInput({"_schema": ["expected an object"]})
    # Whatever the schema makes of a field, no string of any field is kept if it is not text.
    unclean = clean_text.faults(payload)
    if unclean:
        raise InvalidInput(unclean)
    try:
        data: dict[str, Any] = _instance(schema).load(payload)
    except ValidationError as error:
        raise InvalidInput(_flatten(error.messages)) from None
    return data


# A schema instance holds no state between loads (marshmallow 4 has no context), and making
# one costs more than the load itself.
@functools.cache
def _instance(schema: type[Schema]) -> Schema:
    return schema()


def _flatten(messages: Any) -> dict[str, list[str]]:
    if isinstance(messages, dict):
        return {str(key): _as_list(value) for key, value in messages.items()}
    return {"_schema": _as_list(messages)}


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    if isinstance(value, dict):
        return [f"{key}: {', '.join(_as_list(item))}" for key, item in value.items()]
    return [str(value)]


class SetWebhookSchema(Schema):
    url = WebAddress(
        required=True,
        allow_none=True,
        metadata={
            "description": "the receiver's address; null removes the webhook. Refused"
            " besides, by name: a written-out address of loopback, a private or link-local"
            " network (it would call the machines around the tracker)"
        },
    )
    format = choice(
        tuple(WEBHOOK_FORMATS),
        load_default="json",
        metadata={
            "description": "the body its calls are written in: json (the tracker's own, with"
            " a Slack-compatible text), slack (Block Kit blocks) or teams (an Adaptive Card"
            " for a Microsoft Teams Workflows webhook)"
        },
    )


class MailChoiceSchema(Schema):
    kind = fields.String(
        required=True,
        validate=validate.OneOf(list(MAIL_KINDS)),
        metadata={"description": "check-in prompts, alerts, or the weekly digest"},
    )
    enabled = Flag(required=True)


class TimeZoneSchema(Schema):
    """The zone a person reads times in; null for each alliance's own."""

    zone = fields.String(
        required=True,
        allow_none=True,
        validate=[
            validate.Length(max=ZONE_MAX),
            validate.OneOf(
                sorted(rhythm.ZONES), error="must be an IANA time zone, like Europe/London"
            ),
        ],
        metadata={
            "description": "an IANA time zone, like Europe/London; null for each"
            " alliance's own zone"
        },
    )


class SetReviewCadenceSchema(Schema):
    every_months = WholeNumber(
        required=True,
        allow_none=True,
        validate=validate.Range(min=1, max=36),
        metadata={"description": "months between reviews of the agreement; null for none"},
    )


class SnoozeAlertSchema(Schema):
    until = Day(
        required=True,
        metadata={"description": "the day it comes back, from tomorrow to a year ahead"},
    )


class ResolveAlertSchema(Schema):
    note = Text(
        required=True, max_length=REASON_MAX, metadata={"description": "how it was dealt with"}
    )


class SetAlertRuleSchema(Schema):
    enabled = Flag(required=True)
    threshold = WholeNumber(
        required=True,
        validate=validate.Range(min=0, max=100),
        metadata={"description": "within the rule's own bounds, which the rules list states"},
    )
