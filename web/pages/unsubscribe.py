"""Turning check-in mails off from the mail itself: the link in each prompt, with no sign-in.

A mail program's one-click unsubscribe (RFC 8058) POSTs to the link with the body
"List-Unsubscribe=One-Click"; a person who opens it sees a page asking to confirm, because
mail scanners open links too, and a GET must change nothing.
"""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, render_template
from werkzeug.exceptions import NotFound

from delivery import unsubscribe
from web import parts

bp = Blueprint("unsubscribe", __name__)


def _account(token: str) -> UUID:
    # The key the scheduler signed the link with, in whichever process it ran.
    account = unsubscribe.account_of(parts.settings().secret_key(), token)
    if account is None:
        raise NotFound(
            "this link is not one the tracker sent; turn mails off on the check-ins page"
        )
    return account


@bp.get("/unsubscribe/<token>")
def confirm(token: str) -> str:
    _account(token)
    return render_template("account/unsubscribe.html", token=token, done=False)


@bp.post("/unsubscribe/<token>")
def turn_off(token: str) -> str:
    parts.service().choose_checkin_mail(_account(token), {"enabled": False})
    return render_template("account/unsubscribe.html", token=token, done=True)
