"""The Flask application factory: the pages, their forms and the JSON API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from delivery.mail import Mailer
from web import (
    api,
    auth,
    calendar_feed,
    clean_input,
    errors,
    formatting,
    forms,
    headers,
    healthz,
    navigation,
)
from web.access import SESSION_LIFETIME, Access
from web.pages import BLUEPRINTS, unsubscribe
from web.secret_paths import RedactingFilter

if TYPE_CHECKING:
    from shell.bootstrap import Tracker  # what the shell builds and hands in

csrf = CSRFProtect()


def create_app(test_config: dict[str, Any] | None = None, *, tracker: Tracker) -> Flask:
    """Build the web app on the tracker's parts, which the shell builds (shell.wsgi for
    gunicorn, in each worker after the fork; `tracker serve`; the tests)."""
    app = Flask(__name__)
    settings = tracker.settings
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,  # or per request: see _SessionInterface
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        # A form's token lives as long as the session: a page left open over lunch still works.
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=1024 * 1024,
        TRACKER_READ_TIMEOUT=5.0,
    )
    if test_config:
        app.config.from_mapping(test_config)
    serve(app, tracker)

    hops = settings.proxy_hops
    if hops:
        # Behind a reverse proxy: take the client's address and scheme from its headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.logger.addFilter(RedactingFilter())  # "Exception on /confirm/<token>" and the like
    app.session_interface = _SessionInterface()
    csrf.init_app(app)

    for plumbing in (errors, clean_input, headers, formatting, forms, auth, navigation):
        plumbing.init_app(app)
    for blueprint in (*BLUEPRINTS, calendar_feed.bp, healthz.bp):
        app.register_blueprint(blueprint)
    csrf.exempt(unsubscribe.bp)  # a mail program's one click carries no form token
    api.init_app(app)
    return app


def serve(app: Flask, tracker: Tracker) -> None:
    """Point the app at the tracker's parts (web.parts reads them from here on each request).
    create_app does it once; a test that gives each run a fresh store does it again."""
    app.extensions["tracker"] = tracker
    access = Access(tracker.store, tracker.service.clock)
    access.setup()
    app.extensions["access"] = access
    smtp_url = app.config.get("TRACKER_SMTP_URL") or tracker.settings.smtp_url
    app.extensions["mailer"] = Mailer.from_url(smtp_url) if smtp_url else None


class _SessionInterface(SecureCookieSessionInterface):
    """The cookie is marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure
