"""The WSGI entry point for gunicorn: importing it builds the app in the importing worker,
after the fork, so each worker has its own store connections and pools."""

from shell.bootstrap import Tracker
from shell.settings import Settings
from web import create_app

_tracker = Tracker.build(Settings.from_env())
# Off under gunicorn (see deploy/gunicorn.conf.py): a separate projector keeps the views.
if _tracker.settings.project_in_process:
    _tracker.project_in_background()
app = create_app(tracker=_tracker)
