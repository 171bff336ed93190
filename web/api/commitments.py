"""Commitments over the API: record one from a check-in, a resolved conflict or the open
redesign; list them; and, as its owner, answer for one at a later check-in."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for
from werkzeug.exceptions import NotFound

from tracker import schemas
from tracker.domain.vocabulary import COMMITMENT_STATUSES
from web import parts, query
from web.api.operations import account, body, operation, settled
from web.api.schemas.commitments import CommitmentSchema


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/commitments",
    summary="Record a commitment: what a member will do, by when, made in a check-in, from a "
    "resolved conflict or in the open redesign, optionally for a term it serves",
    tag="commitments",
    body=schemas.MakeCommitmentSchema,
    response=CommitmentSchema,
    status=201,
    refusals=(400, 401, 404, 409, 415, 422),
)
def make_commitment(alliance_id: UUID) -> tuple[dict[str, Any], dict[str, str]]:
    result = settled(parts.service().make_commitment(account(), alliance_id, body()))
    commitment_id = result["commitment_id"]
    location = url_for("api.get_commitment", alliance_id=alliance_id, commitment_id=commitment_id)
    return _commitment(alliance_id, commitment_id), {"Location": location}


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/commitments",
    summary="The alliance's commitments, open ones first and the soonest due first; ?status= "
    "narrows them",
    tag="commitments",
    response=CommitmentSchema,
    many=True,
    refusals=(401, 404, 422),
    query={"status": {"type": "string", "enum": list(COMMITMENT_STATUSES)}},
)
def list_commitments(alliance_id: UUID) -> list[dict[str, Any]]:
    status = query.choice("status", COMMITMENT_STATUSES)
    return parts.queries().commitments(alliance_id, status=status)


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/commitments/<uuid:commitment_id>",
    summary="One commitment, with every answer its owner gave for it",
    tag="commitments",
    response=CommitmentSchema,
    refusals=(401, 404),
)
def get_commitment(alliance_id: UUID, commitment_id: UUID) -> dict[str, Any]:
    return _commitment(alliance_id, commitment_id)


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/commitments/<uuid:commitment_id>/review",
    summary="As its owner, answer for it at an open check-in that opened after it was made: "
    "done, not done, or carried over to a new date",
    tag="commitments",
    body=schemas.ReviewCommitmentSchema,
    response=CommitmentSchema,
    refusals=(400, 401, 404, 409, 415, 422),
)
def review_commitment(alliance_id: UUID, commitment_id: UUID) -> dict[str, Any]:
    settled(parts.service().review_commitment(account(), alliance_id, commitment_id, body()))
    return _commitment(alliance_id, commitment_id)


def _commitment(alliance_id: UUID, commitment_id: UUID) -> dict[str, Any]:
    found = parts.queries().commitment(alliance_id, commitment_id)
    if found is None:
        raise NotFound("no such commitment in this alliance")
    return found
