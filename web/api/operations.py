"""Declaring an endpoint once: its route, its schemas, its answers, and its OpenAPI entry."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from flask import current_app, g, jsonify, request
from marshmallow import Schema
from werkzeug.exceptions import BadRequest, NotFound, Unauthorized, UnsupportedMediaType
from werkzeug.wrappers import Response

from projections.queries import Queries
from tracker.domain.errors import InvalidInput
from web import parts
from web.api import bp
from web.auth import settled

# The API's views take read-your-writes from here, as the pages do from auth.
__all__ = ["settled"]

View = Callable[..., Any]


@dataclass(frozen=True)
class Operation:
    name: str  # the view's name: the Flask endpoint "api.<name>" and the OpenAPI operationId
    method: str
    rule: str  # Flask's form: /alliances/<uuid:alliance_id>
    summary: str
    tag: str
    body: type[Schema] | None
    response: type[Schema] | None
    status: int
    many: bool
    authenticated: bool
    refusals: tuple[int, ...]
    query: dict[str, dict[str, Any]] = field(default_factory=dict)
    body_required: bool = True
    # Query parameters of which at most one may be given (the document says so too).
    one_of_query: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        """The OpenAPI form: /alliances/{alliance_id}."""
        return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", self.rule)

    @property
    def path_parameters(self) -> list[tuple[str, str]]:
        return re.findall(r"<(?:([a-z]+):)?([a-z_]+)>", self.rule)


OPERATIONS: list[Operation] = []


def operation(
    method: str,
    rule: str,
    *,
    summary: str,
    tag: str,
    body: type[Schema] | None = None,
    response: type[Schema] | None = None,
    status: int = 200,
    many: bool = False,
    authenticated: bool = True,
    refusals: tuple[int, ...] = (),
    query: dict[str, dict[str, Any]] | None = None,
    one_of_query: tuple[str, ...] = (),
    shaped: bool = False,
) -> Callable[[View], View]:
    """Route ``view`` and describe it. The view returns the object to dump with ``response``
    (or a (object, headers) pair); this wrapper dumps it with the declared status.

    ``shaped``: the view already returns exactly the documented shape (plain JSON values), so
    it is sent as it is. For large answers, where a dump would be most of the time; the
    property tests check such answers against the document like every other."""

    def register(view: View) -> View:
        op = Operation(
            view.__name__,
            method.upper(),
            rule,
            summary,
            tag,
            body,
            response,
            status,
            many,
            authenticated,
            refusals,
            query or {},
            # A body may be left out when none of its fields is required.
            body is not None and any(f.required for f in body._declared_fields.values()),
            one_of_query,
        )
        OPERATIONS.append(op)

        # One schema instance per operation: building one is a tenth of a small request.
        dumper = response(many=many) if response is not None and not shaped else None

        @functools.wraps(view)
        def endpoint(**params: Any) -> Response:
            if authenticated and "alliance_id" in params:
                # Before the body is even read: a stranger learns nothing, not even a 422.
                # Views need not check again; they call member_of only for the alliance row.
                must_be_member(params["alliance_id"])
            if one_of_query:
                # The document states these as one query object that holds nothing else.
                unknown = sorted(set(request.args) - set(op.query))
                if unknown:
                    choices = ", ".join(one_of_query)
                    raise InvalidInput({unknown[0]: [f"is not a parameter here; give {choices}"]})
            given = [name for name in one_of_query if name in request.args]
            if len(given) > 1:
                raise InvalidInput({given[-1]: [f"give only one of {', '.join(given)}"]})
            result = view(**params)
            headers: dict[str, str] = {}
            if isinstance(result, tuple):
                result, headers = result
            if isinstance(result, Written):
                reply = current_app.response_class(result, status, mimetype="application/json")
            elif shaped:
                reply = jsonify(result)
                reply.status_code = status
            elif dumper is None:
                reply = current_app.response_class(status=status)
            else:
                reply = jsonify(dumper.dump(result))
                reply.status_code = status
            reply.headers.update(headers)
            return reply

        bp.add_url_rule(rule, op.name, endpoint, methods=[op.method])
        return view

    return register


class Written(str):
    """An answer already written as JSON, sent as it is; its operation's response schema
    still describes it in the document."""


def body() -> dict[str, Any]:
    """The request's JSON object, or an empty one when nothing was sent (the command's own
    schema then names each field it needs)."""
    if not request.content_length and not request.mimetype:
        return {}
    if not request.is_json:
        raise UnsupportedMediaType("send the body as JSON, with Content-Type: application/json")
    payload = request.get_json(silent=True)
    if payload is None:
        raise BadRequest("the body is not valid JSON")
    if not isinstance(payload, dict):
        raise BadRequest("the body must be a JSON object")
    return payload


def must_be_member(alliance_id: UUID) -> None:
    """404 unless the account whose token came is a member: the same answer as for an
    alliance that does not exist."""
    queries: Queries = parts.queries()
    if not queries.is_member(alliance_id, account()):
        raise NotFound("no such alliance among yours")


def member_of(alliance_id: UUID) -> dict[str, Any]:
    """The alliance as its member sees it, for the account whose token came; 404 to anyone
    else, the same as for an alliance that does not exist."""
    queries: Queries = parts.queries()
    alliance = queries.alliance(alliance_id, account())
    if alliance is None:
        raise NotFound("no such alliance among yours")
    return alliance


def bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send a token: Authorization: Bearer <token> (POST /api/v1/tokens)")
    return token.strip()


def account() -> UUID:
    """The account whose token came with the request, or 401; looked up once per request."""
    if "api_account" not in g:
        found = parts.access().token_account(bearer_token())
        if found is None:
            raise Unauthorized("this token is unknown, revoked or expired")
        g.api_account = found
    holder: UUID = g.api_account
    return holder
