"""The WSGI entry point for gunicorn: importing it builds the app in the importing worker."""

from web import create_app

app = create_app()
