"""The alliance's home: its agreement (as it stands, or as it stood), what is proposed and
what was lately decided; and the proposal forms, which the design conversation shows too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, render_template

from projections.health.wording import listed
from tracker.domain import rhythm
from tracker.service import CommandResult
from web import first_day, forms, parts, query
from web.auth import member_view, require_account
from web.health_links import health_now

bp = Blueprint("agreement", __name__)

RECENT = timedelta(days=14)  # how far back the page recalls what was decided
SHOWN_ON = ("agreement.page", "design.page")  # the pages that hold the proposal forms


@bp.get("/alliances/<uuid:alliance_id>")
def page(alliance_id: UUID) -> str:
    with parts.one_snapshot():
        viewer, alliance = member_view(alliance_id)
        as_of = query.day_or_instant("as_of")
        found = parts.queries()
        now = as_of is None
        terms = found.agreement(alliance_id, as_of=as_of)
        proposals = found.open_proposals(alliance_id) if now else []
        waiting = awaiting_you(proposals, viewer)
        return render_template(
            "agreement/agreement.html",
            alliance=alliance,
            viewer_id=str(viewer),
            terms=terms,
            as_of=as_of,
            first_steps=first_day.steps(alliance, viewer, terms, waiting) if now else [],
            proposals=proposals,
            awaiting_you=len(waiting),
            settled=found.settled_since(alliance_id, parts.now() - RECENT) if now else [],
            candidates=found.redesign_candidates(alliance_id, parts.now()) if now else {},
            suggestions=found.redesign_suggestions(alliance_id) if now else [],
            tending=found.tending(alliance_id),
            health=health_now(alliance_id, viewer) if now else None,
        )


@bp.post("/alliances/<uuid:alliance_id>/proposals")
def propose(alliance_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("kind", "category", "text", "term_id", "based_on_version", "rationale")
    picker = forms.typed("every", "day", "time", "zone", "first")
    payload = forms.payload(values, integers=("based_on_version",))

    def command() -> CommandResult:
        schedule = _picked_schedule(alliance_id, picker, payload)
        if schedule is not None:
            payload["schedule"] = schedule
        return parts.service().propose(viewer, alliance_id, payload)

    return forms.submit(
        alliance_id,
        {**values, **picker},
        command,
        shown_on=SHOWN_ON,
        anchor="proposals",
        said=lambda result: f"Proposed. {_where_it_stands(alliance_id, result['proposal_id'])}",
    )


def awaiting_you(proposals: list[dict[str, Any]], viewer: UUID) -> list[dict[str, Any]]:
    """The open proposals that wait for the viewer's acceptance (a proposer's own is
    accepted by proposing it, so it never waits for them)."""
    return [p for p in proposals if str(viewer) in {m["member_id"] for m in p["awaiting"]}]


def _where_it_stands(alliance_id: UUID, proposal_id: UUID) -> str:
    """Whether a proposal is in force, or whom it waits for."""
    proposal = parts.queries().proposal(alliance_id, proposal_id)
    if proposal is None or proposal["status"] == "adopted":
        return "Every member has agreed: it is in force."
    if proposal["status"] != "open":
        return ""
    waiting = [member["name"] for member in proposal["awaiting"]]
    verb = "accepts" if len(waiting) == 1 else "accept"
    return f"It is adopted once {listed(waiting)} {verb} it; it waits in their inbox."


def _picked_schedule(
    alliance_id: UUID, picker: dict[str, str], payload: dict[str, Any]
) -> dict[str, str] | None:
    """The schedule the rhythm picker describes: none, the one in force ("keep"), or a new
    rule. An amendment states the whole term, so keeping means sending it again."""
    if picker["every"] == "":
        return None
    if picker["every"] == "keep":
        term_id = payload.get("term_id", "")
        for term in parts.queries().agreement(alliance_id):
            if term["term_id"] == term_id:
                schedule: dict[str, str] | None = term["schedule"]
                return schedule
        return None
    zone = picker["zone"].strip() or "UTC"
    return rhythm.picked(
        picker["every"], picker["day"], picker["time"], zone, picker["first"]
    ).record()


@bp.post("/alliances/<uuid:alliance_id>/proposals/<uuid:proposal_id>/acceptance")
def accept(alliance_id: UUID, proposal_id: UUID) -> forms.Page:
    viewer = require_account()
    return forms.submit(
        alliance_id,
        {},
        lambda: parts.service().accept_proposal(viewer, alliance_id, proposal_id),
        shown_on=SHOWN_ON,
        anchor="proposals",
        said=lambda _: f"Accepted. {_where_it_stands(alliance_id, proposal_id)}",
    )


@bp.post("/alliances/<uuid:alliance_id>/proposals/acceptance")
def accept_all(alliance_id: UUID) -> forms.Page:
    """During the design conversation: every proposal by the others, accepted at once."""
    viewer = require_account()

    def said(result: CommandResult) -> str:
        accepted = {str(proposal) for proposal in result.ids.values()}
        statuses = [
            p["status"]
            for p in parts.queries().proposals(alliance_id)
            if p["proposal_id"] in accepted
        ]
        adopted = statuses.count("adopted")
        told = f"Accepted {len(accepted)} proposal{'s' if len(accepted) != 1 else ''}"
        if adopted == len(accepted):
            return f"{told}: every member has agreed, and they are in force."
        return f"{told}; {adopted} in force, the others wait for the members still to accept."

    return forms.submit(
        alliance_id,
        {},
        lambda: parts.service().accept_all_proposals(viewer, alliance_id),
        shown_on=SHOWN_ON,
        anchor="proposals",
        said=said,
    )


@bp.post("/alliances/<uuid:alliance_id>/proposals/<uuid:proposal_id>/decline")
def decline(alliance_id: UUID, proposal_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("reason")
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().decline_proposal(
            viewer, alliance_id, proposal_id, forms.payload(values)
        ),
        shown_on=SHOWN_ON,
        anchor="proposals",
        said="Declined. The proposal is closed; the terms in force stay as they are.",
    )


@bp.post("/alliances/<uuid:alliance_id>/proposals/<uuid:proposal_id>/withdrawal")
def withdraw(alliance_id: UUID, proposal_id: UUID) -> forms.Page:
    viewer = require_account()
    return forms.submit(
        alliance_id,
        {},
        lambda: parts.service().withdraw_proposal(viewer, alliance_id, proposal_id),
        shown_on=SHOWN_ON,
        anchor="proposals",
        said="Withdrawn.",
    )
