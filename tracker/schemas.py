"""One marshmallow schema per command payload, shared by the service, the pages and the API.

Loading a payload is the only validation a command needs before the domain's own rules:
each error names its field, and unknown fields are refused rather than silently dropped.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from tracker import clean_text, passwords
from tracker.domain import rhythm
from tracker.domain.errors import InvalidInput, InvalidRhythm
from tracker.domain.rhythm import RULE_MAX, Rhythm
from tracker.domain.vocabulary import (
    ALLIANCE_KINDS,
    CONFLICT_OUTCOMES,
    PROPOSAL_KINDS,
    SEVERITIES,
    SRS_ITEMS,
    SRS_MAX,
    TERM_CATEGORIES,
    VALENCES,
    VISIBILITIES,
)

# Documented maximum lengths, in characters.
ZONE_MAX = 64  # the longest IANA name is 32
TITLE_MAX = 120
NAME_MAX = 120
ROLE_MAX = 40
TEXT_MAX = 4000
REASON_MAX = 2000
EMAIL_MAX = 254
QUESTION_MAX = 200


class Text(fields.String):
    """Text as tracker.clean_text admits it (CR LF read as LF), with surrounding white space
    removed, so "   " counts as empty."""

    single_line = False

    def __init__(self, *, max_length: int, min_length: int = 1, **kwargs: Any) -> None:
        # The document states the rule too, so that what it describes is what is taken.
        if self.single_line:
            pattern = clean_text.NOT_BLANK_LINE if min_length else clean_text.LINE_PATTERN
        else:
            pattern = clean_text.NOT_BLANK_TEXT if min_length else clean_text.TEXT_PATTERN
        kwargs["metadata"] = {"pattern": pattern, **kwargs.get("metadata", {})}
        super().__init__(validate=validate.Length(min=min_length, max=max_length), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = clean_text.normalise(super()._deserialize(value, attr, data, **kwargs))
        problem = clean_text.fault(text, single_line=self.single_line)
        if problem is not None:
            raise ValidationError(problem)
        return text.strip()


class Line(Text):
    """A single-line text: a name, a title, a role, an address, a time zone."""

    single_line = True


class Instant(fields.AwareDateTime):
    """An instant with its offset, between 1900 and 2200. Beyond, it is a typing slip; and
    year 1 at +01:00 has no UTC form at all: recorded, it would stop the views of everyone."""

    EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
    LATEST = datetime(2200, 1, 1, tzinfo=UTC)
    # The years the document states: a day's offset either way keeps them within the bounds.
    PATTERN = "^(190[1-9]|19[1-9][0-9]|20[0-9][0-9]|21[0-8][0-9]|219[0-8])-"

    def __init__(self, **kwargs: Any) -> None:
        description = "an ISO 8601 instant with its offset, from 1900 to 2199 in UTC"
        kwargs["metadata"] = {
            "pattern": self.PATTERN,
            "description": description,
            **kwargs.get("metadata", {}),
        }
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        instant: datetime = super()._deserialize(value, attr, data, **kwargs)
        try:
            utc = instant.astimezone(UTC)
        except OverflowError:
            utc = None
        if utc is None or not self.EARLIEST <= utc < self.LATEST:
            raise ValidationError("must be between the years 1900 and 2199")
        return instant


class WholeNumber(fields.Integer):
    """An integer as JSON has it: 3, or 3.0 (JSON Schema's integer too), never "3" or true."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
            value = int(value)
        number: int = super()._deserialize(value, attr, data, **kwargs)
        return number


VERSION_MAX = 2**31 - 1  # what every store's integer columns hold


class EmailAddress(fields.Email):
    """An email as people paste it: surrounding spaces are not part of the address."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(validate=validate.Length(max=EMAIL_MAX), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, str):
            value = value.strip()
            problem = clean_text.fault(value, single_line=True)
            if problem is not None:
                raise ValidationError(problem)
        address: str = super()._deserialize(value, attr, data, **kwargs)
        return address


def _choice(options: tuple[str, ...], **kwargs: Any) -> fields.String:
    return fields.String(validate=validate.OneOf(options), **kwargs)


def _optional_text(max_length: int) -> Text:
    return Text(max_length=max_length, min_length=0, load_default="")


class NewPassword(fields.String):
    """Taken exactly as typed (spaces count), and refused with the reason if it is weak."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["metadata"] = {"pattern": clean_text.NOT_BLANK_LINE, "minLength": 10}
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        password = super()._deserialize(value, attr, data, **kwargs)
        own_words = [str(data.get(name, "")) for name in ("email", "name")] if data else []
        problem = clean_text.fault(password, single_line=True) or passwords.weakness(
            password, own_words
        )
        if problem is not None:
            raise ValidationError(problem)
        return password


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
    purpose = _optional_text(TEXT_MAX)
    kind = _choice(ALLIANCE_KINDS, required=True)
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


def _exact(pattern: str, **metadata: Any) -> fields.String:
    """Text taken as it is, not trimmed: the pattern the document states is then the whole
    rule for its form (Rhythm.parse checks the same)."""
    return fields.String(required=True, metadata={"pattern": pattern, **metadata})


class ProposedScheduleSchema(Schema):
    """A rhythm's schedule: RFC 5545 rule, local start, IANA zone (see domain.rhythm)."""

    rule = _exact(
        rhythm.RULE_PATTERN,
        maxLength=RULE_MAX,
        description="an RFC 5545 recurrence rule, at most daily, like FREQ=WEEKLY;BYDAY=MO;"
        "BYHOUR=9. Refused besides, by name: a FREQ other than DAILY, WEEKLY, MONTHLY or"
        " YEARLY, a part RFC 5545 does not know, a rule that comes round more often than"
        f" daily or not within {rhythm.SEARCH_YEARS} years of its start",
    )
    start = _exact(
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
    kind = _choice(PROPOSAL_KINDS, required=True)
    category = _choice(TERM_CATEGORIES, load_default=None)
    text = Text(max_length=TEXT_MAX, load_default=None)
    term_id = fields.UUID(load_default=None)
    based_on_version = WholeNumber(
        validate=validate.Range(min=1, max=VERSION_MAX), load_default=None
    )
    rationale = _optional_text(REASON_MAX)
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
    reason = _optional_text(REASON_MAX)


class OpenRedesignSchema(Schema):
    reason = Text(required=True, max_length=REASON_MAX)


class ConcludeRedesignSchema(Schema):
    summary = _optional_text(REASON_MAX)


class RequestTendingSchema(Schema):
    message = _optional_text(REASON_MAX)


class AddressTendingSchema(Schema):
    reply = Text(required=True, max_length=REASON_MAX)


class EndAllianceSchema(Schema):
    reason = _optional_text(REASON_MAX)


class LogFeedbackSchema(Schema):
    text = Text(required=True, max_length=TEXT_MAX)
    valence = _choice(VALENCES, required=True)
    visibility = _choice(VISIBILITIES, load_default="shared")
    term_id = fields.UUID(load_default=None, allow_none=True)


class ReplyToNoteSchema(Schema):
    text = Text(required=True, max_length=TEXT_MAX)


class ReportConflictSchema(Schema):
    description = Text(required=True, max_length=TEXT_MAX)
    occurred_at = Instant(required=True)
    severity = _choice(SEVERITIES, required=True)
    term_id = fields.UUID(load_default=None, allow_none=True)


class AcknowledgeConflictSchema(Schema):
    note = _optional_text(REASON_MAX)


class ResolveConflictSchema(Schema):
    resolution = Text(required=True, max_length=TEXT_MAX)
    outcome = _choice(CONFLICT_OUTCOMES, required=True)


class ReopenConflictSchema(Schema):
    reason = Text(required=True, max_length=REASON_MAX)


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


WEBHOOK_URL_MAX = 2000


# A web address as the server takes it: http(s); a host name of labels of letters, digits
# and inner dashes (a written-out IPv4 address is one too, and is refused below when it is
# private); a port from 1 to 65535; a path and a query of URI characters. Every address
# this admits is a URI (RFC 3986), and the server takes exactly what it admits.
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PORT = "(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
_URI_CHAR = "(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})"
WEB_ADDRESS_PATTERN = (
    f"^https?://{_LABEL}(?:[.]{_LABEL})*(?::{_PORT})?"
    f"(?:/{_URI_CHAR}*)?(?:[?](?:{_URI_CHAR}|[?])*)?$"
)


class WebAddress(fields.String):
    def __init__(self, **kwargs: Any) -> None:
        kwargs["metadata"] = {
            "format": "uri",
            "pattern": WEB_ADDRESS_PATTERN,
            **kwargs.get("metadata", {}),
        }
        super().__init__(validate=validate.Length(max=WEBHOOK_URL_MAX), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        address = super()._deserialize(value, attr, data, **kwargs)
        if len(address) > WEBHOOK_URL_MAX:
            raise ValidationError(f"must be at most {WEBHOOK_URL_MAX} characters")
        if not _WEB_ADDRESS.fullmatch(address):
            raise ValidationError(
                "must be an http or https address with a host name, like"
                " https://hooks.example/T1/B2 (no spaces, user name or #fragment)"
            )
        return address


_WEB_ADDRESS = clean_text.server_check(WEB_ADDRESS_PATTERN)


class SetWebhookSchema(Schema):
    url = WebAddress(
        required=True,
        allow_none=True,
        metadata={
            "description": "a Slack-compatible incoming webhook; null removes it. Refused"
            " besides, by name: a written-out address of loopback, a private or link-local"
            " network (it would call the machines around the tracker)"
        },
    )


class CheckInMailSchema(Schema):
    enabled = fields.Boolean(required=True, truthy={True}, falsy={False})


class SetReviewCadenceSchema(Schema):
    every_months = WholeNumber(
        required=True,
        allow_none=True,
        validate=validate.Range(min=1, max=36),
        metadata={"description": "months between reviews of the agreement; null for none"},
    )
