"""One mapping from domain refusals to HTTP answers, for pages and (later) the API alike."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from tracker.domain import errors


def status_for(error: Exception) -> int:
    if isinstance(error, errors.InvalidInput):
        return 422
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

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        status = error.code or 500
        return render_template("error.html", status=status, message=error.description), status
