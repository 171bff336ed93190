"""The JSON API under /api/v1: bearer tokens, problem details, an OpenAPI document.

Every endpoint is declared with ``operation``, which both routes it and describes it, so the
document at /api/v1/openapi.json cannot drift from what is served.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def init_app(app: Flask) -> None:
    from web import csrf
    from web.api import (  # noqa: F401  (their routes join bp)
        accounts,
        agreement,
        alerts,
        alliances,
        attention,
        checkins,
        commitments,
        conflicts,
        document,
        feedback,
        health,
        inbox,
        invitations,
    )

    csrf.exempt(bp)  # no cookies here: a bearer token cannot be sent by another site's form
    app.register_blueprint(bp)
