"""The inbox: what waits for the signed-in person, across every alliance."""

from __future__ import annotations

from flask import Blueprint, render_template

from web import parts
from web.auth import require_account
from web.formatting import viewer_today

bp = Blueprint("inbox", __name__)


@bp.get("/inbox")
def page() -> str:
    items = parts.queries().inbox(require_account(), viewer_today())
    return render_template("inbox/inbox.html", items=items)
