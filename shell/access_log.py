"""Access logs without the secrets some links carry in their path.

An invitation, a confirming or reclaiming link, an unsubscribe link and a calendar feed's
address each hold a signed token or key: whoever reads a log line holding one can use it.
Both servers (`tracker serve`, and gunicorn through ``RedactingLogger``) log the path with
that segment replaced.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

_SECRET_SEGMENT = re.compile(
    r"(?P<kept>/(?:api/v1/)?(?:invitations|confirm|reclaim|unsubscribe)/"
    r"|/calendar/[^/?#\s]+/[^/?#\s]+/)"
    r"(?P<secret>[^/?#\s]+?)(?P<end>\.ics)?(?=[/?#\s]|$)"
)
SHOWN = "[secret]"


def redacted(text: str) -> str:
    """``text`` (a request line, a path, a referrer) with every secret segment replaced."""
    return _SECRET_SEGMENT.sub(lambda found: found["kept"] + SHOWN + (found["end"] or ""), text)


class RedactingLogger(Logger):  # type: ignore[misc]  # gunicorn's classes are untyped
    """gunicorn's logger, its access lines redacted: `logger_class` in gunicorn.conf.py."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redacted(atoms[key])
        return atoms
