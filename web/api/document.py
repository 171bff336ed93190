"""The OpenAPI document, built from the declared operations and their marshmallow schemas."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app
from marshmallow import fields

from tracker import schemas
from web.api import bp
from web.api.operations import OPERATIONS, Operation
from web.api.schemas.accounts import ProblemSchema

REFUSALS = {
    400: "The body is not valid JSON, or not an object",
    401: "No token, or one that is unknown, revoked or expired",
    404: "Not found (also what a non-member is told)",
    409: "Clashes with the current state, or someone else changed it at the same moment",
    413: "The body is larger than 1 MiB",
    415: "The body is not sent as application/json",
    422: "A field is missing, unknown or invalid; `errors` names each one",
    429: "Too many attempts; `Retry-After` says when to try again",
}


PROBLEM = {"$ref": "#/components/schemas/Problem"}


@bp.get("/openapi.json")
def openapi() -> dict[str, Any]:
    # Built on first request and kept: the operations are fixed once the app is made.
    if "openapi" not in current_app.extensions:
        current_app.extensions["openapi"] = build()
    document: dict[str, Any] = current_app.extensions["openapi"]
    return document


def build() -> dict[str, Any]:
    plugin = MarshmallowPlugin(schema_name_resolver=_schema_name)
    spec = APISpec(
        title="Alliance tracker API",
        version="1",
        openapi_version="3.1.0",
        plugins=[plugin],
        info={"description": "Problem details (RFC 9457) for every refusal."},
    )
    assert plugin.converter is not None  # made when the spec takes the plugin
    plugin.converter.add_attribute_function(_maps)  # type: ignore[no-untyped-call]
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Problem", schema=ProblemSchema)
    by_path: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        by_path.setdefault(op.path, {})[op.method.lower()] = _describe(op)
    for path, operations in by_path.items():
        spec.path(path=path, operations=operations)
    document: dict[str, Any] = spec.to_dict()
    document["servers"] = [{"url": "/api/v1"}]
    document["components"]["schemas"]["ProposeRequest"]["allOf"] = [
        # JSON Schema's conditionals: the fields each kind needs, not null.
        {
            "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
            "then": {
                "required": list(needs),
                "properties": {name: {"not": {"type": "null"}} for name in needs},
            },
        }
        for kind, needs in schemas.PROPOSAL_NEEDS.items()
    ]
    return document


def _maps(
    converter: Any, field: fields.Field[Any], ret: dict[str, Any], **_: Any
) -> dict[str, Any]:
    """A map as the server takes it: apispec states its values only, and its Length as a
    string's (maxLength); its keys are checked like any text field, and Length counts keys."""
    if not isinstance(field, fields.Dict):
        return {}
    stated: dict[str, Any] = {}
    if field.key_field is not None:
        stated["propertyNames"] = converter.field2property(field.key_field)
    for string_word, map_word in (("minLength", "minProperties"), ("maxLength", "maxProperties")):
        if string_word in ret:
            stated[map_word] = ret.pop(string_word)
    return stated


def _schema_name(schema: Any) -> str:
    """Requests are the commands' schemas (tracker.schemas), named by what they do (Propose,
    SetWebhook); answers are the API's own, named by what they are (Proposal, Webhook). The
    document says which is which."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    return f"{name}Request" if cls.__module__ == "tracker.schemas" else name


def _describe(op: Operation) -> dict[str, Any]:
    described: dict[str, Any] = {
        "summary": op.summary,
        "tags": [op.tag],
        "operationId": op.name,
        "responses": {},
    }
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "format": "uuid"}
            if kind == "uuid"
            else {"type": "string"},
        }
        for kind, name in op.path_parameters
    ]
    parameters += [
        {"name": name, "in": "query", "required": False, "schema": schema}
        for name, schema in op.query.items()
        if name not in op.one_of_query
    ]
    if op.one_of_query:
        # OpenAPI states a choice among query parameters as one object spread over the
        # query string (form style, exploded), holding at most one of them.
        parameters.append(
            {
                "name": "_or_".join(op.one_of_query),
                "in": "query",
                "required": False,
                "style": "form",
                "explode": True,
                "schema": {
                    "type": "object",
                    "properties": {name: op.query[name] for name in op.one_of_query},
                    "additionalProperties": False,
                    "maxProperties": 1,
                },
            }
        )
    if parameters:
        described["parameters"] = parameters
    if op.authenticated:
        described["security"] = [{"bearer": []}]
    if op.body is not None:
        described["requestBody"] = {
            "required": op.body_required,
            "content": {"application/json": {"schema": op.body}},
        }
    if op.response is None:
        described["responses"][str(op.status)] = {"description": "Done"}
    else:
        schema: Any = op.response
        if op.many:
            schema = {"type": "array", "items": op.response}
        described["responses"][str(op.status)] = {
            "description": "OK",
            "content": {"application/json": {"schema": schema}},
        }
    for status in sorted({*op.refusals, 413} if op.body else set(op.refusals)):
        described["responses"][str(status)] = {
            "description": REFUSALS[status],
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
    return described
