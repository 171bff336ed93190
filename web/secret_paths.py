"""Paths that carry a secret, and log lines without it.

An invitation, a confirming or reclaiming link, an unsubscribe link and a calendar feed's
address each hold a signed token or key in their path: whoever reads a log line holding one
can use it. Every line the servers and the app log about a request has that segment
replaced (the request line, the referrer, the app's own "Exception on ..." line).
"""

from __future__ import annotations

import logging
import re

_SECRET_SEGMENT = re.compile(
    r"(?P<kept>/(?:api/v1/)?(?:invitations|confirm|reclaim|unsubscribe(?:/alert|/digest)?)/"
    r"|/calendar/[^/?#\s]+/[^/?#\s]+/)"
    r"(?P<secret>[^/?#\s\"']+?)(?P<end>\.ics)?(?=[/?#\s\"']|$)"
)
SHOWN = "[secret]"


def redacted(text: str) -> str:
    """``text`` (a request line, a path, a referrer) with every secret segment replaced."""
    return _SECRET_SEGMENT.sub(lambda found: found["kept"] + SHOWN + (found["end"] or ""), text)


class RedactingFilter(logging.Filter):
    """Redacts a record's message and its string arguments, whoever logs it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redacted(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redacted(a) if isinstance(a, str) else a for a in record.args)
        return True
