"""Check-ins over the API: the alliance's check-ins by status, one with the answers you may
read, starting one now, and answering. Answers stay sealed: while a check-in is open you
read your own alone; once every member has answered or its window has closed, everyone's."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for
from werkzeug.exceptions import NotFound

from delivery import webhook
from tracker import schemas
from tracker.domain.vocabulary import CHECKIN_STATUSES
from web import parts, query
from web.api.operations import account, body, member_of, operation, settled
from web.api.schemas.agreement import ReviewCadenceSchema
from web.api.schemas.checkins import CalendarFeedSchema, CheckInSchema, WebhookSchema
from web.calendar_feed import feed_url


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/checkins",
    summary="The alliance's check-ins, newest first; ?status= narrows them",
    tag="check-ins",
    response=CheckInSchema,
    many=True,
    refusals=(401, 404, 422),
    query={"status": {"type": "string", "enum": list(CHECKIN_STATUSES)}},
)
def list_checkins(alliance_id: UUID) -> list[dict[str, Any]]:
    status = query.choice("status", CHECKIN_STATUSES)
    return parts.queries().checkins(alliance_id, account(), status=status)


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/checkins",
    summary="Start a check-in now, outside the agreed rhythm; open for a week",
    tag="check-ins",
    response=CheckInSchema,
    status=201,
    refusals=(401, 404, 409),
)
def start_checkin(alliance_id: UUID) -> tuple[dict[str, Any], dict[str, str]]:
    result = settled(parts.service().start_checkin_now(account(), alliance_id))
    checkin_id = result["checkin_id"]
    location = url_for("api.get_checkin", alliance_id=alliance_id, checkin_id=checkin_id)
    return _checkin(alliance_id, checkin_id), {"Location": location}


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/checkins/<uuid:checkin_id>",
    summary="One check-in, with the answers you may read",
    tag="check-ins",
    response=CheckInSchema,
    refusals=(401, 404),
)
def get_checkin(alliance_id: UUID, checkin_id: UUID) -> dict[str, Any]:
    return _checkin(alliance_id, checkin_id)


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/checkins/<uuid:checkin_id>/responses",
    summary="Answer a check-in: answers by question, and the four ratings from 0 to 10",
    tag="check-ins",
    body=schemas.RespondToCheckInSchema,
    response=CheckInSchema,
    status=201,
    refusals=(400, 401, 404, 409, 415, 422),
)
def respond_to_checkin(alliance_id: UUID, checkin_id: UUID) -> dict[str, Any]:
    settled(parts.service().respond_to_checkin(account(), alliance_id, checkin_id, body()))
    return _checkin(alliance_id, checkin_id)


def _checkin(alliance_id: UUID, checkin_id: UUID) -> dict[str, Any]:
    found = parts.queries().checkin(alliance_id, checkin_id, account())
    if found is None:
        raise NotFound("no such check-in in this alliance")
    return found


@operation(
    "PUT",
    "/alliances/<uuid:alliance_id>/webhook",
    summary="Set, change or remove (url: null) the webhook check-in prompts are sent to, and "
    "the format its calls are written in; every change starts a new signing key, given in "
    "the answer",
    tag="check-ins",
    body=schemas.SetWebhookSchema,
    response=WebhookSchema,
    refusals=(400, 401, 404, 409, 415, 422),
)
def set_webhook(alliance_id: UUID) -> dict[str, Any]:
    settled(parts.service().set_webhook(account(), alliance_id, body()))
    return webhook_of(member_of(alliance_id))


def webhook_of(alliance: dict[str, Any]) -> dict[str, Any]:
    """The alliance's webhook with the key its calls are signed with."""
    secret = parts.settings().secret_key()
    return {
        "url": alliance["webhook_url"],
        "format": alliance["webhook_format"],
        "key_version": alliance["webhook_key_version"],
        "signing_key": webhook.key_of(secret, alliance),
    }


@operation(
    "PUT",
    "/alliances/<uuid:alliance_id>/review-cadence",
    summary="How often the agreement is due for a redesign conversation (null: not on a "
    "calendar); the scheduler then prompts the members",
    tag="check-ins",
    body=schemas.SetReviewCadenceSchema,
    response=ReviewCadenceSchema,
    refusals=(400, 401, 404, 409, 415, 422),
)
def set_review_cadence(alliance_id: UUID) -> dict[str, Any]:
    settled(parts.service().set_review_cadence(account(), alliance_id, body()))
    return member_of(alliance_id)


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/calendar-feed",
    summary="Your calendar feed of this alliance's check-ins: the address to subscribe to",
    tag="check-ins",
    response=CalendarFeedSchema,
    refusals=(401, 404),
)
def get_calendar_feed(alliance_id: UUID) -> dict[str, Any]:
    url, version = feed_url(alliance_id, account())
    return {"url": url, "key_version": version}


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/calendar-feed",
    summary="A new address for your calendar feed; the old one stops working",
    tag="check-ins",
    response=CalendarFeedSchema,
    refusals=(401, 404, 409),
)
def rotate_calendar_feed(alliance_id: UUID) -> dict[str, Any]:
    settled(parts.service().rotate_calendar_key(account(), alliance_id))
    url, version = feed_url(alliance_id, account())
    return {"url": url, "key_version": version}
