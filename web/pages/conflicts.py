"""Conflicts: the reports, filtered by status; and the forms that report one, acknowledge,
resolve and reopen it."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, render_template, request

from tracker.domain.vocabulary import CONFLICT_FILTERS, CONFLICT_OUTCOMES, SEVERITIES
from tracker.service import CommandResult
from web import forms, parts
from web.auth import member_view, require_account

bp = Blueprint("conflicts", __name__)

SHOWN_ON = ("conflicts.page",)


@bp.get("/alliances/<uuid:alliance_id>/conflicts")
def page(alliance_id: UUID) -> str:
    viewer, alliance = member_view(alliance_id)
    # A status the page does not offer filters nothing, as if none were chosen.
    status = request.args.get("status") if request.args.get("status") in CONFLICT_FILTERS else None
    found = parts.queries()
    return render_template(
        "conflicts/conflicts.html",
        alliance=alliance,
        viewer_id=str(viewer),
        conflicts=found.conflicts(alliance_id, status=status),
        status=status or "",
        statuses=CONFLICT_FILTERS,
        severities=SEVERITIES,
        outcomes=CONFLICT_OUTCOMES,
        terms=found.agreement(alliance_id),
    )


@bp.post("/alliances/<uuid:alliance_id>/conflicts")
def report(alliance_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("description", "occurred_at", "zone", "severity", "term_id")

    def command() -> CommandResult:
        payload = forms.payload({k: v for k, v in values.items() if k != "zone"})
        if values["occurred_at"]:
            payload["occurred_at"] = forms.local_time(
                values["occurred_at"], values["zone"] or "UTC"
            )
        return parts.service().report_conflict(viewer, alliance_id, payload)

    return forms.submit(
        alliance_id,
        values,
        command,
        shown_on=SHOWN_ON,
        anchor="reports",
        said="Reported. Every member sees it in their inbox until it is acknowledged.",
    )


@bp.post("/alliances/<uuid:alliance_id>/conflicts/<uuid:conflict_id>/acknowledgement")
def acknowledge(alliance_id: UUID, conflict_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("note")
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().acknowledge_conflict(
            viewer, alliance_id, conflict_id, forms.payload(values)
        ),
        shown_on=SHOWN_ON,
        anchor=f"conflict-{conflict_id}",
        said="Acknowledged.",
    )


@bp.post("/alliances/<uuid:alliance_id>/conflicts/<uuid:conflict_id>/resolution")
def resolve(alliance_id: UUID, conflict_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("resolution", "outcome")
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().resolve_conflict(
            viewer, alliance_id, conflict_id, forms.payload(values)
        ),
        shown_on=SHOWN_ON,
        anchor=f"conflict-{conflict_id}",
        said="Resolved.",
    )


@bp.post("/alliances/<uuid:alliance_id>/conflicts/<uuid:conflict_id>/reopening")
def reopen(alliance_id: UUID, conflict_id: UUID) -> forms.Page:
    viewer = require_account()
    values = forms.typed("reason")
    return forms.submit(
        alliance_id,
        values,
        lambda: parts.service().reopen_conflict(
            viewer, alliance_id, conflict_id, forms.payload(values)
        ),
        shown_on=SHOWN_ON,
        anchor=f"conflict-{conflict_id}",
        said="Reopened.",
    )
