"""gunicorn's access log without the secrets some links carry in their path (see
web.secret_paths): `logger_class` in deploy/gunicorn.conf.py."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from web.secret_paths import redacted


class RedactingLogger(Logger):  # type: ignore[misc]  # gunicorn's classes are untyped
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        # Every atom, headers and environ included: a custom format may name any of them.
        return {key: redacted(v) if isinstance(v, str) else v for key, v in atoms.items()}
