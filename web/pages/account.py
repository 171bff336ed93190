"""The account: its page, signing up, in and out, confirming an address from its mailed link,
and taking an address back from a registration nobody proved."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import BadRequest, ServiceUnavailable
from werkzeug.wrappers import Response

from tracker.domain import errors
from web import addresses, parts
from web.auth import (
    authenticate,
    count_sign_up,
    end_session,
    require_account,
    settled,
    start_session,
)
from web.errors import status_for
from web.formatting import as_sentence

bp = Blueprint("account", __name__)


@bp.route("/signup", methods=["GET", "POST"])
def sign_up() -> str | Response | tuple[str, int]:
    target = _safe_next(request.values.get("next", ""))
    if request.method == "GET":
        return render_template("account/signup.html", values={}, problems={}, next=target)
    values = {key: request.form.get(key, "") for key in ("email", "name", "password")}
    # Sent here from an invitation's page, the person followed that invitation's link.
    invitation = target.split("/")[2] if target.startswith("/invitations/") else None
    try:
        count_sign_up()
        result = addresses.sign_up(values, invitation)
    except errors.InvalidInput as invalid:
        return _form(
            "account/signup.html", values, invalid.fields, status_for(invalid), next=target
        )
    except addresses.AddressMailed as mailed:
        problems = {"email": [str(mailed)]}
        return _form("account/signup.html", values, problems, status_for(mailed), next=target)
    except errors.AccountAlreadyRegistered as taken:
        problems = {"email": ["an account with this email exists; sign in instead"]}
        return _form("account/signup.html", values, problems, status_for(taken), next=target)
    # The next page reads the views; they must know the account before it is shown.
    start_session(settled(result.command)["account_id"])
    if result.mail_problem is not None:
        flash(
            f"{as_sentence(result.mail_problem)}: ask for the link again from your account page.",
            "problem",
        )
    return redirect(target or url_for("home.index"))


@bp.route("/signin", methods=["GET", "POST"])
def sign_in() -> str | Response | tuple[str, int]:
    target = _safe_next(request.values.get("next", ""))
    if request.method == "GET":
        return render_template("account/signin.html", values={}, problems={}, next=target)
    values = {key: request.form.get(key, "") for key in ("email", "password")}
    try:
        account_id = authenticate(values)
    except errors.InvalidInput as invalid:
        return _form(
            "account/signin.html", values, invalid.fields, status_for(invalid), next=target
        )
    except errors.BadCredentials as refused:
        problems = {"_form": [str(refused)]}
        return _form("account/signin.html", values, problems, status_for(refused), next=target)
    start_session(account_id)
    return redirect(target or url_for("home.index"))


def _own_account(viewer: UUID) -> Any:
    account = parts.queries().account(viewer)
    if account is None:  # signed in, and the views have not caught up (or are rebuilt)
        raise ServiceUnavailable("your account is not in the views yet", retry_after=5)
    return account


@bp.get("/account")
def page() -> str:
    account = _own_account(require_account())
    proven = parts.service().address_proven(account["email"])
    return render_template(
        "account/account.html",
        account=account,
        proven=proven,
        mails=MAILS,
        mail_configured=bool(parts.settings().smtp_url),
    )


@bp.post("/account/time-zone")
def choose_time_zone() -> Response | tuple[str, int]:
    viewer = require_account()
    typed = request.form.get("zone", "").strip()
    try:
        settled(parts.service().choose_time_zone(viewer, {"zone": typed or None}))
    except errors.InvalidInput as refused:
        shown = render_template(
            "account/account.html",
            account=parts.queries().account(viewer),
            mails=MAILS,
            mail_configured=bool(parts.settings().smtp_url),
            problems=refused.fields,
            values={"zone": typed},
        )
        return shown, status_for(refused)
    flash(f"Times are shown in {typed}." if typed else "Times follow each alliance's zone.")
    return redirect(url_for("account.page", _anchor="zone"), 303)


# Each kind of mail as the account page offers it (vocabulary.MAIL_KINDS): what it is.
MAILS = {
    "checkin": "Check-in prompts: a mail when a check-in is due",
    "alert": "Alerts: a mail when an alert is raised in one of your alliances",
    "digest": "The weekly digest: on Monday morning, the alliances that need you and why",
}


@bp.post("/account/mail")
def choose_mail() -> Response | tuple[str, int]:
    """One kind of mail on or off; a kind the page does not offer is refused by name."""
    viewer = require_account()
    kind = request.form.get("kind", "")
    enabled = request.form.get("enabled") == "yes"
    try:
        settled(parts.service().choose_mail(viewer, {"kind": kind, "enabled": enabled}))
    except errors.InvalidInput as refused:
        raise BadRequest(f"there is no kind of mail {kind[:40]!r} to choose") from refused
    flash(f"{MAILS[kind].split(':')[0]}: {'on' if enabled else 'off'}.")
    return redirect(url_for("account.page", _anchor="mail"), 303)


@bp.post("/signout")
def sign_out() -> Response:
    end_session()
    return redirect(url_for("home.index"))


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


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_address(token: str) -> str:
    """Opening the link asks; only the button confirms. Mail scanners open every link in a
    mail, and a GET that confirmed would prove a squatter's registration to nobody's eyes."""
    account_id, email = addresses.read("confirm", token, addresses.CONFIRM_LIFETIME)
    if request.method == "POST":
        settled(parts.service().verify_address(UUID(account_id), email, via="mail"))
    return render_template(
        "account/confirm_address.html", email=email, token=token, done=request.method == "POST"
    )


@bp.post("/account/confirmation")
def send_confirmation_again() -> Response:
    viewer = require_account()
    account = _own_account(viewer)
    try:
        problem = addresses.send_confirmation_again(viewer, account["email"])
    except addresses.AddressProven:
        flash(f"{account['email']} is confirmed already.", "done")
        return redirect(url_for("account.page", _anchor="who"), 303)
    if problem is not None:
        flash(f"{as_sentence(problem)}; try again later.", "problem")
    else:
        flash(f"A new link is on its way to {account['email']}.", "done")
    return redirect(url_for("account.page", _anchor="who"), 303)


@bp.route("/reclaim/<token>", methods=["GET", "POST"])
def reclaim(token: str) -> str | Response | tuple[str, int]:
    email = addresses.read("reclaim", token, addresses.RECLAIM_LIFETIME)
    if request.method == "GET":
        return render_template("account/reclaim.html", email=email, values={}, problems={})
    values = {
        "email": email,
        "name": request.form.get("name", ""),
        "password": request.form.get("password", ""),
    }
    try:
        result = addresses.reclaim(values, via="mail")
    except errors.InvalidInput as invalid:
        kept = {"name": values["name"]}
        return render_template(
            "account/reclaim.html", email=email, values=kept, problems=invalid.fields
        ), status_for(invalid)
    except errors.AccountAlreadyRegistered as refused:
        return render_template(
            "account/reclaim.html", email=email, values={}, problems={"_form": [str(refused)]}
        ), status_for(refused)
    start_session(result["account_id"])
    return redirect("/")
