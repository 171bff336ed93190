"""The forms that change an alliance: founding it, the design conversation, the living
agreement, redesigns, tending and invitations.

Every form posts, and on success redirects back to the page it came from (so a reload never
posts twice), once the views show the change. A refused form renders that page again with
what the person typed and what to fix beside the field; nothing is recorded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response

from tracker.domain import errors, rhythm
from tracker.domain.vocabulary import ALLIANCE_KINDS, SRS_ITEMS
from tracker.service import CommandResult
from web import invitations, parts
from web.auth import current_account, require_account, settled
from web.errors import status_for
from web.pages import (
    render_agreement,
    render_checkins,
    render_conflicts,
    render_design,
    render_feedback,
    render_redesigns,
)

bp = Blueprint("design", __name__)

Page = str | Response | tuple[str, int]
# The pages a form can be sent from, and how to show each again with a form's problems.
RENDERERS: dict[str, Callable[..., str]] = {
    "agreement": render_agreement,
    "checkins": render_checkins,
    "conflicts": render_conflicts,
    "design": render_design,
    "feedback": render_feedback,
    "redesigns": render_redesigns,
}


def _values(*names: str) -> dict[str, str]:
    return {name: request.form.get(name, "") for name in names}


def _payload(values: dict[str, str], integers: tuple[str, ...] = ()) -> dict[str, Any]:
    """What the command's schema reads: a left-empty optional field is absent, not "", and
    numbers typed in a form are numbers (the schemas are strict, for the API's sake)."""
    payload: dict[str, Any] = {}
    for name, value in values.items():
        if value == "":
            continue
        payload[name] = whole_number(value) if name in integers else value
    return payload


def whole_number(typed: str) -> int | str:
    """A number typed in a form, for the schema to judge; anything else is passed as typed,
    for the schema to refuse by name. Only ASCII digits, and not so many that int() chokes."""
    return int(typed) if re.fullmatch(r"[0-9]{1,9}", typed) else typed


def _submit(
    alliance_id: UUID,
    values: dict[str, str],
    command: Callable[[], CommandResult],
    *,
    anchor: str = "",
    then: Callable[[CommandResult], None] | None = None,
) -> Page:
    """Run a form's command and go back to its page, or show that page again with what is
    wrong. The form names itself and its page in hidden fields."""
    form = request.form.get("form", "")
    page = request.form.get("page", "")
    if page not in RENDERERS:
        page = "agreement"
    try:
        result = settled(command())
    except errors.InvalidInput as invalid:
        return _again(page, alliance_id, form, values, invalid.fields, status_for(invalid))
    except errors.RuleViolation as refused:
        problems = {"_form": [str(refused)]}
        return _again(page, alliance_id, form, values, problems, status_for(refused))
    if then is not None:
        then(result)
    back = _back(alliance_id)
    if back:
        return redirect(back, 303)
    target = url_for(f"pages.{page}", alliance_id=alliance_id)
    return redirect(f"{target}#{anchor}" if anchor else target, 303)


def _back(alliance_id: UUID) -> str | None:
    """The page a form sent from anywhere (the log-a-note form) returns to: only a page of
    the same alliance, so the field cannot send anyone elsewhere."""
    back = request.form.get("back", "")
    own = url_for("pages.agreement", alliance_id=alliance_id)
    if ".." in back or "\\" in back:
        return None
    if back == own or back.startswith(own + "/") or back.startswith(own + "?"):
        return back
    return None


def _again(
    page: str,
    alliance_id: UUID,
    form: str,
    values: dict[str, str],
    problems: dict[str, list[str]],
    status: int,
) -> tuple[str, int]:
    viewer = require_account()
    html = RENDERERS[page](alliance_id, viewer, problems={form: problems}, values={form: values})
    return html, status


# --- founding -----------------------------------------------------------------------------


@bp.route("/alliances/new", methods=["GET", "POST"])
def found() -> Page:
    viewer = require_account()
    if request.method == "GET":
        return render_template("found.html", kinds=ALLIANCE_KINDS, values={}, problems={})
    values = _values("title", "purpose", "kind", "role")
    try:
        result = settled(parts.service().found_alliance(viewer, _payload(values)))
    except errors.InvalidInput as invalid:
        page = render_template(
            "found.html", kinds=ALLIANCE_KINDS, values=values, problems=invalid.fields
        )
        return page, status_for(invalid)
    return redirect(url_for("pages.design", alliance_id=result["alliance_id"]), 303)


# --- the design conversation --------------------------------------------------------------


@bp.post("/alliances/<uuid:alliance_id>/design-conversation")
def plant_stake(alliance_id: UUID) -> Page:
    viewer = require_account()
    values = _values("at", "zone")

    def command() -> CommandResult:
        at = _local_time(values["at"], values["zone"] or "UTC")
        return parts.service().schedule_design_conversation(viewer, alliance_id, {"at": at})

    return _submit(alliance_id, values, command, anchor="stake")


def _local_time(typed: str, zone: str) -> str:
    """A date and time as typed on a clock in ``zone``, as an ISO-8601 instant."""
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as unknown:
        raise errors.InvalidInput(
            {"zone": [f"{zone!r} is not a time zone; try a name like Europe/Paris"]}
        ) from unknown
    try:
        naive = datetime.fromisoformat(typed)
    except ValueError as malformed:
        raise errors.InvalidInput({"at": ["give a date and a time"]}) from malformed
    return naive.replace(tzinfo=tz).isoformat()


@bp.post("/alliances/<uuid:alliance_id>/proposals")
def propose(alliance_id: UUID) -> Page:
    viewer = require_account()
    values = _values("kind", "category", "text", "term_id", "based_on_version", "rationale")
    picker = _values("every", "day", "time", "zone", "first")
    payload = _payload(values, integers=("based_on_version",))

    def command() -> CommandResult:
        schedule = _picked_schedule(alliance_id, picker, payload)
        if schedule is not None:
            payload["schedule"] = schedule
        return parts.service().propose(viewer, alliance_id, payload)

    return _submit(alliance_id, {**values, **picker}, command, anchor="proposals")


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
def accept(alliance_id: UUID, proposal_id: UUID) -> Page:
    viewer = require_account()
    return _submit(
        alliance_id,
        {},
        lambda: parts.service().accept_proposal(viewer, alliance_id, proposal_id),
        anchor="proposals",
    )


@bp.post("/alliances/<uuid:alliance_id>/proposals/<uuid:proposal_id>/decline")
def decline(alliance_id: UUID, proposal_id: UUID) -> Page:
    viewer = require_account()
    values = _values("reason")
    return _submit(
        alliance_id,
        values,
        lambda: parts.service().decline_proposal(
            viewer, alliance_id, proposal_id, _payload(values)
        ),
        anchor="proposals",
    )


@bp.post("/alliances/<uuid:alliance_id>/proposals/<uuid:proposal_id>/withdrawal")
def withdraw(alliance_id: UUID, proposal_id: UUID) -> Page:
    viewer = require_account()
    return _submit(
        alliance_id,
        {},
        lambda: parts.service().withdraw_proposal(viewer, alliance_id, proposal_id),
        anchor="proposals",
    )


# --- tending and redesigns ----------------------------------------------------------------


@bp.post("/alliances/<uuid:alliance_id>/redesigns")
def open_redesign(alliance_id: UUID) -> Page:
    viewer = require_account()
    values = _values("reason")
    return _submit(
        alliance_id,
        values,
        lambda: parts.service().open_redesign(viewer, alliance_id, _payload(values)),
        anchor="redesign",
    )


@bp.post("/alliances/<uuid:alliance_id>/redesigns/current/conclusion")
def conclude_redesign(alliance_id: UUID) -> Page:
    viewer = require_account()
    values = _values("summary")
    return _submit(
        alliance_id,
        values,
        lambda: parts.service().conclude_redesign(viewer, alliance_id, _payload(values)),
        anchor="redesign",
    )


@bp.post("/alliances/<uuid:alliance_id>/tending")
def request_tending(alliance_id: UUID) -> Page:
    viewer = require_account()
    values = _values("message")
    return _submit(
        alliance_id,
        values,
        lambda: parts.service().request_tending(viewer, alliance_id, _payload(values)),
        anchor="tending",
    )


@bp.post("/alliances/<uuid:alliance_id>/tending/<uuid:signal_id>/reply")
def address_tending(alliance_id: UUID, signal_id: UUID) -> Page:
    viewer = require_account()
    values = _values("reply")
    return _submit(
        alliance_id,
        values,
        lambda: parts.service().address_tending(viewer, alliance_id, signal_id, _payload(values)),
        anchor="tending",
    )


# --- feedback -----------------------------------------------------------------------------


@bp.post("/alliances/<uuid:alliance_id>/feedback")
def log_feedback(alliance_id: UUID) -> Page:
    viewer = require_account()
    values = _values("text", "valence", "visibility", "term_id")
    return _submit(
        alliance_id,
        values,
        lambda: parts.service().log_feedback(viewer, alliance_id, _payload(values)),
        anchor="notes",
        then=lambda _: flash("Your note is logged.", "done"),
    )


@bp.post("/alliances/<uuid:alliance_id>/feedback/<uuid:note_id>/replies")
def reply_to_feedback(alliance_id: UUID, note_id: UUID) -> Page:
    viewer = require_account()
    values = _values("text")
    return _submit(
        alliance_id,
        values,
        lambda: parts.service().reply_to_feedback(viewer, alliance_id, note_id, _payload(values)),
        anchor=f"note-{note_id}",
    )


@bp.post("/alliances/<uuid:alliance_id>/feedback/<uuid:note_id>/sharing")
def share_feedback(alliance_id: UUID, note_id: UUID) -> Page:
    viewer = require_account()
    return _submit(
        alliance_id,
        {},
        lambda: parts.service().share_feedback(viewer, alliance_id, note_id),
        anchor=f"note-{note_id}",
    )


@bp.post("/alliances/<uuid:alliance_id>/feedback/<uuid:note_id>/retraction")
def retract_feedback(alliance_id: UUID, note_id: UUID) -> Page:
    viewer = require_account()
    return _submit(
        alliance_id,
        {},
        lambda: parts.service().retract_feedback(viewer, alliance_id, note_id),
        anchor="notes",
    )


# --- check-ins ----------------------------------------------------------------------------


@bp.post("/alliances/<uuid:alliance_id>/checkins")
def start_checkin(alliance_id: UUID) -> Page:
    viewer = require_account()
    return _submit(
        alliance_id,
        {},
        lambda: parts.service().start_checkin_now(viewer, alliance_id),
        anchor="open",
    )


@bp.post("/alliances/<uuid:alliance_id>/checkins/<uuid:checkin_id>/responses")
def respond_to_checkin(alliance_id: UUID, checkin_id: UUID) -> Page:
    """The form lists the questions beside the answers, so the answers keep their question."""
    viewer = require_account()
    questions = request.form.getlist("question")
    values = _values(*SRS_ITEMS, *(f"answer-{n}" for n in range(len(questions))))
    answers = {q: values[f"answer-{n}"].strip() for n, q in enumerate(questions)}
    ratings = {item: whole_number(v.strip()) for item in SRS_ITEMS if (v := values[item])}
    payload = {"answers": {q: a for q, a in answers.items() if a}, "ratings": ratings}
    return _submit(
        alliance_id,
        values,
        lambda: parts.service().respond_to_checkin(viewer, alliance_id, checkin_id, payload),
        anchor=f"checkin-{checkin_id}",
    )


@bp.post("/alliances/<uuid:alliance_id>/review-cadence")
def set_review_cadence(alliance_id: UUID) -> Page:
    viewer = require_account()
    values = _values("every_months")
    typed = values["every_months"].strip()
    payload = {"every_months": whole_number(typed) if typed else None}
    return _submit(
        alliance_id,
        values,
        lambda: parts.service().set_review_cadence(viewer, alliance_id, payload),
        anchor="redesign",
    )


@bp.post("/alliances/<uuid:alliance_id>/webhook")
def set_webhook(alliance_id: UUID) -> Page:
    viewer = require_account()
    values = _values("url")
    payload = {"url": values["url"].strip() or None}
    return _submit(
        alliance_id,
        values,
        lambda: parts.service().set_webhook(viewer, alliance_id, payload),
        anchor="delivery",
    )


@bp.post("/alliances/<uuid:alliance_id>/calendar-feed")
def rotate_calendar_key(alliance_id: UUID) -> Page:
    viewer = require_account()
    return _submit(
        alliance_id,
        {},
        lambda: parts.service().rotate_calendar_key(viewer, alliance_id),
        anchor="delivery",
    )


@bp.post("/alliances/<uuid:alliance_id>/checkin-mail")
def choose_checkin_mail(alliance_id: UUID) -> Page:
    """Mail is a choice of the person, for every alliance; the form sits on each alliance's
    check-ins page and comes back to it."""
    viewer = require_account()
    if not parts.queries().is_member(alliance_id, viewer):
        abort(404)  # the page it comes from is a member's; a stranger changes nothing here
    enabled = request.form.get("enabled") == "yes"
    return _submit(
        alliance_id,
        {},
        lambda: parts.service().choose_checkin_mail(viewer, {"enabled": enabled}),
        anchor="delivery",
    )


# --- conflicts ----------------------------------------------------------------------------


@bp.post("/alliances/<uuid:alliance_id>/conflicts")
def report_conflict(alliance_id: UUID) -> Page:
    viewer = require_account()
    values = _values("description", "occurred_at", "zone", "severity", "term_id")

    def command() -> CommandResult:
        payload = _payload({k: v for k, v in values.items() if k != "zone"})
        if values["occurred_at"]:
            payload["occurred_at"] = _local_time(values["occurred_at"], values["zone"] or "UTC")
        return parts.service().report_conflict(viewer, alliance_id, payload)

    return _submit(alliance_id, values, command, anchor="reports")


@bp.post("/alliances/<uuid:alliance_id>/conflicts/<uuid:conflict_id>/acknowledgement")
def acknowledge_conflict(alliance_id: UUID, conflict_id: UUID) -> Page:
    viewer = require_account()
    values = _values("note")
    return _submit(
        alliance_id,
        values,
        lambda: parts.service().acknowledge_conflict(
            viewer, alliance_id, conflict_id, _payload(values)
        ),
        anchor=f"conflict-{conflict_id}",
    )


@bp.post("/alliances/<uuid:alliance_id>/conflicts/<uuid:conflict_id>/resolution")
def resolve_conflict(alliance_id: UUID, conflict_id: UUID) -> Page:
    viewer = require_account()
    values = _values("resolution", "outcome")
    return _submit(
        alliance_id,
        values,
        lambda: parts.service().resolve_conflict(
            viewer, alliance_id, conflict_id, _payload(values)
        ),
        anchor=f"conflict-{conflict_id}",
    )


@bp.post("/alliances/<uuid:alliance_id>/conflicts/<uuid:conflict_id>/reopening")
def reopen_conflict(alliance_id: UUID, conflict_id: UUID) -> Page:
    viewer = require_account()
    values = _values("reason")
    return _submit(
        alliance_id,
        values,
        lambda: parts.service().reopen_conflict(viewer, alliance_id, conflict_id, _payload(values)),
        anchor=f"conflict-{conflict_id}",
    )


# --- invitations --------------------------------------------------------------------------


@bp.post("/alliances/<uuid:alliance_id>/invitations")
def invite(alliance_id: UUID) -> Page:
    viewer = require_account()
    values = _values("email", "role")

    def send(result: CommandResult) -> None:
        problem = invitations.email(alliance_id, result["invitation_id"])
        if problem is not None:
            flash(f"{problem}; pass the link below on yourself", "problem")
        elif parts.mailer() is not None:
            flash(f"Invitation emailed to {values['email'].strip()}", "done")

    return _submit(
        alliance_id,
        values,
        lambda: parts.service().invite_member(viewer, alliance_id, _payload(values)),
        anchor="invitations",
        then=send,
    )


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str) -> Page:
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
        values = _values("agreed_version")
        try:
            settled(
                parts.service().join_alliance(
                    viewer,
                    alliance_id,
                    {
                        "invitation_id": str(invitation_id),
                        **_payload(values, integers=("agreed_version",)),
                    },
                )
            )
        except (errors.InvalidInput, errors.RuleViolation) as refused:
            fields = refused.fields if isinstance(refused, errors.InvalidInput) else {}
            problems = {"_form": [str(refused)], **fields}
            status = status_for(refused)
            found = parts.queries().invitation(invitation_id) or found
        else:
            return redirect(url_for("pages.agreement", alliance_id=alliance_id), 303)
    page = render_template(
        "invitation.html",
        invitation=found,
        terms=parts.queries().agreement(alliance_id),
        token=token,
        viewer=parts.queries().account(viewer) if viewer else None,
        already_member=bool(viewer and parts.queries().is_member(alliance_id, viewer)),
        problems=problems,
    )
    return (page, status) if problems else page
