"""The two bars every page carries: the person's own pages, and an alliance's pages (as its
second bar, and as the names by which its pages are spoken of)."""

from __future__ import annotations

from flask import Flask

# The person's pages, in the order of the top bar: endpoint and label.
PERSON_PAGES: tuple[tuple[str, str], ...] = (
    ("home.index", "Alliances"),
    ("inbox.page", "Inbox"),
    ("account.page", "Account"),
)

# The alliance's own pages, in the order of its second bar: endpoint and label.
ALLIANCE_PAGES: tuple[tuple[str, str], ...] = (
    ("agreement.page", "Agreement"),
    ("health.page", "Health"),
    ("alerts.page", "Alerts"),
    ("design.page", "Design"),
    ("feedback.page", "Feedback"),
    ("conflicts.page", "Conflicts"),
    ("checkins.page", "Check-ins"),
    ("redesigns.page", "Tending"),
    ("history.page", "History"),
    ("settings.page", "Settings"),
)

PAGE_NAMES = dict(ALLIANCE_PAGES)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["person_pages"] = PERSON_PAGES
    app.jinja_env.globals["alliance_pages"] = ALLIANCE_PAGES
