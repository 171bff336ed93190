"""The design conversation: the stake planted (when the members first sit down together),
who is invited, a prompt per category; and the invitee's own page, the way in."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from tracker.domain import errors
from tracker.domain.vocabulary import PROMPTS
from tracker.service import CommandResult
from web import forms, invitations, parts
from web.auth import current_account, member_view, require_account, settled
from web.errors import status_for
from web.formatting import as_sentence
from web.pages.agreement import awaiting_you

bp = Blueprint("design", __name__)

SHOWN_ON = ("design.page",)


@bp.get("/alliances/<uuid:alliance_id>/design")
def page(alliance_id: UUID) -> str:
    viewer, alliance = member_view(alliance_id)
    found = parts.queries()
    proposals = found.open_proposals(alliance_id)
    pending = found.open_invitations(alliance_id)
    for invitation in pending:
        invitation["link"] = invitations.link_shown_to(viewer, invitation)
    return render_template(
        "design/design.html",
        alliance=alliance,
        viewer_id=str(viewer),
        prompts=PROMPTS,
        terms=found.agreement(alliance_id),
        proposals=proposals,
        awaiting_you=len(awaiting_you(proposals, viewer)),
        invitations=pending,
    )


@bp.post("/alliances/<uuid:alliance_id>/design-conversation")
def plant_stake(alliance_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("at", "zone")

    def command() -> CommandResult:
        at = forms.local_time(values["at"], values["zone"] or "UTC")
        return parts.service().schedule_design_conversation(viewer, alliance_id, {"at": at})

    return forms.submit(
        alliance_id,
        values,
        command,
        shown_on=SHOWN_ON,
        anchor="stake",
        said="The stake is planted: every member sees when you sit down together.",
    )


@bp.post("/alliances/<uuid:alliance_id>/invitations")
def invite(alliance_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("email", "role")

    def send(result: CommandResult) -> None:
        invitation = parts.queries().invitation(result["invitation_id"])
        taken = invitations.made_by_another(viewer, invitation)
        if taken is not None:
            flash(f"{as_sentence(taken)}.", "problem")
            return
        problem = invitations.email(alliance_id, result["invitation_id"])
        if problem is not None:
            flash(f"{problem}; pass the link below on yourself", "problem")
        elif parts.mailer() is not None:
            flash(f"Invitation emailed to {values['email'].strip()}.", "done")
        else:
            flash(f"Invitation made: pass its link below to {values['email'].strip()}.", "done")

    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().invite_member(viewer, alliance_id, forms.payload(values)),
        shown_on=SHOWN_ON,
        anchor="invitations",
        then=send,
    )


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str) -> forms.Page:
    """The invitee's page: the alliance and the agreement they would agree to, and the way in.
    The link alone shows this much, so it is to be passed only to the person invited."""
    alliance_id, invitation_id = invitations.read(token)
    found = parts.queries().invitation(invitation_id)
    if found is None or found["alliance_id"] != str(alliance_id):
        abort(404, "this invitation does not exist")
    viewer = current_account()
    problems: dict[str, list[str]] = {}
    if request.method == "POST":
        viewer = require_account()
        values = forms.typed("agreed_version")
        try:
            settled(
                parts.service().join_alliance(
                    viewer,
                    alliance_id,
                    {
                        "invitation_id": str(invitation_id),
                        **forms.payload(values, integers=("agreed_version",)),
                    },
                )
            )
        except (errors.InvalidInput, errors.RuleViolation) as refused:
            fields = refused.fields if isinstance(refused, errors.InvalidInput) else {}
            problems = {"_form": [str(refused)], **fields}
            status = status_for(refused)
            found = parts.queries().invitation(invitation_id) or found
        else:
            flash(f"You have joined {found['title']} as {found['role']}, agreeing to its terms.")
            return redirect(url_for("agreement.page", alliance_id=alliance_id), 303)
    shown = render_template(
        "design/invitation.html",
        invitation=found,
        terms=parts.queries().agreement(alliance_id),
        token=token,
        viewer=parts.queries().account(viewer) if viewer else None,
        already_member=bool(viewer and parts.queries().is_member(alliance_id, viewer)),
        problems=problems,
    )
    return (shown, status) if problems else shown
