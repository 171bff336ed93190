"""The pages people use, one module per feature, each holding its page and the forms on it.
Each module has its own blueprint; create_app registers every one of them from BLUEPRINTS."""

from __future__ import annotations

from flask import Blueprint

from web.pages import (
    account,
    agreement,
    checkins,
    conflicts,
    design,
    feedback,
    health,
    history,
    home,
    inbox,
    redesigns,
    settings,
    unsubscribe,
)

BLUEPRINTS: tuple[Blueprint, ...] = tuple(
    module.bp
    for module in (
        home,
        inbox,
        agreement,
        design,
        redesigns,
        feedback,
        conflicts,
        checkins,
        history,
        health,
        settings,
        account,
        unsubscribe,
    )
)

# The alliance's own pages, in the order of its second bar: endpoint and label.
ALLIANCE_PAGES: tuple[tuple[str, str], ...] = (
    ("agreement.page", "Agreement"),
    ("health.page", "Health"),
    ("design.page", "Design"),
    ("feedback.page", "Feedback"),
    ("conflicts.page", "Conflicts"),
    ("checkins.page", "Check-ins"),
    ("redesigns.page", "Tending"),
    ("history.page", "History"),
    ("settings.page", "Settings"),
)
