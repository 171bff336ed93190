"""Alliances: the ones you belong to, founding one, and one alliance whole."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app, url_for
from werkzeug.exceptions import NotFound

from projections.queries import Queries
from tracker import schemas
from web.api.operations import account, body, operation, service, settled
from web.api.schemas import AllianceSchema, AllianceSummarySchema


def _queries() -> Queries:
    found: Queries = current_app.extensions["tracker"].queries
    return found


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
    return _queries().alliances_for(account())


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
    result = settled(service().found_alliance(member, body()))
    alliance_id = result["alliance_id"]
    location = url_for("api.get_alliance", alliance_id=alliance_id)
    return _alliance(alliance_id, member), {"Location": location}


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>",
    summary="One alliance: members, terms in force, open proposals, redesign and tending",
    tag="alliances",
    response=AllianceSchema,
    refusals=(401, 404),
)
def get_alliance(alliance_id: UUID) -> dict[str, Any]:
    return _alliance(alliance_id, account())


def _alliance(alliance_id: UUID, viewer: UUID) -> dict[str, Any]:
    queries = _queries()
    alliance = queries.alliance(alliance_id, viewer)
    if alliance is None:
        # The same answer for a stranger as for an alliance that does not exist.
        raise NotFound("no such alliance among yours")
    alliance["terms"] = queries.agreement(alliance_id)
    alliance["open_proposals"] = queries.open_proposals(alliance_id)
    alliance["open_redesign"] = (
        {"redesign_id": alliance["redesign_id"], "redesign_reason": alliance["redesign_reason"]}
        if alliance["redesign_id"]
        else None
    )
    alliance["tending_open"] = bool(alliance["tending_open"])
    return alliance
