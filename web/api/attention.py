"""The attention queue over the API: every alliance you are in, the one that needs you most
first, each with the reasons for its place."""

from __future__ import annotations

from projections.attention.place import NEEDS
from projections.attention.queue import QUEUE_CURSOR_PATTERN
from tracker.domain.vocabulary import ALLIANCE_KINDS
from web import parts, query
from web.api.operations import Written, account, operation
from web.api.schemas.attention import AttentionSchema

PAGE, PAGE_MAX = 50, 200


@operation(
    "GET",
    "/attention",
    summary="Your alliances by need: red before yellow, then the longest waiting, with why",
    tag="alliances",
    response=AttentionSchema,
    refusals=(401, 422),
    query={
        "kind": {"type": "string", "enum": list(ALLIANCE_KINDS)},
        "need": {"type": "string", "enum": list(NEEDS)},
        "cursor": {
            "type": "string",
            "pattern": QUEUE_CURSOR_PATTERN,
            "description": "the next_cursor of the page before",
        },
        "limit": {"type": "integer", "minimum": 1, "maximum": PAGE_MAX},
    },
)
def attention() -> Written:
    narrowed = query.queue_narrowed(PAGE, PAGE_MAX)
    return Written(parts.attention().written(account(), parts.now(), narrowed))
