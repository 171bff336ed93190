"""One mapping from refusals to HTTP answers. Pages get an HTML page; the JSON API gets RFC 9457
problem details. Which one is decided by the path, so even a 404 for an unknown API route or a
413 raised before any view runs answers in the API's shape."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from eventsourcing import persistence
from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from projections.catchup import ViewsBehindError
from projections.quarantine import STORE_FAULTS
from tracker.domain import errors

API_PREFIX = "/api/"
# A store that cannot take the write now (a full or read-only disk, a lost connection): the
# request can be sent again later, and nothing of it was kept.
UNAVAILABLE = (*STORE_FAULTS, persistence.OperationalError, persistence.InterfaceError)
PROBLEM_JSON = "application/problem+json"


class TooManyAttempts(Exception):
    """Raised by the sign-in and sign-up limits (web.auth); answered 429 with Retry-After."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many attempts; try again in {_minutes(retry_after)}")
        self.retry_after = retry_after


def _minutes(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def status_for(error: Exception) -> int:
    """The status of every refusal, a form's or the API's."""
    if isinstance(error, errors.InvalidInput):
        return 422
    if isinstance(error, errors.BadCredentials):
        return 401
    if isinstance(error, errors.NotFound):
        return 404
    if isinstance(error, errors.RuleViolation | errors.ConcurrentWrite):
        return 409
    return 500


def answer(
    status: int,
    message: str,
    *,
    fields: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[Any, int, dict[str, str]]:
    headers = dict(headers or {})
    if request.path.startswith(API_PREFIX):
        problem: dict[str, Any] = {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": message,
        }
        if fields:
            problem["errors"] = fields
        if status == 401:
            headers.setdefault("WWW-Authenticate", "Bearer")
        response: Response = jsonify(problem)
        response.mimetype = PROBLEM_JSON
        return response, status, headers
    page = render_template("error.html", status=status, message=message, fields=fields or {})
    return page, status, headers


def init_app(app: Flask) -> None:
    @app.errorhandler(errors.DomainError)
    def domain_error(error: errors.DomainError) -> tuple[Any, int, dict[str, str]]:
        fields = error.fields if isinstance(error, errors.InvalidInput) else None
        return answer(status_for(error), str(error), fields=fields)

    @app.errorhandler(TooManyAttempts)
    def too_many(error: TooManyAttempts) -> tuple[Any, int, dict[str, str]]:
        return answer(429, str(error), headers={"Retry-After": str(error.retry_after)})

    @app.errorhandler(ViewsBehindError)
    def behind(_: ViewsBehindError) -> tuple[Any, int, dict[str, str]]:
        message = "your change is saved; the pages are still catching up, reload in a moment"
        return answer(503, message, headers={"Retry-After": "2"})

    def unavailable(error: Exception) -> tuple[Any, int, dict[str, str]]:
        app.logger.error("the store refused a request: %s", error)
        message = "the tracker cannot store anything right now; nothing was kept, try again soon"
        return answer(503, message, headers={"Retry-After": "30"})

    for fault in UNAVAILABLE:
        app.register_error_handler(fault, unavailable)

    @app.errorhandler(CSRFError)
    def forged(_: CSRFError) -> tuple[Any, int, dict[str, str]]:
        return answer(
            400,
            "this form did not come from this site, or its session has ended; "
            "reload the page and try again",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Any, int, dict[str, str]]:
        status = error.code or 500
        # Keep what the exception says about the answer (Allow on a 405), not its body's type.
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        return answer(status, error.description or HTTPStatus(status).phrase, headers=headers)
