"""The Flask application factory: pages now, the JSON API beside them later."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from tracker.bootstrap import Tracker
from tracker.settings import Settings


def create_app(test_config: dict[str, Any] | None = None, tracker: Tracker | None = None) -> Flask:
    """Build the web app. The Tracker (store, pools, engine) is built here, in the process
    that serves, so gunicorn workers each get their own after the fork."""
    app = Flask(__name__)
    settings = tracker.settings if tracker else Settings.from_env()
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("TRACKER_SECRET_KEY") or _local_secret(settings.data_dir),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Off under gunicorn (see deploy/gunicorn.conf.py): a separate projector keeps the views.
        TRACKER_PROJECT_IN_PROCESS=os.environ.get("TRACKER_PROJECT_IN_PROCESS", "1") != "0",
        TRACKER_READ_TIMEOUT=5.0,
    )
    if test_config:
        app.config.from_mapping(test_config)
    if tracker is None:
        tracker = Tracker.build(settings)
        if app.config["TRACKER_PROJECT_IN_PROCESS"]:
            tracker.project_in_background()
    app.extensions["tracker"] = tracker

    from web import errors, formatting, pages

    errors.init_app(app)
    formatting.init_app(app)
    app.register_blueprint(pages.bp)
    return app


def _local_secret(data_dir: Path) -> str:
    """For the embedded default: a key kept beside the data, so sessions survive restarts."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()
