"""Invitations over the API: a member invites by email and gets the signed link to pass on;
the holder of the link reads what they would join, and accepts it as themselves."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from werkzeug.exceptions import NotFound

from tracker import schemas
from web import invitations, parts
from web.api.alliances import alliance_whole
from web.api.operations import account, body, operation, settled
from web.api.schemas.alliances import AllianceSchema, InvitationSchema, InvitationViewSchema


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/invitations",
    summary="Invitations not yet accepted, each with its link",
    tag="invitations",
    response=InvitationSchema,
    many=True,
    refusals=(401, 404),
)
def list_invitations(alliance_id: UUID) -> list[dict[str, Any]]:
    pending = parts.queries().open_invitations(alliance_id)
    for invitation in pending:
        invitation["url"] = invitations.link_shown_to(account(), invitation)
    return pending


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/invitations",
    summary="Invite someone by email; the answer holds the signed link to pass on",
    tag="invitations",
    body=schemas.InviteMemberSchema,
    response=InvitationSchema,
    status=201,
    refusals=(400, 401, 404, 409, 415, 422),
)
def invite(alliance_id: UUID) -> dict[str, Any]:
    inviter = account()
    result = settled(parts.service().invite_member(inviter, alliance_id, body()))
    invitation_id = result["invitation_id"]
    found = parts.queries().invitation(invitation_id)
    if found is None:
        raise NotFound("the invitation is not in the views yet")
    problem = invitations.made_by_another(inviter, found)
    emailed = False
    if problem is None:
        problem = invitations.email(alliance_id, invitation_id)
        emailed = problem is None and parts.mailer() is not None
    link = invitations.link_shown_to(inviter, found)
    return {**found, "url": link, "emailed": emailed, "email_problem": problem}


def _held(token: str) -> tuple[UUID, dict[str, Any]]:
    alliance_id, invitation_id = invitations.read(token)
    found = parts.queries().invitation(invitation_id)
    if found is None or found["alliance_id"] != str(alliance_id):
        raise NotFound("this invitation does not exist")
    return alliance_id, found


@operation(
    "GET",
    "/invitations/<token>",
    summary="What an invitation link leads to: the alliance and the agreement in force",
    tag="invitations",
    response=InvitationViewSchema,
    refusals=(401, 404),
)
def get_invitation(token: str) -> dict[str, Any]:
    account()  # a signed-in reader, so a leaked link alone does not show the agreement
    alliance_id, found = _held(token)
    return {**found, "terms": parts.queries().agreement(alliance_id)}


@operation(
    "POST",
    "/invitations/<token>/acceptance",
    summary="Join, agreeing to the agreement version in force (send it as agreed_version to "
    "be refused if it has changed since you read it)",
    tag="invitations",
    body=schemas.AcceptInvitationSchema,
    response=AllianceSchema,
    refusals=(400, 401, 404, 409, 415, 422),
)
def accept_invitation(token: str) -> dict[str, Any]:
    member = account()
    alliance_id, found = _held(token)
    payload = body()
    accepted = schemas.load(schemas.AcceptInvitationSchema, payload)
    agreed = accepted["agreed_version"]
    join = {
        "invitation_id": found["invitation_id"],
        "agreed_version": found["agreement_version"] if agreed is None else agreed,
    }
    settled(parts.service().join_alliance(member, alliance_id, join))
    return alliance_whole(alliance_id)
