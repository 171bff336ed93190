"""Each member's calendar feed, at an address a calendar app can subscribe to without
signing in: the key in it is the only credential, so a wrong one is simply not found."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, Response, abort

from delivery import calendar
from web import links, parts

bp = Blueprint("calendar", __name__)


def feed_url(alliance_id: UUID, member_id: UUID) -> tuple[str, int]:
    """The member's subscribe address and its key version."""
    version = parts.queries().calendar_key_version(alliance_id, member_id)
    if version is None:
        abort(404)
    settings = parts.settings()
    key = calendar.feed_key(settings.secret_key(), alliance_id, member_id, version)
    url = links.external("calendar.feed", alliance_id=alliance_id, member_id=member_id, key=key)
    return url, version


@bp.get("/calendar/<uuid:alliance_id>/<uuid:member_id>/<key>.ics")
def feed(alliance_id: UUID, member_id: UUID, key: str) -> Response:
    version = parts.queries().calendar_key_version(alliance_id, member_id)
    settings = parts.settings()
    if version is None or not calendar.key_matches(
        key, calendar.feed_key(settings.secret_key(), alliance_id, member_id, version)
    ):
        abort(404)
    found = parts.queries()
    alliance = found.alliance(alliance_id, member_id)
    if alliance is None:
        abort(404)
    rhythms = [term for term in found.agreement(alliance_id) if term["schedule"]]
    link = links.external("checkins.page", alliance_id=alliance_id)
    now = parts.now()
    body = calendar.feed(alliance, rhythms, link, now)
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": "inline; filename=check-ins.ics"},
    )
