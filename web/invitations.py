"""Invitation links: the alliance and invitation ids, signed with the app's secret key.

The link is what admits the invitee, so it cannot be made up or altered; it carries no secret
beyond its signature, and the invitation itself still has to be open, and addressed to the
email of the account that accepts it, when it is used.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.exceptions import NotFound

from delivery import letters
from delivery.mail import Mailer
from web import links, parts

INVITATION_LIFETIME = timedelta(days=14)
_SALT = "alliance-invitation"  # a link signed for anything else never reads as an invitation


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def token_for(alliance_id: UUID, invitation_id: UUID) -> str:
    return _signer().dumps([str(alliance_id), str(invitation_id)])


def link_for(alliance_id: UUID, invitation_id: UUID) -> str:
    """The page an invitee opens; absolute, to be passed on by email or message."""
    token = token_for(alliance_id, invitation_id)
    return links.external("design.invitation", token=token)


def link_shown_to(viewer: UUID, invitation: dict[str, str]) -> str | None:
    """The link, for the member who sent the invitation only: whoever else held it could
    sign up with the invitee's address and join as them."""
    if invitation["invited_by"] != str(viewer):
        return None
    return link_for(UUID(invitation["alliance_id"]), UUID(invitation["invitation_id"]))


def read(token: str) -> tuple[UUID, UUID]:
    """(alliance id, invitation id), or 404 for a link that is forged, mangled or too old."""
    try:
        alliance_id, invitation_id = _signer().loads(
            token, max_age=int(INVITATION_LIFETIME.total_seconds())
        )
        return UUID(alliance_id), UUID(invitation_id)
    except (BadSignature, ValueError, TypeError) as invalid:
        raise NotFound(
            "this invitation link is not valid or has expired; ask for a new one"
        ) from invalid


def made_by_another(viewer: UUID, invitation: dict[str, Any] | None) -> str | None:
    """Why ``viewer`` is not sent this invitation's link, nor may mail it again: another
    member made it. Inviting an address already invited gives back its invitation, and
    whoever held the link could join as the invitee."""
    if invitation is None or invitation["invited_by"] == str(viewer):
        return None
    return (
        f"{invitation['email']} is already invited by {invitation['invited_by_name']}, "
        "who holds its link"
    )


def email(alliance_id: UUID, invitation_id: UUID) -> str | None:
    """Email the invitation to its addressee, if mail is configured. Returns why it could not
    be sent, or None when it was sent or there is no mail to send: the link shown to the
    inviter then does the work."""
    mailer: Mailer | None = parts.mailer()
    queries = parts.queries()
    invitation = queries.invitation(invitation_id)
    if mailer is None or invitation is None:
        return None
    context = {"invitation": invitation, "link": link_for(alliance_id, invitation_id)}
    try:
        mailer.send(
            invitation["email"],
            f"{invitation['invited_by_name']} invites you to {invitation['title']}",
            *letters.render("invitation", **context),
        )
    except (OSError, ValueError, smtplib.SMTPException) as failed:  # built or sent
        current_app.logger.warning(
            "the invitation to %s was not sent: %s", invitation["email"], failed
        )
        return f"the email to {invitation['email']} could not be sent ({failed})"
    return None
