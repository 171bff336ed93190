"""How times read on a page."""

from __future__ import annotations

from datetime import datetime

from flask import Flask


def when(value: str | datetime | None) -> str:
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.strftime("%-d %b %Y, %H:%M UTC")


def init_app(app: Flask) -> None:
    app.add_template_filter(when)
