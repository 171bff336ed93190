"""What moved each health component, as links to the alliance's pages: the read side names
it as data (the page, and the note filter, check-in or conflict on it), the web makes the
addresses, for the pages and the API alike."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for

from web import parts
from web.navigation import PAGE_NAMES

# What a component may point at, by the data that names it, and the anchor on its page.
_ANCHORED = {"checkin_id": "checkin", "conflict_id": "conflict"}


def health_now(alliance_id: UUID, viewer: UUID) -> dict[str, Any]:
    """Each component now, as the viewer may see it, with links to what moved it."""
    health = parts.health().now(alliance_id, viewer, parts.now())
    for component in health["components"]:
        component["links"] = [_link(alliance_id, moved) for moved in component["moved_by"]]
        advice = component["advice"]
        endpoint = f"{advice['page']}.page"
        advice["href"] = url_for(endpoint, alliance_id=alliance_id)
        advice["where"] = f"the {PAGE_NAMES[endpoint]} page"
    return health


def _link(alliance_id: UUID, moved: dict[str, Any]) -> dict[str, str]:
    endpoint = f"{moved['page']}.page"
    for key, anchor in _ANCHORED.items():
        if key in moved:
            href = url_for(endpoint, alliance_id=alliance_id, _anchor=f"{anchor}-{moved[key]}")
            break
    else:
        href = url_for(endpoint, alliance_id=alliance_id, **moved.get("filters", {}))
    return {"label": moved["label"], "href": href}
