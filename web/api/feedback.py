"""Feedback over the API: log a note, read the notes you may see (filtered, a page at a time),
reply, share a private note, retract your own. Another member's private notes are never in
any answer: not in a list, not by id, not in a count."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for
from werkzeug.exceptions import NotFound

from projections.readers.records import PAGE_CURSOR_PATTERN, page_cursor, read_cursor
from tracker import schemas
from tracker.domain.errors import InvalidInput
from tracker.domain.vocabulary import VALENCES
from web import parts, query
from web.api.operations import account, body, operation, settled
from web.api.schemas.records import FeedbackNoteSchema, FeedbackPageSchema

PAGE = 50
PAGE_MAX = 200


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/feedback",
    summary="Log a note: shared with the members, or private to you; it cites the version "
    "in force of the term it is about",
    tag="feedback",
    body=schemas.LogFeedbackSchema,
    response=FeedbackNoteSchema,
    status=201,
    refusals=(400, 401, 404, 409, 415, 422),
)
def log_feedback(alliance_id: UUID) -> tuple[dict[str, Any], dict[str, str]]:
    result = settled(parts.service().log_feedback(account(), alliance_id, body()))
    note_id = result["note_id"]
    location = url_for("api.get_feedback", alliance_id=alliance_id, note_id=note_id)
    return _note(alliance_id, note_id), {"Location": location}


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/feedback",
    summary="The notes you may see, newest first, filtered and a page at a time",
    tag="feedback",
    response=FeedbackPageSchema,
    refusals=(401, 404, 422),
    query={
        "author": {"type": "string", "format": "uuid"},
        "valence": {"type": "string", "enum": list(VALENCES)},
        "term_id": {"type": "string", "format": "uuid"},
        "since": query.INSTANT_PARAMETER,
        "until": query.INSTANT_PARAMETER,
        "cursor": {
            "type": "string",
            "pattern": PAGE_CURSOR_PATTERN,
            "description": "the next_cursor of the page before",
        },
        "limit": {"type": "integer", "minimum": 1, "maximum": PAGE_MAX},
    },
)
def list_feedback(alliance_id: UUID) -> dict[str, Any]:
    limit = query.whole_number("limit", minimum=1) or PAGE
    if limit > PAGE_MAX:
        raise InvalidInput({"limit": [f"must be at most {PAGE_MAX}"]})
    notes = parts.queries().feedback(
        alliance_id,
        account(),
        author=query.uuid("author"),
        valence=query.choice("valence", VALENCES),
        term_id=query.uuid("term_id"),
        since=query.instant("since"),
        until=query.instant("until"),
        after=query.cursor(read_cursor),
        limit=limit + 1,
    )
    page, more = notes[:limit], len(notes) > limit
    last = page[-1] if page else None
    return {"notes": page, "next_cursor": page_cursor(last) if more and last else None}


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/feedback/<uuid:note_id>",
    summary="One note with its replies",
    tag="feedback",
    response=FeedbackNoteSchema,
    refusals=(401, 404),
)
def get_feedback(alliance_id: UUID, note_id: UUID) -> dict[str, Any]:
    return _note(alliance_id, note_id)


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/feedback/<uuid:note_id>/replies",
    summary="Acknowledge a shared note with a reply; the thread keeps who said what and when",
    tag="feedback",
    body=schemas.ReplyToNoteSchema,
    response=FeedbackNoteSchema,
    status=201,
    refusals=(400, 401, 404, 409, 415, 422),
)
def reply_to_feedback(alliance_id: UUID, note_id: UUID) -> dict[str, Any]:
    settled(parts.service().reply_to_feedback(account(), alliance_id, note_id, body()))
    return _note(alliance_id, note_id)


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/feedback/<uuid:note_id>/sharing",
    summary="Share your private note with the members; the history shows when",
    tag="feedback",
    response=FeedbackNoteSchema,
    refusals=(401, 404, 409),
)
def share_feedback(alliance_id: UUID, note_id: UUID) -> dict[str, Any]:
    settled(parts.service().share_feedback(account(), alliance_id, note_id))
    return _note(alliance_id, note_id)


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/feedback/<uuid:note_id>/retraction",
    summary="Retract your note: it leaves every view; the timeline keeps that it was retracted",
    tag="feedback",
    status=204,
    refusals=(401, 404, 409),
)
def retract_feedback(alliance_id: UUID, note_id: UUID) -> None:
    settled(parts.service().retract_feedback(account(), alliance_id, note_id))


def _note(alliance_id: UUID, note_id: UUID) -> dict[str, Any]:
    found = parts.queries().note(alliance_id, account(), note_id)
    if found is None:
        raise NotFound("no such note among those you can see")
    return found
