"""Accounts and tokens: sign up, get a token, drop it, who am I, and my time zone."""

from __future__ import annotations

from typing import Any

from flask import url_for
from werkzeug.exceptions import NotFound

from tracker import schemas
from tracker.domain.vocabulary import MAIL_KINDS
from web import addresses, auth, parts
from web.api.operations import account, bearer_token, body, operation, settled
from web.api.schemas.accounts import (
    AccountSchema,
    ConfirmationSentSchema,
    InvitationLinkSchema,
    SignUpSchema,
    TokenSchema,
)


@operation(
    "POST",
    "/accounts",
    summary="Create an account; its address is mailed a link that confirms it, unless it "
    "comes through an invitation's link (send its token as invitation)",
    tag="accounts",
    body=SignUpSchema,
    response=AccountSchema,
    status=201,
    authenticated=False,
    refusals=(400, 409, 415, 422, 429),
)
def create_account() -> tuple[dict[str, Any], dict[str, str]]:
    payload = body()
    link = {"invitation": payload.pop("invitation")} if "invitation" in payload else {}
    invitation = schemas.load(InvitationLinkSchema, link)["invitation"]
    auth.count_sign_up()
    signed_up = addresses.sign_up(payload, invitation)
    result = settled(signed_up.command)
    answer = {**_me(result["account_id"]), "email_problem": signed_up.mail_problem}
    return answer, {"Location": url_for("api.me")}


@operation(
    "POST",
    "/tokens",
    summary="Exchange an email and password for a bearer token",
    tag="accounts",
    body=schemas.SignInSchema,
    response=TokenSchema,
    status=201,
    authenticated=False,
    refusals=(400, 401, 415, 422, 429),
)
def create_token() -> dict[str, Any]:
    account_id = auth.authenticate(body())
    token, expires = parts.access().issue_token(account_id)
    return {"token": token, "expires_at": expires}


@operation(
    "DELETE",
    "/tokens/current",
    summary="Revoke the token this request carries",
    tag="accounts",
    status=204,
    refusals=(401,),
)
def revoke_token() -> None:
    account()
    parts.access().revoke_token(bearer_token())


@operation("GET", "/me", summary="The account of this token", tag="accounts",
           response=AccountSchema, refusals=(401,))  # fmt: skip
def me() -> dict[str, Any]:
    return _me(account())


@operation("PUT", "/me/time-zone", summary="Choose the zone this account reads times in",
           tag="accounts", body=schemas.TimeZoneSchema, response=AccountSchema,
           refusals=(400, 401, 415, 422))  # fmt: skip
def choose_time_zone() -> dict[str, Any]:
    viewer = account()
    settled(parts.service().choose_time_zone(viewer, body()))
    return _me(viewer)


@operation("PUT", "/me/mail", summary="Turn one kind of mail on or off, in every alliance",
           tag="accounts", body=schemas.MailChoiceSchema, response=AccountSchema,
           refusals=(400, 401, 415, 422))  # fmt: skip
def choose_mail() -> dict[str, Any]:
    viewer = account()
    settled(parts.service().choose_mail(viewer, body()))
    return _me(viewer)


@operation(
    "POST",
    "/me/confirmation",
    summary="Mail the link that confirms this account's address again",
    tag="accounts",
    response=ConfirmationSentSchema,
    status=202,
    refusals=(401, 409, 429),
)
def send_confirmation_again() -> dict[str, Any]:
    me = _me(account())
    problem = addresses.send_confirmation_again(me["account_id"], me["email"])
    return {"emailed": problem is None and parts.mailer() is not None, "email_problem": problem}


def _me(account_id: Any) -> dict[str, Any]:
    found = parts.queries().account(account_id)
    if found is None:
        raise NotFound("no such account")
    proven = parts.service().address_proven(found["email"])
    mail = {kind: bool(found[f"{kind}_mail"]) for kind in MAIL_KINDS}
    return {**found, "email_confirmed": bool(proven), "mail": mail}
