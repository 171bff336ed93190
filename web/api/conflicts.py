"""Conflicts and breaches over the API: report one citing the term version in force when it
happened, then acknowledge, resolve (or resolve by opening a redesign) and reopen it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for
from werkzeug.exceptions import NotFound

from tracker import schemas
from tracker.domain.vocabulary import CONFLICT_FILTERS
from web import parts, query
from web.api.operations import account, body, operation, settled
from web.api.schemas.records import ConflictSchema


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/conflicts",
    summary="Report a conflict or a breach; it cites the term version in force when it happened",
    tag="conflicts",
    body=schemas.ReportConflictSchema,
    response=ConflictSchema,
    status=201,
    refusals=(400, 401, 404, 409, 415, 422),
)
def report_conflict(alliance_id: UUID) -> tuple[dict[str, Any], dict[str, str]]:
    result = settled(parts.service().report_conflict(account(), alliance_id, body()))
    conflict_id = result["conflict_id"]
    location = url_for("api.get_conflict", alliance_id=alliance_id, conflict_id=conflict_id)
    return _conflict(alliance_id, conflict_id), {"Location": location}


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/conflicts",
    summary="The alliance's conflicts, newest first; ?status= narrows them",
    tag="conflicts",
    response=ConflictSchema,
    many=True,
    refusals=(401, 404, 422),
    query={"status": {"type": "string", "enum": list(CONFLICT_FILTERS)}},
)
def list_conflicts(alliance_id: UUID) -> list[dict[str, Any]]:
    return parts.queries().conflicts(alliance_id, status=query.choice("status", CONFLICT_FILTERS))


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/conflicts/<uuid:conflict_id>",
    summary="One conflict, with the wording of the term version it cites",
    tag="conflicts",
    response=ConflictSchema,
    refusals=(401, 404),
)
def get_conflict(alliance_id: UUID, conflict_id: UUID) -> dict[str, Any]:
    return _conflict(alliance_id, conflict_id)


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/conflicts/<uuid:conflict_id>/acknowledgement",
    summary="Acknowledge another member's report",
    tag="conflicts",
    body=schemas.AcknowledgeConflictSchema,
    response=ConflictSchema,
    refusals=(400, 401, 404, 409, 415, 422),
)
def acknowledge_conflict(alliance_id: UUID, conflict_id: UUID) -> dict[str, Any]:
    settled(parts.service().acknowledge_conflict(account(), alliance_id, conflict_id, body()))
    return _conflict(alliance_id, conflict_id)


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/conflicts/<uuid:conflict_id>/resolution",
    summary="Resolve it; an outcome of redesign opens a redesign that cites it",
    tag="conflicts",
    body=schemas.ResolveConflictSchema,
    response=ConflictSchema,
    refusals=(400, 401, 404, 409, 415, 422),
)
def resolve_conflict(alliance_id: UUID, conflict_id: UUID) -> dict[str, Any]:
    settled(parts.service().resolve_conflict(account(), alliance_id, conflict_id, body()))
    return _conflict(alliance_id, conflict_id)


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/conflicts/<uuid:conflict_id>/reopening",
    summary="Reopen a resolved conflict, saying why",
    tag="conflicts",
    body=schemas.ReopenConflictSchema,
    response=ConflictSchema,
    refusals=(400, 401, 404, 409, 415, 422),
)
def reopen_conflict(alliance_id: UUID, conflict_id: UUID) -> dict[str, Any]:
    settled(parts.service().reopen_conflict(account(), alliance_id, conflict_id, body()))
    return _conflict(alliance_id, conflict_id)


def _conflict(alliance_id: UUID, conflict_id: UUID) -> dict[str, Any]:
    found = parts.queries().conflicts(alliance_id, conflict_id=conflict_id)
    if not found:
        raise NotFound("no such conflict in this alliance")
    return found[0]
