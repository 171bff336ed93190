"""The living agreement over the API: proposals and their answers, the agreement at any version
or instant, what changed between two versions, each term's history, and the prompt library."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import url_for
from werkzeug.exceptions import NotFound

from tracker import schemas
from tracker.domain.vocabulary import PROMPTS
from web import parts, query
from web.api.operations import account, body, member_of, operation, settled
from web.api.schemas.agreement import (
    AgreementDiffSchema,
    AgreementSchema,
    PromptSchema,
    ProposalSchema,
    TermHistorySchema,
)

PROPOSAL_STATUSES = ("open", "adopted", "declined", "withdrawn", "lapsed")


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/proposals",
    summary="The alliance's proposals, oldest first; ?status= narrows them",
    tag="agreement",
    response=ProposalSchema,
    many=True,
    refusals=(401, 404, 422),
    query={"status": {"type": "string", "enum": list(PROPOSAL_STATUSES)}},
)
def list_proposals(alliance_id: UUID) -> list[dict[str, Any]]:
    status = query.choice("status", PROPOSAL_STATUSES)
    return parts.queries().proposals(alliance_id, status=status)


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/proposals",
    summary="Propose to add a term, or to amend or retire the version of one in force",
    tag="agreement",
    body=schemas.ProposeSchema,
    response=ProposalSchema,
    status=201,
    refusals=(400, 401, 404, 409, 415, 422),
)
def propose(alliance_id: UUID) -> tuple[dict[str, Any], dict[str, str]]:
    member = account()
    result = settled(parts.service().propose(member, alliance_id, body()))
    proposal_id = result["proposal_id"]
    location = url_for("api.get_proposal", alliance_id=alliance_id, proposal_id=proposal_id)
    return _proposal(alliance_id, proposal_id), {"Location": location}


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/proposals/<uuid:proposal_id>",
    summary="One proposal: who accepted it, who it awaits, and how it ended",
    tag="agreement",
    response=ProposalSchema,
    refusals=(401, 404),
)
def get_proposal(alliance_id: UUID, proposal_id: UUID) -> dict[str, Any]:
    return _proposal(alliance_id, proposal_id)


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/proposals/<uuid:proposal_id>/acceptance",
    summary="Accept a proposal; the last member's acceptance adopts it",
    tag="agreement",
    response=ProposalSchema,
    refusals=(401, 404, 409),
)
def accept_proposal(alliance_id: UUID, proposal_id: UUID) -> dict[str, Any]:
    settled(parts.service().accept_proposal(account(), alliance_id, proposal_id))
    return _proposal(alliance_id, proposal_id)


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/proposals/acceptance",
    summary="Accept every open proposal by others that awaits you, each as its own acceptance",
    tag="agreement",
    response=ProposalSchema,
    many=True,
    refusals=(401, 404, 409),
)
def accept_all_proposals(alliance_id: UUID) -> list[dict[str, Any]]:
    result = settled(parts.service().accept_all_proposals(account(), alliance_id))
    return [_proposal(alliance_id, proposal_id) for proposal_id in result.ids.values()]


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/proposals/<uuid:proposal_id>/decline",
    summary="Decline someone else's proposal, optionally saying why",
    tag="agreement",
    body=schemas.DeclineProposalSchema,
    response=ProposalSchema,
    refusals=(400, 401, 404, 409, 415, 422),
)
def decline_proposal(alliance_id: UUID, proposal_id: UUID) -> dict[str, Any]:
    settled(parts.service().decline_proposal(account(), alliance_id, proposal_id, body()))
    return _proposal(alliance_id, proposal_id)


@operation(
    "POST",
    "/alliances/<uuid:alliance_id>/proposals/<uuid:proposal_id>/withdrawal",
    summary="Withdraw your own open proposal",
    tag="agreement",
    response=ProposalSchema,
    refusals=(401, 404, 409),
)
def withdraw_proposal(alliance_id: UUID, proposal_id: UUID) -> dict[str, Any]:
    settled(parts.service().withdraw_proposal(account(), alliance_id, proposal_id))
    return _proposal(alliance_id, proposal_id)


def _proposal(alliance_id: UUID, proposal_id: UUID) -> dict[str, Any]:
    found = parts.queries().proposal(alliance_id, proposal_id)
    if found is None:
        raise NotFound("no such proposal in this alliance")
    return found


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/agreement",
    summary="The terms in force now, at an instant (?as_of=) or at a version (?version=)",
    tag="agreement",
    response=AgreementSchema,
    refusals=(401, 404, 422),
    query={
        "as_of": query.INSTANT_PARAMETER,
        "version": {"type": "integer", "minimum": 0, "maximum": query.WHOLE_NUMBER_MAX},
    },
    one_of_query=("as_of", "version"),
)
def get_agreement(alliance_id: UUID) -> dict[str, Any]:
    alliance = member_of(alliance_id)
    as_of, version = query.instant("as_of"), query.whole_number("version")
    found = parts.queries()
    if version is not None:
        _version_exists(version, alliance["agreement_version"])
        terms = found.agreement(alliance_id, version=version)
    elif as_of is not None:
        terms = found.agreement(alliance_id, as_of=as_of)
        version = found.agreement_version_at(alliance_id, as_of)
    else:
        terms, version = found.agreement(alliance_id), alliance["agreement_version"]
    return {"version": version, "as_of": as_of.isoformat() if as_of else None, "terms": terms}


def _version_exists(version: int, latest: int) -> None:
    # A well-formed number for a version not made yet: nothing there, as for any other id.
    if version > latest:
        raise NotFound(f"no version {version} yet: the agreement has reached version {latest}")


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/agreement/diff",
    summary="What changed between two agreement versions (?from=N&to=M), term by term",
    tag="agreement",
    response=AgreementDiffSchema,
    refusals=(401, 404, 422),
    query={
        "from": {"type": "integer", "minimum": 0, "maximum": query.WHOLE_NUMBER_MAX},
        "to": {"type": "integer", "minimum": 0, "maximum": query.WHOLE_NUMBER_MAX},
    },
)
def get_agreement_diff(alliance_id: UUID) -> dict[str, Any]:
    alliance = member_of(alliance_id)
    latest = alliance["agreement_version"]
    before = query.whole_number("from")
    after = query.whole_number("to")
    before = 0 if before is None else before
    after = latest if after is None else after
    for value in (before, after):
        _version_exists(value, latest)
    changes = parts.queries().agreement_diff(alliance_id, before, after)
    return {"from_version": before, "to_version": after, "changes": changes}


@operation(
    "GET",
    "/alliances/<uuid:alliance_id>/terms/<uuid:term_id>/history",
    summary="Every version of a term: who proposed and accepted it, and the words that "
    "changed; and the commitments made to serve it",
    tag="agreement",
    response=TermHistorySchema,
    refusals=(401, 404),
)
def get_term_history(alliance_id: UUID, term_id: UUID) -> dict[str, Any]:
    versions = parts.queries().term_history(alliance_id, term_id, account())
    if not versions:
        raise NotFound("no such term in this alliance")
    commitments = parts.queries().commitments_for_term(alliance_id, term_id)
    return {"term_id": term_id, "versions": versions, "commitments": commitments}


@operation(
    "GET",
    "/prompts",
    summary="The prompt library of the design conversation: one prompt per term category",
    tag="agreement",
    response=PromptSchema,
    many=True,
    authenticated=False,
)
def list_prompts() -> list[dict[str, str]]:
    return [{"category": category, "prompt": prompt} for category, prompt in PROMPTS.items()]
