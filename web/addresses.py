"""Proving an address: the link mailed at sign-up that confirms it, the link that lets its
owner take it back from a registration nobody proved, and signing up through an invitation's
own link, which reached the address and so proves it for that invitation.

Without mail (the embedded default), an address is proven by the invitation link the
inviter passes on: sign up, or take the address back, through that link.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.exceptions import NotFound

from delivery import letters
from delivery.mail import Mailer
from tracker import ids
from tracker.domain import errors
from tracker.service import CommandResult
from web import invitations, links, parts
from web.auth import count_confirming_mail, settled

CONFIRM_LIFETIME = timedelta(days=7)
# The confirming mail carries the link to take the account back, for an owner someone else
# signed up as; it lasts as long.
RECLAIM_LIFETIME = CONFIRM_LIFETIME


class AddressMailed(errors.RuleViolation):
    """The address is registered and unproven: a link to take it back went to it, or, as
    the message says, could not be sent."""


class AddressProven(errors.RuleViolation):
    """The address is confirmed: there is no link to send again."""


@dataclass(frozen=True)
class SignedUp:
    command: CommandResult
    mail_problem: str | None  # why the link that confirms the address was not sent


def _signer(purpose: str) -> URLSafeTimedSerializer:
    secret = parts.settings().secret_key()
    return URLSafeTimedSerializer(secret, salt=f"address-{purpose}")


def read(purpose: str, token: str, lifetime: timedelta) -> Any:
    try:
        return _signer(purpose).loads(token, max_age=int(lifetime.total_seconds()))
    except (BadSignature, ValueError, TypeError):
        raise NotFound("this link is not valid or has expired; ask for a new one") from None


def _mail(to: str, subject: str, template: str, **context: Any) -> str | None:
    """Why the mail could not be sent, or None (sent, or no mail is configured)."""
    mailer: Mailer | None = parts.mailer()
    if mailer is None:
        return None
    try:
        mailer.send(
            to,
            subject,
            *letters.render(template, **context),
        )
    except (OSError, ValueError, smtplib.SMTPException) as failed:
        current_app.logger.warning("the %s mail to %s was not sent: %s", template, to, failed)
        return f"the email to {to} could not be sent ({failed})"
    return None


def invitation_for(token: str, email: str) -> UUID | None:
    """The invitation behind a link, if it is valid and addressed to ``email``."""
    try:
        _, invitation_id = invitations.read(token)
    except NotFound:
        return None
    found = parts.queries().invitation(invitation_id)
    if found is None or found["email"] != ids.normalise_email(email):
        return None
    return invitation_id


def sign_up(values: dict[str, Any], invitation_token: str | None) -> SignedUp:
    """Register; through an invitation's link, the address is proven for it, and an unproven
    registration of the same address is taken back. Otherwise the address is sent the link
    that confirms it, or, when it is registered and unproven, the link to take it back."""
    email = str(values.get("email", ""))
    invitation = invitation_for(invitation_token, email) if invitation_token else None
    try:
        result = parts.service().register_account(values, through_invitation=invitation)
    except errors.AccountAlreadyRegistered:
        if parts.service().address_proven(email) is not False:
            raise
        if invitation is not None:
            return SignedUp(reclaim(values, via="invitation"), None)
        if parts.mailer() is not None:
            unsent = send_reclaim(email)
            said = (
                "we have emailed it a link to take the account back"
                if unsent is None
                else f"{unsent}, so try again later"
            )
            raise AddressMailed(
                f"an account with {email.strip()} exists, but nobody has confirmed the "
                f"address; if it is yours, {said}"
            ) from None
        raise
    if invitation is not None:
        return SignedUp(result, None)
    return SignedUp(result, send_confirmation(result["account_id"], email))


def reclaim(values: dict[str, Any], *, via: str) -> CommandResult:
    result = settled(parts.service().reclaim_account(values, via=via))
    parts.access().end_every_grant(result["account_id"])  # whoever had registered it is out
    return result


def send_confirmation_again(account_id: UUID, email: str) -> str | None:
    """Asked for by the account itself: within its limit, and only while the address is
    not proven (AddressProven otherwise)."""
    if parts.service().address_proven(email):
        raise AddressProven(f"{email} is confirmed already")
    count_confirming_mail(account_id)
    return send_confirmation(account_id, email)


def send_confirmation(account_id: UUID, email: str) -> str | None:
    """The link that confirms the address, and, for its owner if someone else signed up
    with it, the link that takes the account back."""
    token = _signer("confirm").dumps([str(account_id), ids.normalise_email(email)])
    link = links.external("account.confirm_address", token=token)
    back = links.external("account.reclaim", token=_reclaim_token(email))
    return _mail(email, "Confirm your address", "confirm", link=link, reclaim=back, email=email)


def _reclaim_token(email: str) -> str:
    return _signer("reclaim").dumps(ids.normalise_email(email))


def send_reclaim(email: str) -> str | None:
    link = links.external("account.reclaim", token=_reclaim_token(email))
    return _mail(email, "Take back your account", "reclaim", link=link, email=email)
