"""Telling members, outside the app, that something awaits them: mail and webhooks."""
