"""The inbox: what waits for the signed-in person, across every alliance."""

from __future__ import annotations

from flask import Blueprint, render_template

from web import parts
from web.auth import require_account

bp = Blueprint("inbox", __name__)


@bp.get("/inbox")
def page() -> str:
    return render_template("inbox/inbox.html", items=parts.queries().inbox(require_account()))
