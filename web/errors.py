"""One mapping from domain refusals to HTTP answers, for pages and (later) the API alike."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from projections.catchup import ViewsBehindError
from tracker.domain import errors
from web.auth import TooManyAttempts


def status_for(error: Exception) -> int:
    if isinstance(error, errors.InvalidInput):
        return 422
    if isinstance(error, errors.BadCredentials):
        return 401
    if isinstance(error, errors.NotFound):
        return 404
    if isinstance(error, errors.RuleViolation | errors.ConflictError):
        return 409
    return 500


def init_app(app: Flask) -> None:
    @app.errorhandler(errors.DomainError)
    def domain_error(error: errors.DomainError) -> tuple[str, int]:
        status = status_for(error)
        return render_template("error.html", status=status, message=str(error)), status

    @app.errorhandler(TooManyAttempts)
    def too_many(error: TooManyAttempts) -> tuple[str, int, dict[str, str]]:
        page = render_template("error.html", status=429, message=str(error))
        return page, 429, {"Retry-After": str(error.retry_after)}

    @app.errorhandler(ViewsBehindError)
    def behind(_: ViewsBehindError) -> tuple[str, int, dict[str, str]]:
        message = "your change is saved; the pages are still catching up, reload in a moment"
        return render_template("error.html", status=503, message=message), 503, {"Retry-After": "2"}

    @app.errorhandler(CSRFError)
    def forged(_: CSRFError) -> tuple[str, int]:
        message = (
            "this form did not come from this site, or its session has ended; "
            "reload the page and try again"
        )
        return render_template("error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        status = error.code or 500
        return render_template("error.html", status=status, message=error.description), status
