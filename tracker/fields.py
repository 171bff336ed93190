"""The kinds of field the command schemas are made of. Each cleans and checks one kind of
value (text at the door, an instant, a day, a whole number, an address, a new password) with the
reason when it refuses, and states its rule in the metadata the API's document is made of.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from marshmallow import ValidationError, fields, validate

from tracker import clean_text, passwords

# Documented maximum lengths, in characters.
ZONE_MAX = 64  # the longest IANA name is 32
TITLE_MAX = 120
NAME_MAX = 120
ROLE_MAX = 40
TEXT_MAX = 4000
REASON_MAX = 2000
EMAIL_MAX = 254
QUESTION_MAX = 200
COMMITMENT_MAX = 300  # what one will do, as a line: short enough to review aloud


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
    YEARS = "its year from 1901 to 2198"

    @classmethod
    def year_refusal(cls, typed: str) -> str | None:
        """Why an instant as typed is outside the years the document states, or None: the
        same rule for bodies and query strings."""
        return None if re.match(cls.PATTERN, typed) else f"must have {cls.YEARS}"

    def __init__(self, **kwargs: Any) -> None:
        description = f"an ISO 8601 instant with its offset, {self.YEARS}"
        kwargs["metadata"] = {
            "pattern": self.PATTERN,
            "description": description,
            **kwargs.get("metadata", {}),
        }
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        instant: datetime = super()._deserialize(value, attr, data, **kwargs)
        refused = self.year_refusal(value) if isinstance(value, str) else None
        if refused is not None:
            raise ValidationError(refused)
        try:
            utc = instant.astimezone(UTC)
        except OverflowError:
            utc = None
        if utc is None or not self.EARLIEST <= utc < self.LATEST:
            raise ValidationError("must be between the years 1900 and 2199")
        return instant


class Day(fields.Date):
    """A calendar day written YYYY-MM-DD, and only so: marshmallow's Date alone also takes
    20260110 and 2026-W02-5, which the document does not describe."""

    PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

    def __init__(self, **kwargs: Any) -> None:
        kwargs["metadata"] = {"pattern": self.PATTERN, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        if not isinstance(value, str) or not re.fullmatch(self.PATTERN[1:-1], value):
            raise ValidationError("give a day as YYYY-MM-DD")
        day: date = super()._deserialize(value, attr, data, **kwargs)
        return day


class WholeNumber(fields.Integer):
    """An integer as JSON has it: 3, or 3.0 (JSON Schema's integer too), never "3" or true."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
            value = int(value)
        number: int = super()._deserialize(value, attr, data, **kwargs)
        return number


class Flag(fields.Boolean):
    """true or false as JSON has them: never 0, 1 or "yes" (0 == False in Python, so a
    truthy set of {True} alone would take 0 and 1 too)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


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


def choice(options: tuple[str, ...], **kwargs: Any) -> fields.String:
    return fields.String(validate=validate.OneOf(options), **kwargs)


def optional_text(max_length: int) -> Text:
    return Text(max_length=max_length, min_length=0, load_default="")


class NewPassword(fields.String):
    """Taken exactly as typed (spaces count), and refused with the reason if it is weak."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["metadata"] = {
            "pattern": clean_text.NOT_BLANK_LINE,
            "minLength": passwords.MIN_LENGTH,
            "maxLength": passwords.MAX_LENGTH,
            "description": "not spaces alone, and hard to guess: zxcvbn's score of at least "
            f"{passwords.MIN_SCORE} of 4, with the email and name as the first words an "
            "attacker would try (Unicode NFKC normalised before it is judged or hashed)",
        }
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


def exact(pattern: str, **metadata: Any) -> fields.String:
    """Text taken as it is, not trimmed: the pattern the document states is then the whole
    rule for its form (Rhythm.parse checks the same)."""
    return fields.String(required=True, metadata={"pattern": pattern, **metadata})


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
