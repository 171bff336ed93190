"""Signing up, in and out, and knowing who is signed in.

A session is a server-side record (web.access); the cookie carries only its id, signed by
Flask. Signing in always starts a new session, and signing out deletes the record, so a copied
cookie stops working the moment its owner signs out.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import (
    Flask,
    abort,
    current_app,
    g,
    redirect,
    request,
    session,
    url_for,
)

from tracker import ids, schemas
from tracker.domain import errors
from tracker.service import CommandResult
from web import parts
from web.errors import TooManyAttempts

# Failed sign-ins in any 15 minutes (a sliding window), counted per account from one client
# address, per account from everywhere, and per address for every account. Only failures
# count, and a success clears its own client's count: the owner who mistypes is held back
# by their own mistakes alone, and a guesser elsewhere must try a hundred times, from many
# addresses, before the owner is held back too. People behind one office address share its
# allowance, so it is as large.
SIGN_IN_PER_ACCOUNT_AND_ADDRESS = (10, timedelta(minutes=15))
SIGN_IN_PER_ACCOUNT = (100, timedelta(minutes=15))
SIGN_IN_PER_ADDRESS = (100, timedelta(minutes=15))
SIGN_UP_PER_ADDRESS = (20, timedelta(hours=1))  # every sign-up counts
# Whoever registered someone else's address could otherwise mail its owner without end.
CONFIRMING_MAILS_PER_ACCOUNT = (3, timedelta(hours=1))


def settled(result: CommandResult) -> CommandResult:
    """Wait until the views include the command's events, so the answer and any read that
    follows show the change (read-your-writes)."""
    parts.engine().wait_for(result.notification_id, current_app.config["TRACKER_READ_TIMEOUT"])
    return result


def current_account() -> UUID | None:
    """The signed-in account, looked up once per request."""
    if "account_id" not in g:
        session_id = session.get("session_id")
        g.account_id = parts.access().session_account(session_id) if session_id else None
    account_id: UUID | None = g.account_id
    return account_id


def require_account() -> UUID:
    """The signed-in account; anyone else is sent to sign in, and brought back after."""
    account_id = current_account()
    if account_id is None:
        abort(redirect(url_for("account.sign_in", next=request.full_path.rstrip("?"))))
    return account_id


def member_view(alliance_id: UUID) -> tuple[UUID, dict[str, Any]]:
    """The signed-in member and the alliance as they see it; 404 to anyone else, the same
    answer for a stranger as for a missing alliance."""
    viewer = require_account()
    alliance = parts.queries().alliance(alliance_id, viewer)
    if alliance is None:
        abort(404)
    return viewer, alliance


def throttle(*limits: tuple[str, tuple[int, timedelta]]) -> None:
    """429 while any (bucket, (limit, window)) is full, saying when the last of them frees."""
    waits = [parts.access().wait_needed(bucket, *rule) for bucket, rule in limits]
    longest = max((wait for wait in waits if wait is not None), default=None)
    if longest is not None:
        raise TooManyAttempts(longest)


def count_sign_up() -> None:
    """Every sign-up from an address counts against its limit; shared by the form and the API."""
    bucket = f"sign-up:address:{client_address()}"
    throttle((bucket, SIGN_UP_PER_ADDRESS))
    parts.access().count_attempt(bucket)


def count_confirming_mail(account_id: UUID) -> None:
    """Asking for the confirming link again counts against its limit: form and API alike."""
    bucket = f"confirming-mail:account:{account_id}"
    throttle((bucket, CONFIRMING_MAILS_PER_ACCOUNT))
    parts.access().count_attempt(bucket)


def client_address() -> str:
    """The client's address; behind a proxy, as TRACKER_PROXY_HOPS tells ProxyFix to read it."""
    return request.remote_addr or "unknown"


def authenticate(payload: dict[str, Any]) -> UUID:
    """Check credentials under the sign-in limits; shared by the sign-in form and the API."""
    address = client_address()
    # Checked before its email names a limit: the limits are kept in the store, which takes
    # only clean text, and a malformed sign-in counts against nobody.
    email = ids.normalise_email(schemas.load(schemas.SignInSchema, payload)["email"])
    mine = f"sign-in:account-address:{email} {address}"
    limits = [
        (mine, SIGN_IN_PER_ACCOUNT_AND_ADDRESS),
        (f"sign-in:account:{email}", SIGN_IN_PER_ACCOUNT),
        (f"sign-in:address:{address}", SIGN_IN_PER_ADDRESS),
    ]
    throttle(*limits)
    try:
        account_id = parts.service().authenticate(payload)
    except errors.BadCredentials:
        parts.access().count_attempt(*(bucket for bucket, _ in limits))
        raise
    parts.access().forget_attempts(mine)
    return account_id


def start_session(account_id: UUID) -> None:
    end_session()
    session["session_id"] = parts.access().start_session(account_id)
    session.permanent = True
    g.account_id = account_id
    g.pop("signed_in_account", None)


def end_session() -> None:
    session_id = session.get("session_id")
    if session_id:
        parts.access().end_session(session_id)
    session.clear()
    g.pop("account_id", None)
    g.pop("signed_in_account", None)


def signed_in_account() -> dict[str, Any] | None:
    """The signed-in account's row, read once per request (the bar and the times need it)."""
    if "signed_in_account" not in g:
        account_id = current_account()
        g.signed_in_account = parts.queries().account(account_id) if account_id else None
    account: dict[str, Any] | None = g.signed_in_account
    return account


def _signed_in() -> dict[str, object]:
    account = signed_in_account()
    return {"current_account_name": account["name"] if account else None}


def init_app(app: Flask) -> None:
    app.context_processor(_signed_in)
