"""A new alliance's first steps, shown on its home until every one is done: the stake
planted, the members invited and joined, the prompts answered, the proposals awaiting the
viewer accepted, a rhythm agreed. Each step links to where it is done. Once the members have
completed a check-in the alliance is living, and its setup is behind it, done or not."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for

from projections.health.wording import listed
from tracker.domain.vocabulary import PROMPTS
from web import parts

Step = dict[str, Any]


def steps(
    alliance: dict[str, Any], viewer: UUID, terms: list[dict[str, Any]], awaiting: list[Any]
) -> list[Step]:
    """The steps, each done or not; none once all are done (the checklist then goes).
    ``awaiting`` is what waits for the viewer's acceptance."""
    alliance_id = UUID(alliance["alliance_id"])
    found = parts.queries()
    if found.checkins(alliance_id, viewer, status="completed", limit=1):
        return []
    design = url_for("design.page", alliance_id=alliance_id)
    members = alliance["members"]
    pending = found.open_invitations(alliance_id)
    answered: dict[str, set[str]] = {str(m["member_id"]): set() for m in members}
    for proposal in found.proposals(alliance_id):
        if proposal["kind"] == "add" and proposal["proposer_id"] in answered:
            answered[proposal["proposer_id"]].add(proposal["category"])
    counts = [f"{m['name']} {len(answered[str(m['member_id'])])}" for m in members]
    prompts = len(PROMPTS)
    listed_steps = [
        _step(
            "Plant a stake: when you sit down together",
            bool(alliance.get("design_conversation_at")),
            f"{design}#stake",
        ),
        _step(
            "Invite the others, and see them join",
            len(members) > 1 and not pending,
            f"{design}#invitations",
            f"{len(pending)} invitation{'s' if len(pending) != 1 else ''} not yet taken up"
            if pending
            else ("only you so far" if len(members) == 1 else ""),
        ),
        _step(
            f"Answer the {prompts} prompts, each of you",
            all(len(categories) == prompts for categories in answered.values()),
            f"{design}#conversation",
            f"answered so far: {listed(counts)} of {prompts}",
        ),
        _step(
            "Accept what the others proposed",
            not awaiting,
            url_for("agreement.page", alliance_id=alliance_id, _anchor="proposals"),
            f"{len(awaiting)} await{'s' if len(awaiting) == 1 else ''} you" if awaiting else "",
        ),
        _step(
            "Agree a rhythm of check-ins",
            any(term["schedule"] for term in terms),
            f"{design}#prompt-rhythm",
        ),
    ]
    return [] if all(step["done"] for step in listed_steps) else listed_steps


def _step(label: str, done: bool, href: str, detail: str = "") -> Step:
    return {"label": label, "done": done, "href": href, "detail": "" if done else detail}
