"""Turning a kind of mail off from the mail itself: the link in each check-in prompt, alert
and weekly digest, with no sign-in.

A mail program's one-click unsubscribe (RFC 8058) POSTs to the link with the body
"List-Unsubscribe=One-Click"; a person who opens it sees a page asking to confirm, because
mail scanners open links too, and a GET must change nothing. Check-in links have no kind in
their path: they were mailed before there were other kinds.
"""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, render_template
from werkzeug.exceptions import NotFound

from delivery import unsubscribe
from web import parts

bp = Blueprint("unsubscribe", __name__)

# What the page says of each kind: its name, what stopping it means, and once stopped.
SAID = {
    "checkin": (
        "Check-in mails",
        "Stop the mails that remind you when a check-in is due? Your check-ins still wait for "
        "you on each alliance's check-ins page.",
        "Check-in mails are off. Your check-ins still wait for you on each alliance's "
        "check-ins page; your account page turns the mails back on.",
    ),
    "alert": (
        "Alert mails",
        "Stop the mails that tell you an alert was raised? Alerts still wait for you in your "
        "inbox and on each alliance's alerts page.",
        "Alert mails are off. Alerts still wait for you in your inbox; your account page turns "
        "the mails back on.",
    ),
    "digest": (
        "The weekly digest",
        "Stop the Monday mail of the alliances that need you? Your alliances page shows the "
        "same queue whenever you open it.",
        "The weekly digest is off. Your account page turns it back on.",
    ),
}


def _account(token: str, kind: str) -> UUID:
    # The key the scheduler signed the link with, in whichever process it ran.
    account = unsubscribe.account_of(parts.settings().secret_key(), token, kind)
    if kind not in SAID or account is None:
        raise NotFound("this link is not one the tracker sent; turn mails off on your account page")
    return account


@bp.get("/unsubscribe/<token>", defaults={"kind": "checkin"})
@bp.get("/unsubscribe/<any(alert, digest):kind>/<token>")
def confirm(token: str, kind: str) -> str:
    _account(token, kind)
    return render_template("account/unsubscribe.html", token=token, kind=kind, said=SAID[kind])


@bp.post("/unsubscribe/<token>", defaults={"kind": "checkin"})
@bp.post("/unsubscribe/<any(alert, digest):kind>/<token>")
def turn_off(token: str, kind: str) -> str:
    parts.service().choose_mail(_account(token, kind), {"kind": kind, "enabled": False})
    return render_template(
        "account/unsubscribe.html", token=token, kind=kind, said=SAID[kind], done=True
    )
