"""Server-rendered pages: the alliances, an alliance's design conversation, agreement,
redesigns, term history and timeline.

Pages only translate: read the signed-in account and the query parameters, ask the readers
(through Queries), render. The render_* functions are shared with web.design, which shows the
same page again, with a refused form's problems, when a form on it is refused.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template, request, url_for

from delivery import webhook
from projections.readers.records import page_cursor, read_cursor
from tracker.domain.vocabulary import (
    CONFLICT_FILTERS,
    CONFLICT_OUTCOMES,
    PROMPTS,
    SEVERITIES,
    SRS_ITEMS,
    VALENCES,
)
from web import calendar_feed, invitations, parts
from web.auth import current_account, require_account
from web.formatting import DAYS
from web.health_links import health_now

bp = Blueprint("pages", __name__)


RECENT = timedelta(days=14)  # how far back the agreement page recalls what was decided
Forms = dict[str, dict[str, Any]]  # per form on the page: its problems, or its typed values


def member_view(alliance_id: UUID, viewer: UUID | None = None) -> tuple[UUID, dict[str, Any]]:
    viewer = viewer or require_account()
    alliance = parts.queries().alliance(alliance_id, viewer)
    if alliance is None:
        abort(404)  # the same answer for a stranger as for a missing alliance
    return viewer, alliance


@bp.app_context_processor
def form_defaults() -> dict[str, object]:
    """What the forms every alliance page may hold need: the log-a-note form, the rhythm
    picker. A page's own values win: a page that passes problems or values keeps them."""
    return {"valences": VALENCES, "weekdays": list(DAYS.items()), "problems": {}, "values": {}}


@bp.app_template_global()
def terms_in_force(alliance_id: str) -> list[dict[str, Any]]:
    return parts.queries().agreement(UUID(alliance_id))


@bp.get("/")
def index() -> str:
    viewer = current_account()
    if viewer is None:
        return render_template("welcome.html")
    found = parts.queries()
    return render_template(
        "index.html", viewer=found.account(viewer), alliances=found.alliances_for(viewer)
    )


@bp.get("/inbox")
def inbox() -> str:
    return render_template("inbox.html", items=parts.queries().inbox(require_account()))


@bp.get("/alliances/<uuid:alliance_id>")
def agreement(alliance_id: UUID) -> str:
    with parts.one_snapshot():
        return render_agreement(
            alliance_id, require_account(), as_of=_as_of(request.args.get("as_of", ""))
        )


def render_agreement(
    alliance_id: UUID,
    viewer: UUID,
    *,
    as_of: datetime | None = None,
    problems: Forms | None = None,
    values: Forms | None = None,
) -> str:
    _, alliance = member_view(alliance_id, viewer)
    found = parts.queries()
    return render_template(
        "agreement.html",
        alliance=alliance,
        viewer_id=str(viewer),
        terms=found.agreement(alliance_id, as_of=as_of),
        as_of=as_of,
        proposals=found.open_proposals(alliance_id) if as_of is None else [],
        settled=found.settled_since(alliance_id, parts.now() - RECENT) if as_of is None else [],
        candidates=found.redesign_candidates(alliance_id, parts.now()) if as_of is None else {},
        suggestions=found.redesign_suggestions(alliance_id) if as_of is None else [],
        tending=found.tending(alliance_id),
        health=health_now(alliance_id, viewer) if as_of is None else None,
        problems=problems or {},
        values=values or {},
    )


@bp.get("/alliances/<uuid:alliance_id>/design")
def design(alliance_id: UUID) -> str:
    return render_design(alliance_id, require_account())


def render_design(
    alliance_id: UUID,
    viewer: UUID,
    *,
    problems: Forms | None = None,
    values: Forms | None = None,
) -> str:
    """The guided conversation: the stake, who is invited, and a prompt per category."""
    _, alliance = member_view(alliance_id, viewer)
    found = parts.queries()
    pending = found.open_invitations(alliance_id)
    for invitation in pending:
        invitation["link"] = invitations.link_shown_to(viewer, invitation)
    return render_template(
        "design.html",
        alliance=alliance,
        viewer_id=str(viewer),
        prompts=PROMPTS,
        terms=found.agreement(alliance_id),
        proposals=found.open_proposals(alliance_id),
        invitations=pending,
        problems=problems or {},
        values=values or {},
    )


@bp.get("/alliances/<uuid:alliance_id>/redesigns")
def redesigns(alliance_id: UUID) -> str:
    return render_redesigns(alliance_id, require_account())


def render_redesigns(
    alliance_id: UUID,
    viewer: UUID,
    *,
    problems: Forms | None = None,
    values: Forms | None = None,
) -> str:
    _, alliance = member_view(alliance_id, viewer)
    return render_template(
        "redesigns.html",
        alliance=alliance,
        redesigns=parts.queries().redesigns(alliance_id),
        tending=parts.queries().tending(alliance_id, open_only=False),
        problems=problems or {},
        values=values or {},
    )


FEEDBACK_PAGE = 25
FEEDBACK_FILTERS = ("author", "valence", "term_id", "since", "until")


@bp.get("/alliances/<uuid:alliance_id>/feedback")
def feedback(alliance_id: UUID) -> str:
    return render_feedback(alliance_id, require_account())


def render_feedback(
    alliance_id: UUID,
    viewer: UUID,
    *,
    problems: Forms | None = None,
    values: Forms | None = None,
) -> str:
    """The notes the viewer may see, newest first, filtered by the query string."""
    _, alliance = member_view(alliance_id, viewer)
    args = request.args
    cursor = args.get("cursor")
    after = read_cursor(cursor) if cursor else None
    if cursor and after is None:
        abort(422, "this page link is not one the feedback page made; start from the first page")
    found = parts.queries()
    notes = found.feedback(
        alliance_id,
        viewer,
        author=_uuid_arg("author"),
        valence=args.get("valence") if args.get("valence") in VALENCES else None,
        term_id=_uuid_arg("term_id"),
        since=_as_of(args.get("since", ""), end_of_day=False),
        until=_as_of(args.get("until", "")),
        after=after,
        limit=FEEDBACK_PAGE + 1,
    )
    page, more = notes[:FEEDBACK_PAGE], len(notes) > FEEDBACK_PAGE
    filters = {key: args.get(key, "") for key in FEEDBACK_FILTERS}
    chosen: dict[str, Any] = {key: value for key, value in filters.items() if value}
    older = (
        url_for("pages.feedback", alliance_id=alliance_id, cursor=page_cursor(page[-1]), **chosen)
        if more
        else None
    )
    return render_template(
        "feedback.html",
        alliance=alliance,
        viewer_id=str(viewer),
        notes=page,
        older=older,
        filters=filters,
        terms=found.agreement(alliance_id),
        valences=VALENCES,
        problems=problems or {},
        values=values or {},
    )


def _uuid_arg(name: str) -> UUID | None:
    raw = request.args.get(name, "")
    if not raw:
        return None
    try:
        return UUID(raw)
    except ValueError:
        abort(422, f"{name} must be one of the choices the page offers")


@bp.get("/alliances/<uuid:alliance_id>/conflicts")
def conflicts(alliance_id: UUID) -> str:
    return render_conflicts(alliance_id, require_account())


def render_conflicts(
    alliance_id: UUID,
    viewer: UUID,
    *,
    problems: Forms | None = None,
    values: Forms | None = None,
) -> str:
    _, alliance = member_view(alliance_id, viewer)
    status = request.args.get("status") if request.args.get("status") in CONFLICT_FILTERS else None
    found = parts.queries()
    return render_template(
        "conflicts.html",
        alliance=alliance,
        viewer_id=str(viewer),
        conflicts=found.conflicts(alliance_id, status=status),
        status=status or "",
        statuses=CONFLICT_FILTERS,
        severities=SEVERITIES,
        outcomes=CONFLICT_OUTCOMES,
        terms=found.agreement(alliance_id),
        problems=problems or {},
        values=values or {},
    )


CHECKINS_PAGE = 20
DELIVERIES_SHOWN = 10


@bp.get("/alliances/<uuid:alliance_id>/checkins")
def checkins(alliance_id: UUID) -> str:
    return render_checkins(alliance_id, require_account())


def render_checkins(
    alliance_id: UUID,
    viewer: UUID,
    *,
    problems: Forms | None = None,
    values: Forms | None = None,
) -> str:
    """Open check-ins to answer first, then the latest closed ones with everyone's answers."""
    _, alliance = member_view(alliance_id, viewer)
    found = parts.queries()
    listed = found.checkins(alliance_id, viewer, limit=CHECKINS_PAGE, with_responses=True)
    settings = parts.settings()
    return render_template(
        "checkins.html",
        alliance=alliance,
        viewer_id=str(viewer),
        open=[c for c in listed if c["status"] == "open"],
        closed=[c for c in listed if c["status"] != "open"],
        rhythms=[t for t in found.agreement(alliance_id) if t["schedule"]],
        srs_items=SRS_ITEMS,
        mail_on=bool((found.account(viewer) or {}).get("checkin_mail", 1)),
        mail_configured=bool(settings.smtp_url),
        signing_key=webhook.key_of(settings.secret_key(), alliance),
        deliveries=found.deliveries(alliance_id)[:DELIVERIES_SHOWN],
        calendar_url=calendar_feed.feed_url(alliance_id, viewer)[0],
        problems=problems or {},
        values=values or {},
    )


@bp.get("/alliances/<uuid:alliance_id>/history")
def history(alliance_id: UUID) -> str:
    _, alliance = member_view(alliance_id)
    found = parts.queries()
    return render_template(
        "history.html",
        alliance=alliance,
        terms=found.terms(alliance_id),
        versions=found.agreement_versions(alliance_id),
    )


@bp.get("/alliances/<uuid:alliance_id>/terms/<uuid:term_id>")
def term(alliance_id: UUID, term_id: UUID) -> str:
    viewer, alliance = member_view(alliance_id)
    versions = parts.queries().term_history(alliance_id, term_id, viewer)
    if not versions:
        abort(404)
    return render_template("term.html", alliance=alliance, versions=versions)


@bp.get("/alliances/<uuid:alliance_id>/timeline")
def timeline(alliance_id: UUID) -> str:
    viewer, alliance = member_view(alliance_id)
    before = request.args.get("before", type=int)
    if before is not None and not 0 < before <= 2**53:
        abort(422, "before must be a notification number from the timeline's own links")
    rows = parts.queries().timeline(alliance_id, viewer, before=before, limit=51)
    return render_template(
        "timeline.html",
        alliance=alliance,
        rows=rows[:50],
        older=rows[49]["notification_id"] if len(rows) > 50 else None,
    )


@bp.get("/healthz")
def healthz() -> dict[str, object]:
    # Anyone may ask, so it says whether the service is well and nothing of what it holds.
    if parts.engine().held_count():
        return {"status": "degraded", "reason": "some events are held in quarantine"}
    return {"status": "ok"}


def _as_of(raw: str, *, end_of_day: bool = True) -> datetime | None:
    """A date from a picker means the end of that day, UTC (or its start, for a "since");
    a full instant is taken as is."""
    if not raw:
        return None
    try:
        if len(raw) == 10:
            day = datetime.fromisoformat(raw).replace(tzinfo=UTC)
            return day.replace(hour=23, minute=59, second=59) if end_of_day else day
        parsed = datetime.fromisoformat(raw)
        parsed.astimezone(UTC)  # year 1 at +01:00 has no UTC form
    except (ValueError, OverflowError):
        abort(422, f"as_of must be a date (YYYY-MM-DD) or an ISO-8601 instant, not {raw!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
