"""The WSGI entry point for gunicorn: importing it builds the app in the importing worker,
after the fork, so each worker has its own store connections and pools."""

import logging

from shell.bootstrap import Tracker
from shell.settings import Settings
from web import create_app

_settings = Settings.from_env()
if (_unplaced := _settings.unplaced_links()) is not None:
    logging.getLogger("tracker").warning(_unplaced)
_tracker = Tracker.build(_settings)
# Off under gunicorn (see deploy/gunicorn.conf.py): a separate projector keeps the views.
if _tracker.settings.project_in_process:
    _tracker.project_in_background()
app = create_app(tracker=_tracker)
