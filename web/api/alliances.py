"""Alliances: the ones you belong to, founding one, one alliance whole, and what its members
do to it as a whole: schedule the design conversation, redesign, call for tending, and read
its timeline."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for
from werkzeug.exceptions import NotFound

from tracker import schemas
from tracker.domain.errors import InvalidInput
from web import parts, query
from web.api.operations import account, body, member_of, operation, settled
from web.api.schemas.agreement import RedesignSchema, TendingSchema
from web.api.schemas.alliances import AllianceSchema, AllianceSummarySchema, TimelinePageSchema


@operation(
    "GET",
    "/alliances",
    summary="The alliances you are a member of, most recently changed first",
    tag="alliances",
    response=AllianceSummarySchema,
    many=True,
    refusals=(401,),
)
def list_alliances() -> list[dict[str, Any]]:
    return parts.queries().alliances_for(account())


@operation(
    "POST",
    "/alliances",
    summary="Found an alliance, with you as its first member",
    tag="alliances",
    body=schemas.FoundAllianceSchema,
    response=AllianceSchema,
    status=201,
    refusals=(400, 401, 415, 422),
)
def found_alliance() -> tuple[dict[str, Any], dict[str, str]]:
    member = account()
    result = settled(parts.service().found_alliance(member, body()))
    alliance_id = result["alliance_id"]
    location = url_for("api.get_alliance", alliance_id=alliance_id)
    return alliance_whole(alliance_id), {"Location": location}


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>",
    summary="One alliance: members, terms in force, open proposals, redesign and tending",
    tag="alliances",
    response=AllianceSchema,
    refusals=(401, 404),
)
def get_alliance(alliance_id: UUID) -> dict[str, Any]:
    return alliance_whole(alliance_id)


def alliance_whole(alliance_id: UUID) -> dict[str, Any]:
    alliance = member_of(alliance_id)
    found = parts.queries()
    alliance["terms"] = found.agreement(alliance_id)
    alliance["open_proposals"] = found.open_proposals(alliance_id)
    alliance["open_redesign"] = (
        {"redesign_id": alliance["redesign_id"], "redesign_reason": alliance["redesign_reason"]}
        if alliance["redesign_id"]
        else None
    )
    alliance["tending_open"] = bool(alliance["tending_open"])
    alliance["tending"] = found.tending(alliance_id)
    return alliance


@operation(
    "PUT",
    "/alliances/<uuid:alliance_id>/design-conversation",
    summary="Plant a stake: when the members will hold their design conversation",
    tag="alliances",
    body=schemas.ScheduleDesignConversationSchema,
    response=AllianceSchema,
    refusals=(400, 401, 404, 409, 415, 422),
)
def schedule_design_conversation(alliance_id: UUID) -> dict[str, Any]:
    settled(parts.service().schedule_design_conversation(account(), alliance_id, body()))
    return alliance_whole(alliance_id)


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/redesigns",
    summary="Every redesign, newest first, with what it changed in the agreement",
    tag="alliances",
    response=RedesignSchema,
    many=True,
    refusals=(401, 404),
)
def list_redesigns(alliance_id: UUID) -> list[dict[str, Any]]:
    return parts.queries().redesigns(alliance_id)


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/redesigns",
    summary="Open a redesign; proposals made while it is open belong to it",
    tag="alliances",
    body=schemas.OpenRedesignSchema,
    response=RedesignSchema,
    status=201,
    refusals=(400, 401, 404, 409, 415, 422),
)
def open_redesign(alliance_id: UUID) -> tuple[dict[str, Any], dict[str, str]]:
    result = settled(parts.service().open_redesign(account(), alliance_id, body()))
    location = url_for("api.list_redesigns", alliance_id=alliance_id)
    return _redesign(alliance_id, result["redesign_id"]), {"Location": location}


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/redesigns/<uuid:redesign_id>/conclusion",
    summary="Conclude the open redesign once its proposals are settled",
    tag="alliances",
    body=schemas.ConcludeRedesignSchema,
    response=RedesignSchema,
    refusals=(400, 401, 404, 409, 415, 422),
)
def conclude_redesign(alliance_id: UUID, redesign_id: UUID) -> dict[str, Any]:
    settled(parts.service().conclude_redesign(account(), alliance_id, body(), redesign_id))
    return _redesign(alliance_id, redesign_id)


def _redesign(alliance_id: UUID, redesign_id: UUID) -> dict[str, Any]:
    found = parts.queries().redesigns(alliance_id, redesign_id)
    if not found:
        raise NotFound("no such redesign in this alliance")
    return found[0]


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/tending",
    summary="Say the alliance needs tending; every member sees it until someone answers",
    tag="alliances",
    body=schemas.RequestTendingSchema,
    response=TendingSchema,
    status=201,
    refusals=(400, 401, 404, 409, 415, 422),
)
def request_tending(alliance_id: UUID) -> dict[str, Any]:
    result = settled(parts.service().request_tending(account(), alliance_id, body()))
    return _signal(alliance_id, result["signal_id"])


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/tending/<uuid:signal_id>/reply",
    summary="Answer a call for tending in words (opening a redesign answers it too)",
    tag="alliances",
    body=schemas.AddressTendingSchema,
    response=TendingSchema,
    refusals=(400, 401, 404, 409, 415, 422),
)
def address_tending(alliance_id: UUID, signal_id: UUID) -> dict[str, Any]:
    settled(parts.service().address_tending(account(), alliance_id, signal_id, body()))
    return _signal(alliance_id, signal_id)


def _signal(alliance_id: UUID, signal_id: UUID) -> dict[str, Any]:
    found = parts.queries().tending(alliance_id, open_only=False, signal_id=signal_id)
    if not found:
        raise NotFound("no such call for tending in this alliance")
    return found[0]


TIMELINE_PAGE = 50
TIMELINE_MAX = 200


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/timeline",
    summary="The audit timeline, newest first, a page at a time (?before=&limit=)",
    tag="alliances",
    response=TimelinePageSchema,
    refusals=(401, 404, 422),
    query={
        "before": {"type": "integer", "minimum": 1, "maximum": 2**53},
        "limit": {"type": "integer", "minimum": 1, "maximum": TIMELINE_MAX},
    },
)
def get_timeline(alliance_id: UUID) -> dict[str, Any]:
    before = query.whole_number("before", minimum=1)
    limit = query.whole_number("limit", minimum=1) or TIMELINE_PAGE
    if limit > TIMELINE_MAX:
        raise InvalidInput({"limit": [f"must be at most {TIMELINE_MAX}"]})
    rows = parts.queries().timeline(alliance_id, account(), before=before, limit=limit + 1)
    entries = rows[:limit]
    more = len(rows) > limit
    return {"entries": entries, "next_before": entries[-1]["notification_id"] if more else None}
