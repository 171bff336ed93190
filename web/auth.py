"""Signing up, in and out, and knowing who is signed in.

A session is a server-side record (web.access); the cookie carries only its id, signed by
Flask. Signing in always starts a new session, and signing out deletes the record, so a copied
cookie stops working the moment its owner signs out.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from tracker import ids
from tracker.domain import errors
from tracker.service import CommandResult
from web import parts
from web.errors import TooManyAttempts, status_for

bp = Blueprint("auth", __name__)

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
        abort(redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?"))))
    return account_id


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


def client_address() -> str:
    """The client's address; behind a proxy, as TRACKER_PROXY_HOPS tells ProxyFix to read it."""
    return request.remote_addr or "unknown"


def authenticate(payload: dict[str, Any]) -> UUID:
    """Check credentials under the sign-in limits; shared by the sign-in form and the API."""
    address = client_address()
    email = ids.normalise_email(str(payload.get("email", "")))
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


def end_session() -> None:
    session_id = session.get("session_id")
    if session_id:
        parts.access().end_session(session_id)
    session.clear()
    g.pop("account_id", None)


@bp.app_context_processor
def signed_in() -> dict[str, object]:
    account_id = current_account()
    account = parts.queries().account(account_id) if account_id else None
    return {"current_account_name": account["name"] if account else None}


@bp.route("/signup", methods=["GET", "POST"])
def sign_up() -> str | Response | tuple[str, int]:
    target = _safe_next(request.values.get("next", ""))
    if request.method == "GET":
        return render_template("signup.html", values={}, problems={}, next=target)
    from web import addresses  # which signs people in with this module's sessions

    values = {key: request.form.get(key, "") for key in ("email", "name", "password")}
    # Sent here from an invitation's page, the person followed that invitation's link.
    invitation = target.split("/")[2] if target.startswith("/invitations/") else None
    try:
        count_sign_up()
        result = addresses.sign_up(values, invitation)
    except errors.InvalidInput as invalid:
        return _form("signup.html", values, invalid.fields, status_for(invalid), next=target)
    except addresses.AddressMailed as mailed:
        problems = {"email": [str(mailed)]}
        return _form("signup.html", values, problems, status_for(mailed), next=target)
    except errors.AccountAlreadyRegistered as taken:
        problems = {"email": ["an account with this email exists; sign in instead"]}
        return _form("signup.html", values, problems, status_for(taken), next=target)
    # The next page reads the views; they must know the account before it is shown.
    start_session(settled(result)["account_id"])
    return redirect(target or url_for("pages.index"))


@bp.route("/signin", methods=["GET", "POST"])
def sign_in() -> str | Response | tuple[str, int]:
    target = _safe_next(request.values.get("next", ""))
    if request.method == "GET":
        return render_template("signin.html", values={}, problems={}, next=target)
    values = {key: request.form.get(key, "") for key in ("email", "password")}
    try:
        account_id = authenticate(values)
    except errors.InvalidInput as invalid:
        return _form("signin.html", values, invalid.fields, status_for(invalid), next=target)
    except errors.BadCredentials as refused:
        problems = {"_form": [str(refused)]}
        return _form("signin.html", values, problems, status_for(refused), next=target)
    start_session(account_id)
    return redirect(target or url_for("pages.index"))


@bp.post("/signout")
def sign_out() -> Response:
    end_session()
    return redirect(url_for("pages.index"))


def _form(
    template: str, values: dict[str, str], problems: dict[str, list[str]], status: int, **more: Any
) -> tuple[str, int]:
    # What the person typed comes back, except a password.
    kept = {key: value for key, value in values.items() if key != "password"}
    return render_template(template, values=kept, problems=problems, **more), status


def _safe_next(target: str) -> str:
    """Only a path on this site: never a redirect elsewhere."""
    parts = urlsplit(target)
    # Browsers read a backslash as a slash, so "/\\host" would leave the site too.
    if parts.scheme or parts.netloc or not target.startswith("/") or "\\" in target:
        return ""
    return "" if target.startswith("//") else target
