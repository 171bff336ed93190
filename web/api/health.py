"""Relationship health over the API: the components now, and the weekly series behind them.

Both are computed for the member asking: shared figures are everyone's; your own private
notes appear beside them, marked, and nobody else's ever do."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tracker.domain.errors import InvalidInput
from web import parts, query
from web.api.operations import account, operation
from web.api.schemas.health import HealthHistorySchema, HealthSchema
from web.health_links import health_now


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/health",
    summary="Each health component over the last four weeks, its trend against the four "
    "before, and the overall status",
    tag="health",
    response=HealthSchema,
    refusals=(401, 404),
)
def get_health(alliance_id: UUID) -> dict[str, Any]:
    return health_now(alliance_id, account())


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/health/history",
    summary="The weekly series, from the week holding ?from= to the week holding ?to= "
    "(by default, the alliance's whole life), with agreement versions and redesigns",
    tag="health",
    response=HealthHistorySchema,
    shaped=True,  # up to 261 weeks of 21 figures: a dump was half the answer's time
    refusals=(401, 404, 422),
    query={
        "from": {**query.DAY_PARAMETER, "description": "the first week's day; not after to"},
        "to": query.DAY_PARAMETER,
    },
)
def get_health_history(alliance_id: UUID) -> dict[str, Any]:
    first, last = query.day("from"), query.day("to")
    if first and last and first > last:
        raise InvalidInput({"from": ["must not be after to"]})
    return parts.health().history(alliance_id, account(), parts.now(), first, last)
