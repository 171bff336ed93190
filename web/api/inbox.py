"""What awaits the person whose token came, in every alliance they are in: check-ins to
answer, proposals awaiting their acceptance, conflicts to acknowledge, calls for tending,
prompts to open a redesign, and their own commitments that are due."""

from __future__ import annotations

from typing import Any

from web import parts
from web.api.operations import account, operation
from web.api.schemas.inbox import InboxSchema
from web.formatting import viewer_today


@operation(
    "GET",
    "/inbox",
    summary="What awaits you, in every alliance you are in",
    tag="check-ins",
    response=InboxSchema,
    refusals=(401,),
)
def inbox() -> dict[str, Any]:
    return parts.queries().inbox(account(), viewer_today())
